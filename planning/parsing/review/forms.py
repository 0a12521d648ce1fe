"""Forms of the plan review: upload or paste, the plan's head, one form per draft row.

The draft lives in the session as plain JSON (no table, no migration): nothing
is written to the database until the coordinator confirms.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.forms import formset_factory

from agencies.matching import AgencyDirectory
from agencies.models import Agency

from ...indicators.prose import read_prose_targets
from ...indicators.reading import review_warnings
from ...models import Plan
from ...uploads import limits as upload_limits
from ...workdays import working_calendar
from .. import PlanFileError, check_plan_text, parse_text, plan_extent, read_plan_file
from ..importing import resolve_leads, unknown_warning

NEW_PREFIX = "new:"
# Paragraphs read and parsed inside the request (about half a second); a longer
# plan file is read in the queue (`tasks.draft_task`), with progress shown.
INLINE_MAX_PARAGRAPHS = 2_000
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp văn bản (.txt, .docx, .pdf)",
        required=False,
        error_messages={
            "empty": "Tệp rỗng: không có nội dung để đọc.",
            "invalid": "Không đọc được tệp đã gửi.",
        },
    )
    text = forms.CharField(
        label="Hoặc dán nội dung kế hoạch",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    year = forms.IntegerField(
        label="Năm của kế hoạch (nếu văn bản không ghi)",
        required=False,
        min_value=2000,
        max_value=2100,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = upload_limits.plan()

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if not upload and not text:
            raise forms.ValidationError("Hãy chọn tệp hoặc dán nội dung kế hoạch.")
        limit = self.limits.max_bytes
        try:
            if upload:
                if upload.size > limit:  # before reading it into memory
                    raise PlanFileError(upload_limits.too_big_message(upload.size, limit))
                content = upload.read()
                if plan_extent(content) > INLINE_MAX_PARAGRAPHS:
                    data["plan_text"], data["queued_file"] = None, content  # read in the queue
                else:
                    data["plan_text"] = read_plan_file(content, upload.name)
            else:
                if len(text.encode("utf-8")) > limit:
                    raise PlanFileError(
                        f"Nội dung quá dài: giới hạn là {upload_limits.megabytes(limit)}."
                    )
                data["plan_text"] = check_plan_text(text, self.limits)
                if plan_extent(text.encode("utf-8")) > INLINE_MAX_PARAGRAPHS:
                    data["plan_text"], data["queued_file"] = None, text.encode("utf-8")
        except PlanFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class PlanHeaderForm(forms.Form):
    number = forms.CharField(label="Số, ký hiệu", max_length=60)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    title = forms.CharField(label="Trích yếu", max_length=1000, widget=forms.Textarea({"rows": 2}))
    issuing_body = forms.CharField(label="Cơ quan ban hành", max_length=255, required=False)
    place = forms.CharField(label="Địa danh", max_length=100, required=False)
    issued_on = forms.DateField(label="Ngày ban hành", required=False, input_formats=DATE_FORMATS)
    signer = forms.CharField(label="Người ký", max_length=255, required=False)

    def clean(self):
        data = super().clean()
        number, year = data.get("number"), data.get("year")
        if number and year and Plan.objects.filter(number=number, year=year).exists():
            raise forms.ValidationError(f"Kế hoạch số {number} năm {year} đã có trong hệ thống.")
        return data


class RowForm(forms.Form):
    line = forms.IntegerField(required=False, widget=forms.HiddenInput)
    section = forms.CharField(label="Mục", max_length=30, required=False)
    section_title = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label="Nhiệm vụ", widget=forms.Textarea({"rows": 3}))
    agency = forms.ChoiceField(label="Cơ quan chủ trì")
    due_text = forms.CharField(label="Thời hạn (như văn bản ghi)", max_length=255, required=False)
    due_date = forms.DateField(label="Hạn", required=False, input_formats=DATE_FORMATS)
    coordination = forms.CharField(required=False, widget=forms.HiddenInput)
    deliverable = forms.CharField(required=False, widget=forms.HiddenInput)
    warnings = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "— Chọn cơ quan —"), *choices]

    def warning_list(self) -> list[str]:
        value = self["warnings"].value() or ""
        return [w for w in value.split("\n") if w.strip()]


RowFormSet = formset_factory(RowForm, extra=0, can_delete=True)


def _due_input(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def draft_from_text(text: str, *, year: int | None = None) -> dict:
    """Parse text into a JSON-able draft: the plan's head, one row per lead agency, warnings."""
    parsed = parse_text(text, default_year=year, calendar=working_calendar())
    directory = AgencyDirectory()
    rows = []
    for row in parsed.rows:
        for lead in resolve_leads(row, directory):
            warnings = list(row.warnings)
            if lead.agency is None:
                warnings.insert(0, unknown_warning(lead))
            no_deadline = row.due_date is None and not row.recurrence and row.kind != "ongoing"
            if no_deadline and "Không tìm thấy thời hạn." not in warnings:
                warnings.append("Không tìm thấy thời hạn.")
            rows.append(
                {
                    "line": row.line,
                    "section": row.section,
                    "section_title": row.section_title,
                    "title": row.title,
                    "agency": str(lead.agency.pk) if lead.agency else NEW_PREFIX + lead.written,
                    "due_text": row.due_text,
                    "due_date": "" if row.recurrence else _due_input(row.due_date),
                    "coordination": "; ".join(row.coordinating),
                    "deliverable": row.deliverable,
                    "warnings": "\n".join(warnings),
                }
            )
    header = parsed.header
    return {
        "header": {
            "number": header.number,
            "year": parsed.year,
            "title": header.title,
            "issuing_body": header.issuing_body,
            "place": header.place,
            "issued_on": _due_input(header.issued_on),
            "signer": header.signer,
        },
        "rows": rows,
        "warnings": [
            (f"Dòng {line}: " if line else "") + message for line, message in parsed.warnings
        ],
        # The appendix's tables of indicators: their faults (sums, codes, separators);
        # the measured targets of the plan's sentences, for the reviewer to keep or drop.
        "indicator_warnings": review_warnings(parsed.text),
        "measured": [t.as_json() for t in read_prose_targets(parsed.text)],
        "text": parsed.text,
    }


def agency_choices(rows: list[dict]) -> list[tuple[str, str]]:
    """Every active agency (one query), plus "create" options for the names the draft
    found that the registry does not know."""
    choices = [(str(a.pk), a.name) for a in Agency.objects.active().order_by("name")]
    seen = set()
    for row in rows:
        value = row.get("agency") or ""
        if value.startswith(NEW_PREFIX) and value not in seen:
            seen.add(value)
            choices.append((value, f"Tạo mới: {value[len(NEW_PREFIX) :]}"))
    return choices
