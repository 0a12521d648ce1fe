"""“Đôn đốc”: a coordinator's reminder sent now, about one assignment or all the
open work of an agency.

It goes through the sweep's own machinery, so it is logged and sent exactly
like a scheduled reminder:

1. one `Notification` row per assignment, kind "đôn đốc", period = today, is
   inserted under the log's unique (scope, kind, period) constraint
   (`sweep.log_once`): a second click the same day, or two coordinators at
   once, insert nothing, so an assignment is reminded at most once a day;
2. the rows this call inserted are claimed (`delivery.claim`) and sent as one
   e-mail per agency (`delivery.deliver`), one copy per recipient, each
   answer kept; a refused copy stays pending and the sweep retries it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date

from django.core.mail import get_connection
from django.utils import timezone

from planning.models import Assignment

from .candidates import remindable
from .delivery import claim, deliver
from .models import Notification, ReminderPolicy
from .recipients import Recipients
from .sweep import SweepResult, log_once

Kind = Notification.Kind


@dataclass
class NudgeResult:
    queued: list[Assignment] = field(default_factory=list)
    """Reminded now (logged and handed to the mail server)."""
    already: list[Assignment] = field(default_factory=list)
    """Already reminded today: nothing sent again."""
    closed: list[Assignment] = field(default_factory=list)
    """Finished, withdrawn or not in an active plan: nothing to remind about."""
    sent: int = 0
    """Notices the mail server accepted for every recipient."""


def _row(assignment: Assignment, today: date) -> Notification:
    return Notification(
        scope=f"a:{assignment.pk}",
        kind=Kind.MANUAL,
        period=today.isoformat(),
        assignment=assignment,
        agency_id=assignment.agency_id,
        due_date=assignment.due_date,
        due_on=today,
    )


def remind_now(assignments, *, today: date | None = None) -> NudgeResult:
    """Remind the lead agencies of `assignments` now (at most once a day each)."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    open_ids = set(
        remindable().filter(pk__in=[a.pk for a in assignments]).values_list("pk", flat=True)
    )
    result = NudgeResult()
    rows = []
    for assignment in assignments:
        if assignment.pk not in open_ids:
            result.closed.append(assignment)
            continue
        row = _row(assignment, today)
        if log_once([row], now=now):
            rows.append(row)
            result.queued.append(assignment)
        else:
            result.already.append(assignment)
    if not rows:
        return result
    policy = ReminderPolicy.current()
    sweep = SweepResult(today=today)
    connection = get_connection()
    with contextlib.suppress(Exception):
        connection.open()
    try:
        claimed = Notification.objects.select_related(
            "assignment__task", "assignment__plan", "agency"
        ).filter(pk__in=[row.pk for row in rows])
        claimed = [row for row in claimed if claim(row, now=timezone.now())]
        by_agency: dict[int, list[Notification]] = {}
        for row in claimed:
            by_agency.setdefault(row.agency_id, []).append(row)
        recipients = Recipients()
        for group in by_agency.values():
            deliver(
                group,
                today=today,
                policy=policy,
                recipients=recipients,
                connection=connection,
                result=sweep,
            )
    finally:
        connection.close()
    result.sent = sweep.sent[Kind.MANUAL]
    return result
