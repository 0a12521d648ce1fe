from django.contrib import admin

from agencies.admin import AgencyAdmin
from agencies.models import Agency

from .models import (
    Assignment,
    AssignmentEvent,
    DeclaredDay,
    Plan,
    ScoringRule,
    Section,
    Task,
)
from .spreadsheets.admin import AgencyImportExportMixin, AssignmentImportExportMixin


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "issued_on", "year_shown", "status"]
    list_filter = ["status", "year"]
    search_fields = ["number", "title", "issuing_body", "signer"]
    date_hierarchy = "issued_on"
    inlines = [SectionInline]

    @admin.display(description="năm", ordering="year")
    def year_shown(self, plan: Plan) -> str:
        return str(plan.year)  # the admin groups integers: "2.022"


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["code", "title", "plan__number"]
    list_select_related = ["plan"]


# What the workflow changes and records in an assignment's history (planning/workflow/
# services.py): read-only here, so no status, due date, completion or lead agency
# changes without its `AssignmentEvent` and the notices that go with it.
WORKFLOW_FIELDS = [
    "plan",
    "task",
    "agency",
    "status",
    "original_due_date",
    "due_date",
    "completed_on",
    "completion_reported_on",
    "last_progress_at",
    "version",
    "created_at",
    "updated_at",
]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["agency", "period", "due_date", "status", "completed_on"]
    readonly_fields = ["agency", "due_date", "status", "completed_on"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "section", "due_text", "due_date"]
    list_filter = ["plan", "due_date"]
    search_fields = ["title", "due_text", "deliverable", "plan__number"]
    autocomplete_fields = ["coordinating_agencies", "section"]
    list_select_related = ["plan", "section"]
    inlines = [AssignmentInline]


class AssignmentEventInline(admin.TabularInline):
    model = AssignmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "kind", "field", "old_value", "new_value", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(AssignmentImportExportMixin, admin.ModelAdmin):
    list_display = ["task", "agency", "plan", "due_date", "status", "completed_on"]
    list_filter = ["status", "plan", "agency__kind", "agency", "due_date"]
    search_fields = ["task__title", "agency__name", "agency__code", "plan__number"]
    list_select_related = ["task", "agency", "plan"]
    readonly_fields = WORKFLOW_FIELDS
    inlines = [AssignmentEventInline]

    # Assignments come from a plan's import or a spreadsheet and leave a plan by
    # "Rút khỏi kế hoạch" (kept, status withdrawn), both with their history.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssignmentEvent)
class AssignmentEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "assignment", "kind", "old_value", "new_value", "actor"]
    list_filter = ["kind"]
    search_fields = ["assignment__task__title", "note"]
    list_select_related = ["assignment__task", "actor"]
    readonly_fields = [f.name for f in AssignmentEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Workflow records: readable in the admin, never deleted there. -----------------
from .models import CompletionSubmission, ExtensionRequest, ProgressNote  # noqa: E402


class _RecordAdmin(admin.ModelAdmin):
    list_select_related = ["assignment__task", "assignment__agency"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(ProgressNote)
class ProgressNoteAdmin(_RecordAdmin):
    list_display = ["created_at", "assignment", "author", "note"]
    search_fields = ["note", "assignment__task__title"]


@admin.register(CompletionSubmission)
class CompletionSubmissionAdmin(_RecordAdmin):
    list_display = ["created_at", "assignment", "document_number", "completed_on", "status"]
    list_filter = ["status"]
    search_fields = ["document_number", "assignment__task__title", "assignment__agency__name"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(_RecordAdmin):
    list_display = ["created_at", "assignment", "requested_due_date", "status"]
    list_filter = ["status"]
    search_fields = ["reason", "assignment__task__title", "assignment__agency__name"]


class AgencySpreadsheetAdmin(AgencyImportExportMixin, AgencyAdmin):
    """The agency registry's admin with its spreadsheet import and export, which
    live with the other spreadsheets (planning/spreadsheets/); `agencies` does
    not reach up into `planning`, so the registration is replaced here."""


admin.site.unregister(Agency)
admin.site.register(Agency, AgencySpreadsheetAdmin)


@admin.register(DeclaredDay)
class DeclaredDayAdmin(admin.ModelAdmin):
    """The province's own days off and working Saturdays (planning/workdays.py)."""

    list_display = ["day", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"
    search_fields = ["note"]


@admin.register(ScoringRule)
class ScoringRuleAdmin(admin.ModelAdmin):
    """Scoring rules are versioned: saving a change adds a new rule and keeps the
    old one, so a report as of an earlier date still scores by the rule then in force."""

    list_display = ["__str__", "plan", "year", "measure", "max_points", "valid_from"]
    list_filter = ["measure", "year"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.pk = None
            obj._state.adding = True
        super().save_model(request, obj, form, change)
