"""What the API says about each object: stable English field names, ISO dates.

The pages speak Vietnamese; the API's field names are a contract with other
systems and never change with the wording of a page. Human-readable Vietnamese
labels ride along where a system would otherwise have to re-create them
(`status_label`, `due_label`, `ratio_label`).
"""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import Agency

from ..models import Assignment, AssignmentEvent, Plan, Section, Task


class AgencySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "kind", "kind_label", "parent", "is_active"]


class PlanSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "number",
            "title",
            "issuing_body",
            "place",
            "issued_on",
            "signer",
            "year",
            "status",
            "status_label",
        ]


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "plan", "code", "title", "order"]


class TaskSerializer(serializers.ModelSerializer):
    section = serializers.SlugRelatedField(slug_field="code", read_only=True)
    coordinating_agencies = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "section",
            "title",
            "deliverable",
            "coordinating_agencies",
            "coordination_text",
            "due_text",
            "due_date",
            "order",
        ]


class AssignmentSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    section = serializers.CharField(source="task.section.code", read_only=True, default=None)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    due_label = serializers.CharField(read_only=True)
    due_text = serializers.CharField(source="task.due_text", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "plan",
            "task",
            "task_title",
            "section",
            "agency",
            "agency_name",
            "period",
            "due_text",
            "due_date",
            "original_due_date",
            "due_label",
            "status",
            "status_label",
            "completed_on",
            "last_progress_at",
            "version",
            "updated_at",
        ]


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AssignmentEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "actor",
            "field",
            "old_value",
            "new_value",
            "note",
            "created_at",
        ]

    def get_actor(self, event) -> str:
        actor = event.actor
        if actor is None:
            return ""
        return actor.get_full_name() or actor.get_username()


class RollupSerializer(serializers.Serializer):
    """The figures of the dashboard for one plan (and agency) as of a date."""

    plan = serializers.IntegerField()
    agency = serializers.CharField(allow_null=True)
    as_of = serializers.DateField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    done_late = serializers.IntegerField()
    open_not_due = serializers.IntegerField()
    overdue = serializers.IntegerField()
    ongoing = serializers.IntegerField()
    extended = serializers.IntegerField()
    ratio = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    ratio_label = serializers.CharField()
    on_time_ratio = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    on_time_ratio_label = serializers.CharField()
    fallen_due = serializers.IntegerField(
        help_text="Fallen due as of the date: done with a due date by then, or overdue."
    )
    due_done = serializers.IntegerField()
    due_done_on_time = serializers.IntegerField()
    due_done_late = serializers.IntegerField()
    due_later = serializers.IntegerField(help_text="Dated work not yet due (done ahead included).")
    due_ratio = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="Tỷ lệ hoàn thành nhiệm vụ đến hạn: due_done / fallen_due, in percent.",
    )
    due_ratio_label = serializers.CharField()


class ProgressInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class CompletionInputSerializer(serializers.Serializer):
    """Checked again by the completion form of the pages (planning.workflow.forms),
    so the API and the pages accept exactly the same reports."""

    completed_on = serializers.DateField()
    document_number = serializers.CharField(max_length=100)
    document_date = serializers.DateField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    file = serializers.FileField(required=False)
