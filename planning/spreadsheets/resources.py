"""django-import-export resources: the tracker sheet of assignments, and agencies.

The assignment sheet has exactly these columns (COLUMNS); one row is one
assignment, found again by its natural key: plan number + section + task title
+ lead agency. A section or task that does not exist yet is created; a plan
only when the caller allows it (`plans.py`: a typo must not create a plan).

How one import runs (import_export's workflow, with our hooks):
1. `before_import` loads, in a handful of queries, every plan named in the
   file (`plans.PlanColumnMixin`) with its sections, tasks and assignments,
   and the agency directory;
2. `before_import` then reads every row into a `rows.ParsedRow` (one message
   per bad cell) and matches rows to assignments (`_match_rows`): the natural
   key, and for recurring work the period named by "Thời hạn"; a row that
   repeats an earlier one is refused; the plans the file would create are
   listed (`new_plan_list`), and one not allowed makes its first row an error;
3. `get_instance` returns the matched assignment (no query);
4. `import_instance` applies the values and lists the changes, or raises the
   collected errors (the row becomes "invalid");
5. `skip_row` skips a known assignment with no change (idempotent re-import);
6. saving (`saving.AssignmentSavingMixin`) creates what is missing and queues
   history events, written in one bulk insert in `after_import`. A dry run
   writes nothing at all.
The caller (`services.import_assignments`) passes rollback_on_validation_errors
so that one invalid row rolls back the whole file. The columns live in
`columns.py`, the export hooks in `exporting.py`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from import_export import fields, resources
from import_export.results import RowResult

from agencies.matching import AgencyDirectory
from agencies.models import Agency
from planning.deadlines import due_label
from planning.formatting import spreadsheet_safe
from planning.models import Assignment, AssignmentEvent, Plan, Section, Task

from .columns import (
    COMPLETED,
    COORDINATING,
    DEADLINE,
    EVIDENCE,
    LEAD,
    NOTE,
    PLAN,
    SECTION,
    STATUS,
    TITLE,
    coordination_of,
    day_text,
    split_names,
    squash,
    too_long,
)
from .exporting import AssignmentExportMixin
from .plans import NewPlan, PlanColumnMixin
from .rows import ParsedRow, label_periods, mark_duplicates, period_of, values_of
from .saving import AssignmentSavingMixin
from .widgets import AgencyWidget, DayFirstDateWidget, DeadlineWidget, StatusWidget


class AssignmentResource(
    PlanColumnMixin, AssignmentExportMixin, AssignmentSavingMixin, resources.ModelResource
):
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

        plans = self._load_plans(dataset)
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
        parsed.coordination = "; ".join(split_names(str(row.get(COORDINATING) or "")))
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
                mark_duplicates(rows, lambda p: 0, "")
            elif existing:
                for parsed in rows:
                    parsed.recurring = True
                    if DEADLINE not in parsed.errors:
                        parsed.target = period_of(existing, parsed)
                        if parsed.target is None:
                            labels = ", ".join(a.period or due_label(a.due_date) for a in existing)
                            parsed.errors[DEADLINE] = (
                                f"'{parsed.deadline_text}' không khớp kỳ nào của nhiệm vụ "
                                f"định kỳ này ({labels})"
                            )
                mark_duplicates(rows, lambda p: p.target and p.target.pk, " và thời hạn")
            elif len(rows) > 1:
                for parsed in rows:
                    parsed.recurring = True
                mark_duplicates(rows, lambda p: p.due_date, " và thời hạn")
                label_periods([p for p in rows if DEADLINE not in p.errors])

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
                        day_text(instance.completed_on),
                        day_text(parsed.completed_on),
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

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            parsed = self.parsed[kwargs.get("row_number", 1)]
            is_new = row_result.import_type == RowResult.IMPORT_TYPE_NEW
            values = values_of(parsed) if is_new else []
            self.summaries.append((parsed.line, row_result.import_type, self._row_changes, values))


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
    "AgencyResource",
    "AssignmentResource",
]
