"""What is due about one assignment: due-soon, overdue and escalation candidates;
and about one measured target: its period closed without a value.

The queue phase of the sweep (`notifications.sweep`) reads these generators and
logs what they yield. Each selects in SQL, excluding notices already in the log
(NOT EXISTS), page by page on the primary key, so memory stays bounded whatever
the number of assignments. The agency digests and the monthly summary are in
`notifications.digests`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from planning.indicators.reminders import missing_results
from planning.models import Assignment, Plan

from .models import Notification, ReminderPolicy

Kind = Notification.Kind
Status = Notification.Status

PAGE = 1000
"""Rows per candidate query and per send page: what bounds the sweep's memory."""


def remindable() -> Iterable[Assignment]:
    """Open work of active plans: done and withdrawn assignments get nothing."""
    return Assignment.objects.filter(plan__status=Plan.Status.ACTIVE).exclude(
        status__in=[Assignment.Status.DONE, Assignment.Status.WITHDRAWN]
    )


def _logged(kind: str, **extra) -> Exists:
    """Is there already a log row of this kind for the outer assignment and its due date?"""
    return Exists(
        Notification.objects.filter(
            assignment=OuterRef("pk"), kind=kind, due_date=OuterRef("due_date"), **extra
        )
    )


def keyset_pages(queryset, *fields: str) -> Iterator[tuple]:
    """Keyset pagination on pk: bounded memory on any database, and safe while
    inserting into the log that the queryset's NOT EXISTS reads."""
    last = 0
    while True:
        page = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:PAGE])
        if not page:
            return
        yield from page
        last = page[-1][0]


def due_soon_candidates(
    policy: ReminderPolicy, today: date, until: date | None = None
) -> Iterator[Notification]:
    """ "Due in 7 days" and "due tomorrow" reminders not yet logged, those falling
    due up to `until` included (see `ReminderPolicy.due_soon_windows`)."""
    for days, first, last in policy.due_soon_windows(today, until):
        queryset = remindable().filter(due_date__gte=first, due_date__lte=last)
        queryset = queryset.filter(~_logged(Kind.DUE_SOON, step=days))
        for pk, agency_id, due in keyset_pages(queryset, "agency_id", "due_date"):
            yield Notification(
                scope=f"a:{pk}",
                kind=Kind.DUE_SOON,
                period=f"{due.isoformat()}:{days}",
                assignment_id=pk,
                agency_id=agency_id,
                due_date=due,
                step=days,
                due_on=due - timedelta(days=days),
            )


def overdue_candidates(policy: ReminderPolicy, today: date) -> Iterator[Notification]:
    """The current overdue reminder (day 1, 8, 15… late) of each overdue assignment.

    Reminders fall due on a fixed grid, one every `overdue_every_days`, so the
    current one fell due in (today - every, today]: an assignment is a candidate
    unless the log holds an overdue row for its due date that fell due in that
    interval. No date arithmetic in SQL, so the same query runs on both databases.
    """
    every = timedelta(days=policy.overdue_every_days)
    queryset = remindable().filter(due_date__lte=today - timedelta(days=policy.overdue_first_day))
    queryset = queryset.filter(~_logged(Kind.OVERDUE, due_on__gt=today - every))
    for pk, agency_id, due in keyset_pages(queryset, "agency_id", "due_date"):
        step = policy.overdue_step(due, today)
        if step is None:  # pragma: no cover - excluded by the due_date filter
            continue
        n, due_on = step
        yield Notification(
            scope=f"a:{pk}",
            kind=Kind.OVERDUE,
            period=f"{due.isoformat()}#{n}",
            assignment_id=pk,
            agency_id=agency_id,
            due_date=due,
            step=n,
            due_on=due_on,
        )


def escalation_candidates(policy: ReminderPolicy, today: date) -> Iterator[Notification]:
    """Overdue work whose agency has had `escalate_after` overdue reminders sent for
    this due date and is still late: one escalation per due date."""
    sent_reminders = (
        Notification.objects.filter(
            assignment=OuterRef("pk"),
            kind=Kind.OVERDUE,
            due_date=OuterRef("due_date"),
            status=Status.SENT,
        )
        .order_by()
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    queryset = (
        remindable()
        .filter(due_date__lt=today)
        .filter(~_logged(Kind.ESCALATION))
        .annotate(reminders=Coalesce(Subquery(sent_reminders), 0))
        .filter(reminders__gte=policy.escalate_after)
    )
    for pk, agency_id, due, reminders in keyset_pages(
        queryset, "agency_id", "due_date", "reminders"
    ):
        yield Notification(
            scope=f"a:{pk}",
            kind=Kind.ESCALATION,
            period=due.isoformat(),
            assignment_id=pk,
            agency_id=agency_id,
            due_date=due,
            step=reminders,
            due_on=today,
        )


def missing_result_candidates(policy: ReminderPolicy, today: date) -> Iterator[Notification]:
    """A measured target whose last period closed without a value reminds its lead
    agency, once per target and period, like an assignment's reminder.

    `planning.indicators.missing_results` says what is missing (one query per
    frequency); the notices already logged for those periods are read in one
    more query and left out, so a second sweep queues nothing.
    """
    missing = missing_results(today)
    if not missing:
        return
    logged = set(
        Notification.objects.filter(
            kind=Kind.MISSING_RESULT, period__in={m.period for m in missing}
        ).values_list("scope", "period")
    )
    for m in missing:
        if (m.scope, m.period) in logged:
            continue
        yield Notification(
            scope=m.scope,
            kind=Kind.MISSING_RESULT,
            period=m.period,
            indicator_id=m.indicator.pk,
            agency_id=m.agency.pk,
            due_date=m.period_end,
            due_on=m.period_end + timedelta(days=1),
        )
