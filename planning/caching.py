"""Which cached figures a change of planning data makes stale.

The cache (config/caching/generation.py) keys a plan's page, an agency's inbox
and an assignment's page by *scopes*: ("plan", id), ("agency", id),
("assignment", id). A change to an assignment, or to anything hanging from it
(its history, progress notes, completion reports, extension requests),
touches:

- the assignment itself and its plan;
- its lead agency, before and after the change (a new lead takes it into
  another inbox and out of the old one);
- every agency that coordinates its task (their inboxes list it).

Everything else (plans, tasks, sections, agencies, users) changes rarely and
counts as a change of unknown scope: every cached figure goes stale. So does a
bulk write of more rows than the cache is told to follow.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


def _assignment_rows_scopes(rows: Iterable[tuple]) -> set[tuple[str, object]]:
    """Scopes of assignments given as (pk, plan_id, agency_id, task_id) rows."""
    from .models import Task

    scopes: set[tuple[str, object]] = set()
    task_ids = set()
    for pk, plan_id, agency_id, task_id in rows:
        scopes.update({("assignment", pk), ("plan", plan_id), ("agency", agency_id)})
        task_ids.add(task_id)
    if task_ids:
        coordinating = Task.coordinating_agencies.through.objects.filter(task_id__in=task_ids)
        for agency_id in coordinating.values_list("agency_id", flat=True).distinct():
            scopes.add(("agency", agency_id))
    return scopes


def _written(changes: dict, field: str, kind: str, scopes: set) -> bool:
    """Add the scope of a value an update() writes to `field`; False when it is
    an expression whose value is not known here."""
    for name in (field, f"{field}_id"):
        if name in changes:
            value = changes[name]
            if isinstance(value, models.Model):
                value = value.pk
            if not isinstance(value, int):
                return False
            scopes.add((kind, value))
    return True


def assignment_scopes(assignment) -> set[tuple[str, object]]:
    """What a save or delete of this assignment touches."""
    scopes = _assignment_rows_scopes(
        [(assignment.pk, assignment.plan_id, assignment.agency_id, assignment.task_id)]
    )
    origin = getattr(assignment, "_cache_origin", (None, None))  # as read from the database
    for kind, before in zip(("plan", "agency"), origin, strict=True):
        if before is not None:
            scopes.add((kind, before))
    return scopes


def assignment_rows_scopes(rows, changes: dict, *, limit: int):
    """What a bulk write to these assignments (a queryset, or objects) touches;
    None when there are more than `limit` or the written value is unknown."""
    if isinstance(rows, models.QuerySet):
        values = list(rows.values_list("pk", "plan_id", "agency_id", "task_id")[: limit + 1])
    else:
        values = [(row.pk, row.plan_id, row.agency_id, row.task_id) for row in rows]
    if len(values) > limit:
        return None
    scopes = _assignment_rows_scopes(values)
    if not (
        _written(changes, "agency", "agency", scopes) and _written(changes, "plan", "plan", scopes)
    ):
        return None
    return scopes


def _of_assignment_ids(ids) -> set[tuple[str, object]]:
    from .models import Assignment

    rows = Assignment.objects.filter(pk__in=set(ids))
    return _assignment_rows_scopes(rows.values_list("pk", "plan_id", "agency_id", "task_id"))


def record_scopes(record) -> set[tuple[str, object]]:
    """What a save or delete of a row hanging from one assignment touches."""
    if type(record).assignment.is_cached(record):
        return assignment_scopes(record.assignment)
    return _of_assignment_ids([record.assignment_id])


def record_rows_scopes(rows, changes: dict, *, limit: int):
    """What a bulk write to rows hanging from assignments touches (None: unknown)."""
    if "assignment" in changes or "assignment_id" in changes:
        return None
    if isinstance(rows, models.QuerySet):
        ids = list(rows.values_list("assignment_id", flat=True).distinct()[: limit + 1])
    else:
        ids = list({row.assignment_id for row in rows})
    if len(ids) > limit:
        return None
    return _of_assignment_ids(ids)


class ScopedByAssignment:
    """Mixin of the models whose rows hang from one assignment (`assignment`
    foreign key): their changes touch that assignment's scopes."""

    def cache_scopes(self):
        return record_scopes(self)

    @classmethod
    def cache_scopes_of_rows(cls, rows, changes, *, limit):
        return record_rows_scopes(rows, changes, limit=limit)
