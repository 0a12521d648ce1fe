"""django-import-export resources: the tracker sheet of assignments, and agencies.

The assignment sheet has exactly these columns (COLUMNS); one row is one
assignment, found again by its natural key: plan number + section + task title
+ lead agency. A section or task that does not exist yet is created; a plan
only when the caller allows it (`plans.py`: a typo must not create a plan).

How one import runs (import_export's workflow, with our hooks):
1. `before_import` loads, in a handful of queries, every plan named in the
   file with its sections, tasks and assignments, and the agency directory;
2. `before_import` then reads every row into a `ParsedRow` (one message per
   bad cell) and matches rows to assignments (`_match_rows`): the natural key,
   and for recurring work the period named by "Thời hạn"; a row that repeats
   an earlier one is refused; the plans the file would create are listed
   (`new_plan_list`), and one not allowed makes its first row an error;
3. `get_instance` returns the matched assignment (no query);
4. `import_instance` applies the values and lists the changes, or raises the
   collected errors (the row becomes "invalid");
5. `skip_row` skips a known assignment with no change (idempotent re-import);
6. saving creates what is missing and queues history events, written in one
   bulk insert in `after_import`. A dry run writes nothing at all.
The caller (`services.import_assignments`) passes rollback_on_validation_errors
so that one invalid row rolls back the whole file.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from import_export import fields, resources
from import_export.results import RowResult

from agencies.matching import AgencyDirectory, fold
from agencies.models import Agency
from planning.deadlines import Kind as DeadlineKind
from planning.deadlines import due_label, parse_deadline, recurring_periods
from planning.formatting import spreadsheet_safe
from planning.models import Assignment, AssignmentEvent, Plan, Section, Task

from .plans import NewPlan, near_miss, plan_key
from .widgets import AgencyWidget, DayFirstDateWidget, DeadlineWidget, StatusWidget

PLAN = "Kế hoạch"
SECTION = "Mục"
TITLE = "Nhiệm vụ"
LEAD = "Cơ quan chủ trì"
COORDINATING = "Cơ quan phối hợp"
DEADLINE = "Thời hạn"
STATUS = "Trạng thái"
COMPLETED = "Ngày hoàn thành"
EVIDENCE = "Văn bản kiểm chứng"
NOTE = "Ghi chú"
COLUMNS = [PLAN, SECTION, TITLE, LEAD, COORDINATING, DEADLINE, STATUS, COMPLETED, EVIDENCE, NOTE]
REQUIRED = [PLAN, SECTION, TITLE, LEAD, DEADLINE, STATUS]

# What each column holds: the header comments of the downloadable templates.
COLUMN_HELP = {
    PLAN: "Số, ký hiệu kế hoạch, ví dụ 192/KH-UBND. Kế hoạch chưa có sẽ được tạo; "
    "nếu nhiều năm trùng số, ghi thêm năm: 192/KH-UBND (2022).",
    SECTION: "Mục của kế hoạch, ví dụ 1.1 hoặc III.2 (có thể để trống).",
    TITLE: "Nội dung nhiệm vụ, ghi đúng như trong kế hoạch.",
    LEAD: "Một cơ quan chủ trì: mã (STP), tên (Sở Tư pháp) hoặc tên gọi khác.",
    COORDINATING: "Các cơ quan phối hợp, cách nhau bằng dấu chấm phẩy (;).",
    DEADLINE: "tháng 7/2022, 7/2022, Quý III/2022, 31/07/2022 hoặc Thường xuyên.",
    STATUS: "Chưa thực hiện, Đang thực hiện hoặc Hoàn thành.",
    COMPLETED: "Ngày/tháng/năm, ví dụ 03/06/2023; bắt buộc khi đã Hoàn thành.",
    EVIDENCE: "Số, ký hiệu văn bản kiểm chứng (báo cáo, quyết định…).",
    NOTE: "Ghi chú tùy ý.",
}
EXAMPLE_ROW = [
    "192/KH-UBND",
    "1.1",
    "Tổ chức Hội nghị triển khai các giải pháp cải thiện Chỉ số CCHC",
    "Sở Nội vụ",
    "Văn phòng UBND Thành phố; Sở Tư pháp",
    "tháng 7/2022",
    "Hoàn thành",
    "28/07/2022",
    "Báo cáo số 123/BC-SNV ngày 28/07/2022",
    "Dòng ví dụ: xóa trước khi nhập",
]

IMPORT_NOTE = "Nhập từ bảng tính"
_PLAN_WITH_YEAR = re.compile(r"^(.*\S)\s*\(\s*((?:19|20)\d{2})\s*\)$")


def squash(text) -> str:
    return " ".join(str(text or "").split())


def too_long(text: str, model, field_name: str) -> str | None:
    """The message for a cell longer than its database column. Checked before the
    database does, so that SQLite (which stores any length) refuses what
    PostgreSQL would, and the message names the limit in Vietnamese."""
    limit = model._meta.get_field(field_name).max_length
    if len(text) <= limit:
        return None
    return f"dài {len(text)} ký tự, quá giới hạn {limit} ký tự của cột này — hãy rút gọn"


def _split_names(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text or "") if part.strip()]


@dataclass
class ParsedRow:
    """One row's cells read into values, and what was wrong with them."""

    line: int
    plan: Plan | None = None
    section_code: str = ""
    title: str = ""
    agency: Agency | None = None
    coordination: str = ""
    due_date: date | None = None
    deadline_text: str = ""
    deadline_kind: str = ""
    status: str = Assignment.Status.NOT_STARTED
    completed_on: date | None = None
    evidence: str = ""
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    target: Assignment | None = None
    """The existing assignment this row updates (found by natural key and deadline)."""
    period: str = ""
    """A new period of recurring work: its label (`planning.deadlines.recurring_periods`)."""
    recurring: bool = False
    """The row is one period of recurring work: "Thời hạn" names the period."""

    @property
    def key(self):
        plan_key = self.plan.pk or id(self.plan)
        return (plan_key, self.section_code, self.title, self.agency.pk)


class AssignmentResource(resources.ModelResource):
    """The tracker sheet: one row per assignment, in the columns of `COLUMNS`."""

    plan = fields.Field(attribute="plan", column_name=PLAN)
    section = fields.Field(column_name=SECTION)
    title = fields.Field(column_name=TITLE)
    agency = fields.Field(attribute="agency", column_name=LEAD, widget=AgencyWidget())
    coordination = fields.Field(column_name=COORDINATING)
    due_date = fields.Field(attribute="due_date", column_name=DEADLINE, widget=DeadlineWidget())
    status = fields.Field(attribute="status", column_name=STATUS, widget=StatusWidget())
    completed_on = fields.Field(
        attribute="completed_on", column_name=COMPLETED, widget=DayFirstDateWidget()
    )
    evidence = fields.Field(column_name=EVIDENCE)
    note = fields.Field(column_name=NOTE)

    class Meta:
        model = Assignment
        fields = (
            "plan",
            "section",
            "title",
            "agency",
            "coordination",
            "due_date",
            "status",
            "completed_on",
            "evidence",
            "note",
        )
        import_id_fields = ()
        skip_diff = True
        skip_html_diff = True
        report_skipped = True
        use_transactions = True

    def __init__(
        self,
        *,
        user=None,
        progress: Callable[[int, int], None] | None = None,
        allow_new_plans: bool | Collection[tuple[str, int]] = False,
        **kw,
    ):
        """`allow_new_plans`: True creates any plan the file names and the database
        lacks; a collection of (number, year) creates only those (what the user
        confirmed on the preview); False creates none (the admin, a script)."""
        super().__init__(**kw)
        self.user = user
        self.progress = progress
        self.allow_new_plans = (
            allow_new_plans
            if isinstance(allow_new_plans, bool)
            else {(str(number), int(year)) for number, year in allow_new_plans}
        )
        self.line_numbers: list[int] = []
        self.parsed: dict[int, ParsedRow] = {}
        self.plan_numbers: dict[tuple[str, str], list[str]] = {}
        self.new_plan_list: list[NewPlan] = []

    def import_data(self, dataset, dry_run=False, **kwargs):
        """A dry run writes nothing (see `save_instance`), so import_export's
        per-row savepoints would be pure round trips: run it in one atomic block
        that is always rolled back instead. A real run is import_export's own."""
        if not dry_run:
            return super().import_data(dataset, dry_run=False, **kwargs)
        with transaction.atomic():
            result = self.import_data_inner(
                dataset,
                True,
                kwargs.pop("raise_errors", False),
                False,
                kwargs.pop("collect_failed_rows", False),
            )
            transaction.set_rollback(True)
        return result

    # --- Export -----------------------------------------------------------------

    @classmethod
    def export_queryset(cls, queryset):
        """Everything an export needs, in a constant number of queries."""
        latest = AssignmentEvent.objects.filter(
            assignment=OuterRef("pk"), kind=AssignmentEvent.Kind.IMPORTED
        ).order_by("-created_at", "-pk")
        return (
            queryset.select_related("plan", "task__section", "agency")
            .prefetch_related("task__coordinating_agencies")
            .annotate(
                sheet_evidence=Subquery(latest.filter(field="evidence").values("new_value")[:1]),
                sheet_note=Subquery(latest.filter(field="note").values("new_value")[:1]),
            )
            .order_by("plan__year", "plan__number", "task__section__order", "task__order", "pk")
        )

    def before_export(self, queryset, **kwargs):
        numbers = queryset.values_list("plan__number", flat=True).distinct()
        years = Plan.objects.filter(number__in=numbers).values_list("number", "year")
        seen: dict[str, int] = {}
        for number, _ in years:
            seen[number] = seen.get(number, 0) + 1
        self._ambiguous_numbers = {n for n, count in seen.items() if count > 1}

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))

    def dehydrate_plan(self, obj):
        if obj.plan.number in getattr(self, "_ambiguous_numbers", ()):
            return f"{obj.plan.number} ({obj.plan.year})"
        return obj.plan.number

    def dehydrate_section(self, obj):
        return obj.task.section.code if obj.task.section else ""

    def dehydrate_title(self, obj):
        return obj.task.title

    def dehydrate_due_date(self, obj):
        """A period of recurring work shows its own label ("Quý II/2022") while its
        due date is the period's; an extended period shows its due date. Either way
        the rows of one recurring task differ, and the import finds each period."""
        if obj.period and period_due_date(obj.period) == obj.due_date:
            return obj.period
        return due_label(obj.due_date)

    def dehydrate_coordination(self, obj):
        return coordination_of(obj.task)

    def dehydrate_evidence(self, obj):
        return getattr(obj, "sheet_evidence", None) or ""

    def dehydrate_note(self, obj):
        return getattr(obj, "sheet_note", None) or ""

    # --- Import: loading ------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Load what the file refers to, once (see the module docstring, step 1)."""
        self.line_numbers = getattr(dataset, "line_numbers", None) or [
            i + 2 for i in range(len(dataset))
        ]
        self.directory = AgencyDirectory()
        self.fields["agency"].widget.directory = self.directory
        self.total = len(dataset)
        self.dry_run = kwargs.get("dry_run", False)
        self.events: list[AssignmentEvent] = []
        self.parsed = {}
        self.new_plans: dict[str, Plan] = {}
        self.summaries: list[tuple[int, str, list]] = []
        self.links: list = []

        # Every plan number, for the spellings and typos of `plans.py`; then the
        # plans the file names, in full.
        self.known_numbers: dict[str, set[str]] = {}
        for number in Plan.objects.values_list("number", flat=True).distinct():
            self.known_numbers.setdefault(plan_key(number), set()).add(number)
        self.all_numbers = sorted(n for spellings in self.known_numbers.values() for n in spellings)
        numbers = set()
        if PLAN in dataset.headers:
            for cell in dataset[PLAN]:
                number, _ = self._split_plan(squash(cell))
                numbers |= self.known_numbers.get(plan_key(number), set())
        plans = list(Plan.objects.filter(number__in=numbers))
        self.plans_by_number: dict[str, list[Plan]] = {}
        for plan in plans:
            self.plans_by_number.setdefault(plan.number, []).append(plan)
        self.new_plan_years = self._years_of_new_plans(dataset)
        self.sections = {(s.plan_id, s.code): s for s in Section.objects.filter(plan__in=plans)}
        self.tasks: dict[tuple, Task] = {}
        for task in (
            Task.objects.filter(plan__in=plans)
            .select_related("section")
            .prefetch_related("coordinating_agencies")
        ):
            code = task.section.code if task.section else ""
            self.tasks.setdefault((task.plan_id, code, squash(task.title)), task)
        self.assignments: dict[tuple, list[Assignment]] = {}
        queryset = self.export_queryset(Assignment.objects.filter(plan__in=plans))
        for assignment in queryset:
            code = assignment.task.section.code if assignment.task.section else ""
            key = (assignment.plan_id, code, squash(assignment.task.title), assignment.agency_id)
            self.assignments.setdefault(key, []).append(assignment)

        # Every row is read before the first is imported: whether a row is one
        # period of recurring work depends on the rows that share its natural key.
        for index, data_row in enumerate(dataset, 1):
            cells = OrderedDict(zip(dataset.headers, data_row, strict=False))
            self.parsed[index] = self._parse(cells, index)
        self._match_rows()
        self.new_plan_list = self._list_new_plans()

    def _known_plans(self, number: str) -> list[Plan]:
        """The plans with this number, spelled exactly or as `plan_key` forgives."""
        if number in self.plans_by_number:
            return self.plans_by_number[number]
        spellings = sorted(self.known_numbers.get(plan_key(number), ()))
        return [p for n in spellings for p in self.plans_by_number.get(n, [])]

    def _list_new_plans(self) -> list[NewPlan]:
        """The plans this file would create, each with its tasks and lines; the first
        row of a plan the caller did not confirm is an error, so nothing is saved."""
        rows_of: dict[int, list[ParsedRow]] = {}
        for parsed in self.parsed.values():
            if parsed.plan is not None and parsed.plan.pk is None:
                rows_of.setdefault(id(parsed.plan), []).append(parsed)
        listed = []
        for rows in rows_of.values():
            plan = rows[0].plan
            new = NewPlan(
                number=plan.number,
                year=plan.year,
                tasks=len({(p.section_code, p.title) for p in rows if p.title}),
                lines=[p.line for p in rows],
            )
            listed.append(new)
            allowed = self.allow_new_plans
            if allowed is not True and (allowed is False or new.key not in allowed):
                rows[0].errors.setdefault(
                    PLAN,
                    f"chưa có kế hoạch '{plan.number}' trong hệ thống: tệp sẽ tạo kế hoạch "
                    f"mới {new.describe()}. Tạo kế hoạch mới cần được xác nhận riêng; "
                    f"nếu đây là lỗi gõ, hãy sửa cột '{PLAN}'.",
                )
        return listed

    def _years_of_new_plans(self, dataset) -> dict[str, int]:
        """A plan the file creates takes the year of its earliest deadline, so that
        every row of "77/KH-UBND" lands in the same plan whatever its own deadline."""
        years: dict[str, int] = {}
        if PLAN not in dataset.headers or DEADLINE not in dataset.headers:
            return years
        widget = self.fields["due_date"].widget
        for plan_cell, due_cell in zip(dataset[PLAN], dataset[DEADLINE], strict=True):
            number, year = self._split_plan(squash(plan_cell))
            if year or self._known_plans(number):
                continue
            try:
                due = widget.clean(due_cell)
            except ValueError:
                continue
            if due and (number not in years or due.year < years[number]):
                years[number] = due.year
        return years

    @staticmethod
    def _split_plan(text: str) -> tuple[str, int | None]:
        m = _PLAN_WITH_YEAR.match(text)
        return (m.group(1), int(m.group(2))) if m else (text, None)

    def _plan_for(self, text: str, errors: dict) -> Plan | None:
        """The plan a cell names; a new (unsaved) plan when none has that number."""
        number, year = self._split_plan(text)
        if not number:
            errors[PLAN] = "chưa ghi số kế hoạch"
            return None
        if message := too_long(number, Plan, "number"):
            errors[PLAN] = message
            return None
        known = candidates = self._known_plans(number)
        if year is not None:
            candidates = [p for p in candidates if p.year == year]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            years = ", ".join(str(p.year) for p in candidates)
            errors[PLAN] = (
                f"có nhiều kế hoạch số '{number}' (năm {years}) — ghi thêm năm, "
                f"ví dụ '{number} ({candidates[0].year})'"
            )
            return None
        if not known and (typo_of := near_miss(number, self.all_numbers)):
            errors[PLAN] = (
                f"chưa có kế hoạch '{number}'. Có phải là {typo_of}? (Nếu đúng là một kế "
                "hoạch khác, hãy tạo kế hoạch đó ở trang “Tạo kế hoạch” trước rồi nhập lại.)"
            )
            return None
        year = year or self.new_plan_years.get(number) or timezone.localdate().year
        key = f"{number}|{year}"
        if key not in self.new_plans:
            self.new_plans[key] = Plan(
                number=number, year=year, title=f"Kế hoạch {number}", status=Plan.Status.ACTIVE
            )
            self.new_plans[key]._sheet_new = True
        return self.new_plans[key]

    # --- Import: one row --------------------------------------------------------

    def _parse(self, row, index: int) -> ParsedRow:
        """Read every cell, collecting one message per bad cell (step 2)."""
        parsed = ParsedRow(line=self.line_numbers[index - 1])
        errors = parsed.errors

        def clean(column, widget, **extra):
            try:
                return widget.clean(row.get(column, ""), row=row, **extra)
            except ValueError as exc:
                errors[column] = str(exc)
                return None

        raw_plan = squash(row.get(PLAN))
        _, plan_year = self._split_plan(raw_plan)
        known = self._known_plans(self._split_plan(raw_plan)[0])
        default_year = plan_year or (known[0].year if len(known) == 1 else None)
        parsed.deadline_text = squash(row.get(DEADLINE))
        try:
            parsed.due_date, parsed.deadline_kind = self.fields["due_date"].widget.read(
                row.get(DEADLINE, ""), default_year=default_year
            )
        except ValueError as exc:
            errors[DEADLINE] = str(exc)
        parsed.plan = self._plan_for(raw_plan, errors)
        parsed.section_code = squash(row.get(SECTION))
        if message := too_long(parsed.section_code, Section, "code"):
            errors[SECTION] = message
        parsed.title = squash(row.get(TITLE))
        if not parsed.title:
            errors[TITLE] = "chưa ghi nội dung nhiệm vụ"
        parsed.agency = clean(LEAD, self.fields["agency"].widget)
        parsed.coordination = "; ".join(_split_names(str(row.get(COORDINATING) or "")))
        parsed.status = clean(STATUS, self.fields["status"].widget) or parsed.status
        parsed.completed_on = clean(COMPLETED, self.fields["completed_on"].widget)
        parsed.evidence = squash(row.get(EVIDENCE))
        parsed.note = str(row.get(NOTE) or "").strip()

        if parsed.status == Assignment.Status.DONE and not parsed.completed_on:
            errors.setdefault(COMPLETED, "trạng thái 'Hoàn thành' cần ghi ngày hoàn thành")
        plan_date = parsed.plan.issued_on if parsed.plan else None
        if parsed.completed_on and plan_date and parsed.completed_on < plan_date:
            errors.setdefault(
                COMPLETED,
                f"ngày hoàn thành {parsed.completed_on:%d/%m/%Y} trước ngày ban hành "
                f"kế hoạch ({plan_date:%d/%m/%Y})",
            )
        if parsed.completed_on and parsed.completed_on > timezone.localdate():
            errors.setdefault(COMPLETED, f"ngày hoàn thành {parsed.completed_on:%d/%m/%Y} chưa tới")
        return parsed

    def _match_rows(self) -> None:
        """Find each row's assignment: the natural key, then, for recurring work, the
        period "Thời hạn" names. Rows that land on the same assignment (or, for new
        work, on the same deadline) are duplicates.

        - the key names one ordinary assignment: every row with the key is that one;
        - the key names the periods of recurring work: the period whose label the
          cell spells, else whose due date it gives (the due date is not changed);
        - the key is new: one row is an ordinary assignment; several rows with
          different deadlines are the periods of one recurring task.
        """
        groups: dict[tuple, list[ParsedRow]] = {}
        for parsed in self.parsed.values():
            if parsed.plan and parsed.title and parsed.agency:
                groups.setdefault(parsed.key, []).append(parsed)
        for key, rows in groups.items():
            existing = self.assignments.get(key, []) if rows[0].plan.pk else []
            if len(existing) == 1 and not existing[0].period:
                for parsed in rows:
                    parsed.target = existing[0]
                _mark_duplicates(rows, lambda p: 0, "")
            elif existing:
                for parsed in rows:
                    parsed.recurring = True
                    if DEADLINE not in parsed.errors:
                        parsed.target = _period_of(existing, parsed)
                        if parsed.target is None:
                            labels = ", ".join(a.period or due_label(a.due_date) for a in existing)
                            parsed.errors[DEADLINE] = (
                                f"'{parsed.deadline_text}' không khớp kỳ nào của nhiệm vụ "
                                f"định kỳ này ({labels})"
                            )
                _mark_duplicates(rows, lambda p: p.target and p.target.pk, " và thời hạn")
            elif len(rows) > 1:
                for parsed in rows:
                    parsed.recurring = True
                _mark_duplicates(rows, lambda p: p.due_date, " và thời hạn")
                _label_periods([p for p in rows if DEADLINE not in p.errors])

    def before_import_row(self, row, **kwargs):
        """Every row was read in `before_import`."""

    def get_instance(self, instance_loader, row):
        """Step 3: the natural key (and the period), looked up in memory."""
        parsed = self._current(row)
        if parsed.errors:
            return None
        return parsed.target

    def _current(self, row) -> ParsedRow:
        return self.parsed[self._row_number]

    def import_row(self, row, instance_loader, **kwargs):
        number = self._row_number = kwargs.get("row_number", 1)
        self._row_changes = []
        result = super().import_row(row, instance_loader, **kwargs)
        if self.progress and (number % 100 == 0 or number == self.total):
            self.progress(number, self.total)
        return result

    def import_instance(self, instance, row, **kwargs):
        """Step 4: apply the values and list what changes (kind, field, old, new)."""
        parsed = self._current(row)
        if parsed.errors:
            raise ValidationError({col: [msg] for col, msg in parsed.errors.items()})
        changes: list[tuple[str, str, str, str]] = []
        is_new = instance.pk is None
        Kind = AssignmentEvent.Kind
        if is_new:
            instance.plan = parsed.plan
            instance.agency = parsed.agency
            instance.period = parsed.period
            instance.original_due_date = parsed.due_date
            instance.due_date = parsed.due_date
            instance.status = parsed.status
            instance.completed_on = parsed.completed_on
        else:
            if instance.status != parsed.status:
                old = str(Assignment.Status(instance.status).label)
                new = str(Assignment.Status(parsed.status).label)
                changes.append((Kind.STATUS, "status", old, new))
                instance.status = parsed.status
                instance.version += 1
            if not parsed.recurring and instance.due_date != parsed.due_date:
                changes.append(
                    (
                        Kind.DUE_DATE,
                        "due_date",
                        due_label(instance.due_date),
                        due_label(parsed.due_date),
                    )
                )
                instance.due_date = parsed.due_date
            if instance.completed_on != parsed.completed_on:
                changes.append(
                    (
                        Kind.IMPORTED,
                        "completed_on",
                        _d(instance.completed_on),
                        _d(parsed.completed_on),
                    )
                )
                instance.completed_on = parsed.completed_on
            if coordination_of(instance.task) != parsed.coordination:
                changes.append(
                    (
                        Kind.IMPORTED,
                        "coordination",
                        coordination_of(instance.task),
                        parsed.coordination,
                    )
                )
        old_evidence = "" if is_new else (getattr(instance, "sheet_evidence", None) or "")
        if parsed.evidence != old_evidence:
            changes.append((Kind.IMPORTED, "evidence", old_evidence, parsed.evidence))
        old_note = "" if is_new else (getattr(instance, "sheet_note", None) or "")
        if parsed.note != old_note:
            changes.append((Kind.IMPORTED, "note", old_note, parsed.note))
        instance._sheet_changes = self._row_changes = changes
        instance._sheet_row = parsed

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Step 5: a known assignment whose cells all match is skipped."""
        if import_validation_errors:
            return False
        return instance.pk is not None and not instance._sheet_changes

    def save_instance(self, instance, is_create, row, **kwargs):
        """Step 6. A dry run writes nothing: the preview needs counts and messages only."""
        if kwargs.get("dry_run"):
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        parsed: ParsedRow = instance._sheet_row
        plan = parsed.plan
        if plan.pk is None:
            plan.save()
        instance.plan = plan
        if instance.pk is None:
            instance.task = self._task_for(parsed)
        elif any(c[1] == "coordination" for c in instance._sheet_changes):
            self._set_coordination(instance.task, parsed.coordination)

    def _task_for(self, parsed: ParsedRow) -> Task:
        plan = parsed.plan
        key = (plan.pk, parsed.section_code, parsed.title)
        task = self.tasks.get(key)
        if task is not None:
            return task
        section = None
        if parsed.section_code:
            section = self.sections.get((plan.pk, parsed.section_code))
            if section is None:
                order = 1 + max(
                    (s.order for (pid, _), s in self.sections.items() if pid == plan.pk),
                    default=0,
                )
                section = Section.objects.create(plan=plan, code=parsed.section_code, order=order)
                self.sections[(plan.pk, parsed.section_code)] = section
        order = 1 + sum(1 for k in self.tasks if k[0] == plan.pk)
        task = Task.objects.create(
            plan=plan,
            section=section,
            title=parsed.title,
            due_text=due_label(parsed.due_date),
            due_date=parsed.due_date,
            coordination_text=parsed.coordination,
            order=order,
        )
        # Links to coordinating agencies are inserted in bulk after the last row.
        Link = Task.coordinating_agencies.through
        self.links += [
            Link(task_id=task.pk, agency_id=agency.pk)
            for agency in {a.pk: a for a in self._resolve_all(parsed.coordination)}.values()
        ]
        task._prefetched_objects_cache = {"coordinating_agencies": []}
        self.tasks[key] = task
        return task

    def _resolve_all(self, text: str) -> list[Agency]:
        return [a for a in map(self.directory.resolve, _split_names(text)) if a]

    def _set_coordination(self, task: Task, text: str) -> None:
        """Names that resolve become links; the text is kept as written."""
        agencies = self._resolve_all(text)
        task.coordination_text = text
        task.save(update_fields=["coordination_text"])
        task.coordinating_agencies.set(agencies)
        task._prefetched_objects_cache = {}

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        for kind, field_name, old, new in instance._sheet_changes:
            self.events.append(
                AssignmentEvent(
                    assignment=instance,
                    actor=self.user,
                    kind=kind,
                    field=field_name,
                    old_value=old,
                    new_value=new,
                    note=IMPORT_NOTE,
                )
            )

    def do_instance_save(self, instance, is_create):
        instance.save(force_insert=is_create)
        if is_create:
            Kind = AssignmentEvent.Kind
            self.events.append(
                AssignmentEvent(
                    assignment=instance,
                    actor=self.user,
                    kind=Kind.CREATED,
                    new_value=instance.due_label,
                    note=IMPORT_NOTE,
                )
            )
            if instance.status != Assignment.Status.NOT_STARTED:
                self.events.append(
                    AssignmentEvent(
                        assignment=instance,
                        actor=self.user,
                        kind=Kind.STATUS,
                        field="status",
                        old_value="",
                        new_value=str(Assignment.Status(instance.status).label),
                        note=IMPORT_NOTE,
                    )
                )

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            parsed = self.parsed[kwargs.get("row_number", 1)]
            is_new = row_result.import_type == RowResult.IMPORT_TYPE_NEW
            values = _values_of(parsed) if is_new else []
            self.summaries.append((parsed.line, row_result.import_type, self._row_changes, values))

    def after_import(self, dataset, result, **kwargs):
        if not kwargs.get("dry_run"):
            Task.coordinating_agencies.through.objects.bulk_create(self.links, batch_size=1000)
            AssignmentEvent.objects.bulk_create(self.events, batch_size=1000)
        super().after_import(dataset, result, **kwargs)


def _mark_duplicates(rows: list[ParsedRow], slot, what: str) -> None:
    """A row whose slot an earlier row of the same natural key took is a duplicate."""
    first: dict = {}
    for parsed in rows:
        if DEADLINE in parsed.errors and what:
            continue
        line = first.setdefault(slot(parsed), parsed.line)
        if line != parsed.line:
            parsed.errors.setdefault(
                TITLE,
                f"trùng với dòng {line} (cùng kế hoạch, mục, nhiệm vụ, cơ quan chủ trì{what})"
                if what
                else f"trùng với dòng {line} (cùng kế hoạch, mục, nhiệm vụ và cơ quan chủ trì)",
            )


@lru_cache(maxsize=512)
def period_due_date(label: str) -> date | None:
    """The due date a period label names ("Quý II/2022" → 30/06/2022)."""
    deadline = parse_deadline(label)
    return deadline.due_date if deadline else None


def _period_of(periods: list[Assignment], parsed: ParsedRow) -> Assignment | None:
    """The period a "Thời hạn" cell names: by label, else by (effective) due date;
    when two periods share that due date, the one extended to it."""
    text = fold(parsed.deadline_text)
    for assignment in periods:
        if assignment.period and fold(assignment.period) == text:
            return assignment
    same_due = [a for a in periods if a.due_date == parsed.due_date]
    same_due.sort(key=lambda a: period_due_date(a.period) == a.due_date)
    if same_due:
        return same_due[0]
    return next((a for a in periods if a.original_due_date == parsed.due_date), None)


_RECURRENCE_OF_KIND = {
    DeadlineKind.MONTH: "month",
    DeadlineKind.QUARTER: "quarter",
    DeadlineKind.HALF: "half",
    DeadlineKind.YEAR: "year",
}


def _label_periods(rows: list[ParsedRow]) -> None:
    """Labels of new periods, from `planning.deadlines.recurring_periods`: a row
    written "Quý II/2022" is that quarter; rows written as dates take the first
    kind of period (quarter, half year, year, month) that ends on all their dates;
    a date that ends no period is its own label ("15/08/2022")."""

    def labels(recurrence: str, due: date) -> dict[date, str]:
        return {end: label for label, end in recurring_periods(recurrence, due.year)}

    dated = [p for p in rows if p.deadline_kind not in _RECURRENCE_OF_KIND and p.due_date]
    common = next(
        (
            rec
            for rec in ("quarter", "half", "year", "month")
            if dated and all(p.due_date in labels(rec, p.due_date) for p in dated)
        ),
        None,
    )
    for parsed in rows:
        recurrence = _RECURRENCE_OF_KIND.get(parsed.deadline_kind, common)
        label = None
        if recurrence and parsed.due_date:
            label = labels(recurrence, parsed.due_date).get(parsed.due_date)
        parsed.period = label or due_label(parsed.due_date)


def _values_of(parsed: ParsedRow) -> list[tuple[str, str]]:
    """What a new row creates, column by column, as the preview shows it."""
    plan = parsed.plan
    plan_text = plan.number
    if getattr(plan, "_sheet_new", False):
        plan_text += f" (kế hoạch mới, năm {plan.year})"
    # The deadline as the cell states it ("Quý III/2022"), and the date read from it.
    if parsed.period:
        deadline = parsed.period
    elif parsed.due_date is None:
        deadline = due_label(None)
    elif parsed.deadline_kind == DeadlineKind.DATE:
        deadline = _d(parsed.due_date)
    else:
        deadline = parsed.deadline_text
    if parsed.due_date and deadline != _d(parsed.due_date):
        deadline += f" (hạn {_d(parsed.due_date)})"
    values = [
        (PLAN, plan_text),
        (SECTION, parsed.section_code),
        (TITLE, parsed.title),
        (LEAD, parsed.agency.name),
        (COORDINATING, parsed.coordination),
        (DEADLINE, deadline),
        (STATUS, str(Assignment.Status(parsed.status).label)),
        (COMPLETED, _d(parsed.completed_on)),
        (EVIDENCE, parsed.evidence),
        (NOTE, parsed.note),
    ]
    return [(column, value) for column, value in values if value]


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def coordination_of(task: Task) -> str:
    """What the sheet shows in 'Cơ quan phối hợp': the text as written, else the names."""
    if task.coordination_text:
        return "; ".join(_split_names(task.coordination_text))
    return "; ".join(a.name for a in task.coordinating_agencies.all())


class AgencyResource(resources.ModelResource):
    """Agencies for the admin's import/export (superusers): code is the key."""

    class Meta:
        model = Agency
        fields = (
            "code",
            "name",
            "short_name",
            "aliases",
            "kind",
            "emails",
            "leader_email",
            "is_active",
        )
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))


__all__ = [
    "COLUMNS",
    "REQUIRED",
    "AgencyResource",
    "AssignmentResource",
]
