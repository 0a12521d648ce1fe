"""The export half of the tracker sheet: one row per assignment, read back unchanged.

`AssignmentExportMixin` gives `AssignmentResource` its queryset (everything in a
constant number of queries) and one `dehydrate_*` per computed column.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from planning.formatting import spreadsheet_safe
from planning.models import AssignmentEvent, Plan

from .columns import coordination_of


class AssignmentExportMixin:
    """Export hooks of `AssignmentResource` (see `resources.py`)."""

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
        """The deadline as the plan states it, with its date ("Quý III/2022
        (30/09/2022)", a recurring period's own label first); an extended one as its
        approved date (`Assignment.due_label`). Either way the rows of one recurring
        task differ, and the import reads the same due date back."""
        return obj.due_label

    def dehydrate_coordination(self, obj):
        return coordination_of(obj.task)

    def dehydrate_evidence(self, obj):
        return getattr(obj, "sheet_evidence", None) or ""

    def dehydrate_note(self, obj):
        return getattr(obj, "sheet_note", None) or ""
