from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Kế hoạch và nhiệm vụ")

    def ready(self):
        from django.core import checks

        from agencies import audit
        from config.caching.signals import track_changes, track_relation_changes

        from . import search  # noqa: F401  (gives SQLite connections `cchc_fold`)
        from .indicators.models import Indicator, IndicatorResult, IndicatorSet
        from .models import (
            Assignment,
            AssignmentEvent,
            DeclaredDay,
            Plan,
            ScoringRule,
            Section,
            Task,
        )
        from .reports.checks import pdf_font
        from .workflow.models import CompletionSubmission, ExtensionRequest, ProgressNote, Reply

        checks.register(pdf_font)  # the PDF report's font (planning/reports/fonts.py)

        # What the cached figures and pages show: an assignment, what its page
        # shows (history, notes, submissions, extension requests), the plan,
        # section and task it belongs to, and which agencies coordinate a task
        # (the officers' inboxes list that work); the indicators and their
        # results (the dashboard's summary).
        track_changes(
            DeclaredDay,
            ScoringRule,
            Assignment,
            AssignmentEvent,
            ProgressNote,
            Reply,
            CompletionSubmission,
            ExtensionRequest,
            Plan,
            Section,
            Task,
            IndicatorSet,
            Indicator,
            IndicatorResult,
        )
        track_relation_changes(Task.coordinating_agencies.through)

        # The audit trail (agencies/audit.py): every create, change and delete of
        # plans, sections, tasks and assignments. Left out: bookkeeping (times,
        # the version counter) and a plan's full text, which its file holds.
        bookkeeping = ["created_at", "updated_at"]
        audit.register(Plan, exclude_fields=[*bookkeeping, "source_text"])
        audit.register(Section)
        audit.register(Task, m2m_fields={"coordinating_agencies"})
        audit.register(Assignment, exclude_fields=[*bookkeeping, "version", "last_progress_at"])
