"""Forms for entering a result and reviewing an agency's value."""

from __future__ import annotations

from django import forms

from planning.deadlines import month_end
from planning.spreadsheets.readers import SheetError
from planning.uploads import ALLOWED_LABEL, validate_evidence
from planning.uploads import limits as upload_limits

from .importing import read_sheet
from .models import Indicator, IndicatorTask
from .numbers import read_number


class ScoreField(forms.CharField):
    """A score typed either way, "89,28" or "89.23" (no score reaches a thousand,
    so a dot is never a thousands separator here)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        number = read_number(value)
        if number.unreadable or number.comparison or number.value is None:
            raise forms.ValidationError("Vui lòng nhập một số, ví dụ 89,28.")
        return number.value


class ResultForm(forms.Form):
    period_end = forms.DateField(
        label="Kỳ báo cáo (ngày cuối kỳ)",
        help_text="Ví dụ 31/12/2022 cho kết quả năm 2022, 30/09/2022 cho quý III.",
    )
    value = ScoreField(label="Kết quả")
    evidence = forms.CharField(
        label="Tài liệu kiểm chứng",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Số, ngày văn bản công bố kết quả hoặc đường dẫn tới tài liệu.",
    )

    file = forms.FileField(
        label="Tệp kiểm chứng",
        required=False,
        help_text=f"Không bắt buộc. Nhận {ALLOWED_LABEL}.",
    )

    def __init__(self, *args, evidence_required: bool = False, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].required = evidence_required
        self.indicator = indicator
        self.sniffed = None

    def clean_period_end(self):
        """The period is named by its last day, of the month, quarter or year the
        criterion is measured by."""
        day = self.cleaned_data["period_end"]
        frequency = self.indicator.frequency if self.indicator else Indicator.Frequency.YEAR
        last_day = day == month_end(day.year, day.month)
        if frequency == Indicator.Frequency.MONTH and not last_day:
            raise forms.ValidationError("Chỉ tiêu đo theo tháng: nhập ngày cuối tháng.")
        if frequency == Indicator.Frequency.QUARTER and not (last_day and day.month % 3 == 0):
            raise forms.ValidationError(
                "Chỉ tiêu đo theo quý: nhập ngày cuối quý (31/3, 30/6, 30/9, 31/12)."
            )
        if frequency == Indicator.Frequency.YEAR and (day.month, day.day) != (12, 31):
            raise forms.ValidationError("Chỉ tiêu đo theo năm: nhập ngày 31/12.")
        return day

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.sniffed = validate_evidence(upload)
        return upload

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value < 0:
            raise forms.ValidationError("Kết quả không được âm.")
        return value


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[("approve", "Duyệt"), ("return", "Trả lại")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("note", "").strip():
            self.add_error("note", "Vui lòng ghi lý do trả lại để cơ quan bổ sung.")
        return cleaned


class ResultsUploadForm(forms.Form):
    sheet = forms.FileField(
        label="Tệp Excel (.xlsx)",
        help_text="Các cột: Mã số, Kỳ (ngày cuối kỳ, dd/mm/yyyy), Kết quả, Kiểm chứng.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["sheet"]  # the limit stated on the page, read at call time
        field.help_text = f"{field.help_text} {upload_limits.spreadsheet().statement}"

    def clean_sheet(self):
        upload = self.cleaned_data["sheet"]
        limit = upload_limits.spreadsheet().max_bytes  # the tracker sheets' stated limit
        if upload.size > limit:
            raise forms.ValidationError(upload_limits.too_big_message(upload.size, limit))
        try:
            self.cleaned_data["rows"] = read_sheet(upload.read())
        except SheetError as error:
            raise forms.ValidationError(error.messages) from None
        except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
            raise forms.ValidationError("Không đọc được tệp; vui lòng dùng tệp .xlsx.") from error
        return upload


class TaskLinksForm(forms.Form):
    """The coordinator's decision on a plan's task links: `lien_ket` holds the
    ids of the links kept; `them_<task id>` the codes of criteria to add to a
    task ("1.1, 5.5"). Every link or code must belong to the plan."""

    def __init__(self, data=None, *, plan):
        super().__init__(data)
        self.plan = plan
        self.links = list(
            IndicatorTask.objects.filter(task__plan=plan)
            .select_related("task__section", "indicator__indicator_set")
            .order_by(
                "task__order", "task_id", "indicator__indicator_set__order", "indicator__order"
            )
        )
        self.tasks = list(plan.tasks.select_related("section").order_by("order", "pk"))

    @property
    def by_task(self) -> list[tuple]:
        links: dict[int, list] = {}
        for link in self.links:
            links.setdefault(link.task_id, []).append(link)
        return [(task, links.get(task.pk, [])) for task in self.tasks]

    def clean(self):
        ids = {link.pk for link in self.links}
        kept = {int(v) for v in self.data.getlist("lien_ket") if v.isdigit() and int(v) in ids}
        codes = {
            i.code: i
            for i in Indicator.objects.filter(indicator_set__plan=self.plan, is_total=False)
        }
        added, unknown = {}, []
        for task in self.tasks:
            written = [c.strip() for c in self.data.get(f"them_{task.pk}", "").split(",")]
            for code in filter(None, written):
                if code in codes:
                    added.setdefault(task.pk, []).append(codes[code])
                else:
                    unknown.append(code)
        if unknown:
            raise forms.ValidationError(
                "Không có tiêu chí mã %(codes)s trong kế hoạch.",
                params={"codes": ", ".join(unknown)},
            )
        return {"kept": kept, "added": added}
