"""What is due for an agency or for Sở Nội vụ: the weekly digest and the monthly summary.

Unlike the per-assignment reminders (`notifications.candidates`), these are one
notice per agency per ISO week, or one per month for all coordinators; the
queue phase of the sweep logs what they yield under the same unique constraint.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from agencies.models import Agency
from planning.models import Assignment, Plan

from .candidates import keyset_pages, remindable
from .models import Notification, ReminderPolicy

Kind = Notification.Kind

COORDINATORS_SCOPE = "coordinators"


def week_key(today: date) -> str:
    year, week, _weekday = today.isocalendar()
    return f"{year}-W{week:02d}"


def digest_candidates(policy: ReminderPolicy, today: date) -> Iterator[Notification]:
    """This week's digest for every active agency with open work due within the horizon,
    from the policy's weekday on (a sweep that missed Monday catches up on Tuesday)."""
    if today.weekday() < policy.digest_weekday:
        return
    period = week_key(today)
    horizon = today + timedelta(days=policy.digest_upcoming_days)
    has_work = Exists(remindable().filter(agency=OuterRef("pk"), due_date__lte=horizon))
    logged = Exists(
        Notification.objects.filter(agency=OuterRef("pk"), kind=Kind.WEEKLY_DIGEST, period=period)
    )
    queryset = Agency.objects.active().filter(has_work).filter(~logged)
    monday = today - timedelta(days=today.weekday())
    for (pk,) in keyset_pages(queryset):
        yield Notification(
            scope=f"g:{pk}",
            kind=Kind.WEEKLY_DIGEST,
            period=period,
            agency_id=pk,
            due_on=monday + timedelta(days=policy.digest_weekday),
        )


def monthly_candidates(policy: ReminderPolicy, today: date) -> Iterator[Notification]:
    """The month's summary for Sở Nội vụ's coordinators, from the policy's day on."""
    if today.day < policy.monthly_day:
        return
    period = f"{today.year}-{today.month:02d}"
    if Notification.objects.filter(
        scope=COORDINATORS_SCOPE, kind=Kind.MONTHLY_SUMMARY, period=period
    ).exists():
        return
    if not Assignment.objects.filter(plan__status=Plan.Status.ACTIVE).exists():
        return
    yield Notification(
        scope=COORDINATORS_SCOPE,
        kind=Kind.MONTHLY_SUMMARY,
        period=period,
        due_on=today.replace(day=policy.monthly_day),
    )
