from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Kế hoạch và nhiệm vụ")

    def ready(self):
        from django.core import checks

        from config.caching.signals import track_changes, track_relation_changes

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
        from .workflow.models import CompletionSubmission, ExtensionRequest, ProgressNote

        checks.register(pdf_font)  # the PDF report's font (planning/reports/fonts.py)

        # What the cached figures and pages show: an assignment, what its page
        # shows (history, notes, submissions, extension requests), the plan,
        # section and task it belongs to, and which agencies coordinate a task
        # (the officers' inboxes list that work).
        track_changes(
            DeclaredDay,
            ScoringRule,
            Assignment,
            AssignmentEvent,
            ProgressNote,
            CompletionSubmission,
            ExtensionRequest,
            Plan,
            Section,
            Task,
        )
        track_relation_changes(Task.coordinating_agencies.through)
