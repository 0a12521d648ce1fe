"""What an assignment's page shows, read in one go and shared through the cache.

The page (`planning.views.assignment_detail`) shows the assignment with its
task, section, plan and lead agency; the task's coordinating agencies; the
completion submissions, extension requests and latest progress notes with
the thread of replies under them (the actions panel,
`planning/templatetags/workflow.py`); and the history. Read from
the database that is seven queries, most of the page's cost; here they are read
once into an `AssignmentRecord` and kept in the shared cache under the
assignment's id and the data generation (config/caching/generation.py).

Every write to any of those rows moves the generation (config/caching/signals.py;
`ChangeTrackingQuerySet` for bulk writes), after its commit, so nobody is shown
a record older than the last committed change. The actions themselves never
trust a page: each is a conditional UPDATE on the assignment's status and
version (planning/workflow/services.py), so a form drawn just before someone else's
decision is answered "đã thay đổi" rather than applied twice.

Who may see a record is decided per request, from the user's membership
(`planning.access.may_read_assignment`), never cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.caching.generation import cached_figures, figures_key

from .models import Assignment

NOTES_SHOWN = 20
NEWEST_FIRST = ("-created_at", "-pk")


@dataclass(frozen=True)
class AssignmentRecord:
    assignment: Assignment
    coordinating: tuple  # Agency, by name
    submissions: tuple  # CompletionSubmission, newest first
    extensions: tuple  # ExtensionRequest, newest first
    notes: tuple  # the NOTES_SHOWN latest ProgressNote, newest first
    events: tuple  # AssignmentEvent, oldest first
    replies: tuple = ()  # Reply, oldest first: the thread under notes and returns

    @property
    def coordinating_ids(self) -> frozenset[int]:
        return frozenset(agency.pk for agency in self.coordinating)

    def thread(self, parent) -> list:
        """The replies under a progress note or a returned submission, oldest first."""
        field = "progress_note_id" if parent._meta.model_name == "progressnote" else "submission_id"
        return [r for r in self.replies if getattr(r, field) == parent.pk]

    @property
    def pending_submission(self):
        return next((s for s in self.submissions if s.status == "pending"), None)

    @property
    def pending_extension(self):
        return next((e for e in self.extensions if e.status == "pending"), None)


def read_assignment_record(pk: int) -> AssignmentRecord | None:
    """The record from the database (seven queries, whatever the history's length);
    None when there is no such assignment.

    Lists are ordered within the one assignment: the models' default ordering
    starts with "assignment", which would join the plan, task and agency just
    to sort rows that all share them.
    """
    assignment = (
        Assignment.objects.select_related("task", "task__section", "plan", "agency")
        # The plan's source text (the whole imported document) is never shown here.
        .defer("plan__source_text")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        return None
    return AssignmentRecord(
        assignment=assignment,
        coordinating=tuple(assignment.task.coordinating_agencies.order_by("name")),
        submissions=tuple(
            assignment.submissions.select_related("submitted_by", "decided_by").order_by(
                *NEWEST_FIRST
            )
        ),
        extensions=tuple(
            assignment.extension_requests.select_related("requested_by", "decided_by").order_by(
                *NEWEST_FIRST
            )
        ),
        notes=tuple(
            assignment.progress_notes.select_related("author").order_by(*NEWEST_FIRST)[:NOTES_SHOWN]
        ),
        events=tuple(assignment.events.select_related("actor").order_by("created_at", "pk")),
        replies=tuple(assignment.replies.select_related("author").order_by("created_at", "pk")),
    )


def assignment_record(pk: int) -> AssignmentRecord | None:
    """`read_assignment_record`, from the shared cache while the data are unchanged."""
    key = figures_key("assignment", pk, scopes=[("assignment", pk)])
    return cached_figures(key, lambda: read_assignment_record(pk))
