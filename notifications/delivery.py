"""The send phase of the sweep: claim a pending notice, send it, record what happened.

Pending rows whose time has come are claimed one at a time with a conditional
UPDATE (`WHERE status='pending' AND attempts=n`); only the worker whose UPDATE
touched the row sends it. The claim pushes `next_attempt_at` a lease into the
future, so a worker that crashes mid-send leaves a row that the next sweep
picks up again after the lease. A failed send goes back to pending with a
backoff; after the policy's last attempt it is marked failed, for the
coordinators' log page.
"""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from django.core.mail import get_connection
from django.utils import timezone

from planning.models import Assignment, Plan

from . import emails
from .candidates import PAGE
from .models import Notification, ReminderPolicy
from .recipients import Recipients

if TYPE_CHECKING:
    from .sweep import SweepResult

log = logging.getLogger(__name__)

Kind = Notification.Kind
Status = Notification.Status


LEASE = timedelta(minutes=15)
"""A claimed row not marked sent or failed within this time is tried again."""


ASSIGNMENT_KINDS = (Kind.DUE_SOON, Kind.OVERDUE, Kind.ESCALATION)


def _group_key(row: Notification) -> tuple:
    return (row.kind, row.agency_id or 0, row.due_date or date.min, row.step)


def claim(row: Notification, *, now: datetime) -> bool:
    """Take a pending row for this worker; False when another worker got it first.

    The UPDATE matches only while the row is still pending with the attempt count
    we read, so of two workers reading the same row, exactly one updates it.
    """
    updated = Notification.objects.filter(
        pk=row.pk, status=Status.PENDING, attempts=row.attempts
    ).update(attempts=row.attempts + 1, next_attempt_at=now + LEASE)
    if updated != 1:
        return False
    row.attempts += 1
    return True


def _still_relevant(row: Notification, today: date) -> bool:
    """A queued reminder is dropped if the work was finished, withdrawn or
    re-dated before it went out."""
    if row.kind not in ASSIGNMENT_KINDS:
        return True
    a = row.assignment
    if a is None or a.status in (Assignment.Status.DONE, Assignment.Status.WITHDRAWN):
        return False
    if a.plan.status != Plan.Status.ACTIVE or a.due_date != row.due_date:
        return False
    return not (row.kind == Kind.DUE_SOON and a.due_date < today)


def build_message(
    rows: list[Notification], *, today: date, policy: ReminderPolicy, recipients: Recipients
):
    """The e-mail for a group of rows of the same kind, agency, due date and step."""
    first = rows[0]
    if first.kind == Kind.MONTHLY_SUMMARY:
        return emails.monthly_summary(recipients.coordinators(digest=True), today=today)
    agency = first.agency
    if first.kind == Kind.WEEKLY_DIGEST:
        return emails.weekly_digest(
            agency,
            recipients.officers(agency, digest=True),
            today=today,
            upcoming_days=policy.digest_upcoming_days,
        )
    assignments = [row.assignment for row in rows]
    if first.kind == Kind.ESCALATION:
        return emails.escalation(
            assignments, recipients.escalation(agency), today=today, reminders=first.step
        )
    to = recipients.officers(agency, digest=False)
    if first.kind == Kind.DUE_SOON:
        return emails.due_soon(assignments, to, today=today)
    return emails.overdue(assignments, to, today=today)


def _finish(rows: list[Notification], **values) -> None:
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(**values)


def _record_failure(
    rows: list[Notification], error: str, *, now: datetime, policy: ReminderPolicy
) -> int:
    """Back to pending with a backoff, or failed after the last attempt; returns #failed."""
    failed = 0
    for row in rows:
        if row.attempts >= policy.max_attempts:
            _finish([row], status=Status.FAILED, last_error=error[:2000])
            failed += 1
        else:
            retry_at = now + policy.retry_delay(row.attempts)
            _finish([row], next_attempt_at=retry_at, last_error=error[:2000])
    return failed


def deliver(
    rows: list[Notification],
    *,
    today: date,
    policy: ReminderPolicy,
    recipients: Recipients,
    connection,
    result: SweepResult,
) -> None:
    """Send one e-mail for a group of claimed rows and record the outcome."""
    kind = rows[0].kind
    stale = [r for r in rows if not _still_relevant(r, today)]
    if stale:
        reason = "Nhiệm vụ đã hoàn thành, rút hoặc đổi hạn."
        _finish(stale, status=Status.SKIPPED, last_error=reason)
        result.skipped[kind] += len(stale)
    live = [r for r in rows if r not in stale]
    if not live:
        return
    now = timezone.now()
    try:
        message = build_message(live, today=today, policy=policy, recipients=recipients)
        if not message.to:
            _finish(live, status=Status.FAILED, last_error="Không có địa chỉ người nhận.")
            result.failed[kind] += len(live)
            return
        message.connection = connection
        message.send()
    except Exception as exc:  # SMTP refused, timed out, template error…
        log.warning("Sending %s %s failed: %s", kind, [r.pk for r in live], exc)
        with contextlib.suppress(Exception):
            connection.close()  # a broken connection is reopened by the next send
        result.failed[kind] += _record_failure(
            live, f"{type(exc).__name__}: {exc}", now=now, policy=policy
        )
        return
    _finish(
        live,
        status=Status.SENT,
        sent_at=timezone.now(),
        recipients=",".join(message.to),
        subject=message.subject[:300],
        last_error="",
    )
    result.sent[kind] += len(live)


def send_pending(
    *, today: date, policy: ReminderPolicy, result: SweepResult, deadline: float
) -> None:
    """Claim and send pending rows whose time has come, a page at a time.

    1. Read a page of due rows ordered so that rows of one e-mail (same kind,
       agency, due date, step) are adjacent; the last group of a full page is
       left for the next page so that it is not split in two e-mails.
    2. Claim each row (conditional UPDATE); send one e-mail per group of rows
       this worker claimed. Rows sent, failed or claimed elsewhere leave the
       "due" set, so every page makes progress.
    """
    recipients = Recipients()
    connection = get_connection()
    seen: set[int] = set()
    with contextlib.suppress(Exception):
        connection.open()  # one SMTP session for the sweep; if it fails, each send retries
    try:
        while time.monotonic() < deadline:
            now = timezone.now()
            page = list(
                Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
                .exclude(pk__in=seen)
                .select_related("assignment__task", "assignment__plan", "agency")
                .order_by("kind", "agency_id", "due_date", "step", "pk")[:PAGE]
            )
            if not page:
                return
            groups = [list(g) for _k, g in groupby(page, key=_group_key)]
            if len(page) == PAGE and len(groups) > 1:
                groups = groups[:-1]
            for group in groups:
                if time.monotonic() >= deadline:
                    return
                seen.update(r.pk for r in group)
                claimed = [r for r in group if claim(r, now=timezone.now())]
                if claimed:
                    deliver(
                        claimed,
                        today=today,
                        policy=policy,
                        recipients=recipients,
                        connection=connection,
                        result=result,
                    )
    finally:
        connection.close()
