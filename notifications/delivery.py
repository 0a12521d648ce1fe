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

from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from planning.models import Assignment, Plan

from . import copies, emails
from .candidates import PAGE
from .models import Notification, ReminderPolicy
from .notices import notices_for_escalation
from .recipients import Recipients
from .transport import Outcome, transmit

if TYPE_CHECKING:
    from .sweep import SweepResult

log = logging.getLogger(__name__)

Kind = Notification.Kind
Status = Notification.Status


LEASE = timedelta(minutes=15)
"""A claimed row not marked sent or failed within this time is tried again."""


ASSIGNMENT_KINDS = (Kind.DUE_SOON, Kind.OVERDUE, Kind.ESCALATION, Kind.MANUAL)


def _group_key(row: Notification) -> tuple:
    # An in-app notice's e-mail is one person's own: never grouped with another.
    own = row.pk if row.kind == Kind.NOTICE else 0
    return (row.kind, row.agency_id or 0, row.due_date or date.min, row.step, own)


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
    re-dated before it went out, or the missing value was entered meanwhile."""
    if row.kind == Kind.MISSING_RESULT:
        return (
            row.indicator is not None
            and not row.indicator.results.filter(period_end=row.due_date).exists()
        )
    if row.kind not in ASSIGNMENT_KINDS:
        return True
    a = row.assignment
    if a is None or a.status in (Assignment.Status.DONE, Assignment.Status.WITHDRAWN):
        return False
    if a.plan.status != Plan.Status.ACTIVE or a.due_date != row.due_date:
        return False
    return not (row.kind == Kind.DUE_SOON and a.due_date < today)


def build_message(rows: list[Notification], *, today: date, policy: ReminderPolicy):
    """The e-mail for a group of rows of the same kind, agency, due date and step,
    without recipients: each copy is addressed to one (`deliver`)."""
    first = rows[0]
    if first.kind == Kind.NOTICE:
        return emails.notice(first.notice, [])
    if first.kind == Kind.MONTHLY_SUMMARY:
        return emails.monthly_summary([], today=today)
    agency = first.agency
    if first.kind == Kind.WEEKLY_DIGEST:
        return emails.weekly_digest(
            agency, [], today=today, upcoming_days=policy.digest_upcoming_days
        )
    if first.kind == Kind.MISSING_RESULT:
        return emails.missing_result(
            agency, [row.indicator for row in rows], [], period_end=first.due_date
        )
    assignments = [row.assignment for row in rows]
    if first.kind == Kind.ESCALATION:
        return emails.escalation(assignments, [], today=today, reminders=first.step)
    if first.kind == Kind.DUE_SOON:
        return emails.due_soon(assignments, [], today=today)
    if first.kind == Kind.MANUAL:
        return emails.nudge(assignments, [], today=today)
    return emails.overdue(assignments, [], today=today)


def deliver(
    rows: list[Notification],
    *,
    today: date,
    policy: ReminderPolicy,
    recipients: Recipients,
    connection,
    result: SweepResult,
) -> None:
    """Send each recipient their copy of a group of claimed rows; record what happened.

    1. Rows whose work was finished, withdrawn or re-dated are skipped, with
       any copy not yet sent.
    2. On a row's first attempt its copies are made: one per recipient
       (`copies.make_copies`); recipients are fixed from then on.
    3. Each copy still open is sent on its own, To: that one address, with the
       copy's Message-ID, and what the server said is recorded at once.
       Copies of the same e-mail (same rows) share one rendering.
    4. Each row is settled from its copies (`copies.settle`). An error while
       rendering or encoding one copy defers that copy, as a refused send
       would: one bad address never holds back the others.
    """
    kind = rows[0].kind
    stale = [r for r in rows if not _still_relevant(r, today)]
    if stale:
        copies.skip(stale, "Nhiệm vụ đã hoàn thành, rút hoặc đổi hạn, hoặc chỉ tiêu đã có kết quả.")
        result.skipped[kind] += len(stale)
    live = [r for r in rows if r not in stale]
    if not live:
        return
    if kind == Kind.ESCALATION:
        notices_for_escalation(live)  # the coordinators' "Thông báo", once per e-mail
    subjects: dict[int, str] = {}
    error = ""
    try:
        copies.make_copies(live, recipients=recipients)
        to_send = copies.open_copies(live)
    except Exception as exc:  # the database: nothing was sent, the rows retry as a whole
        log.warning("Sending %s %s failed: %s", kind, [r.pk for r in live], exc)
        error = f"{type(exc).__name__}: {exc}"
        to_send = {}
    rendered: dict[tuple[int, ...], EmailMessage] = {}
    for (message_id, address), group in to_send.items():
        key = tuple(r.pk for r in group)
        try:
            if key not in rendered:
                rendered[key] = build_message(group, today=today, policy=policy)
            message = rendered[key]
            subjects.update(dict.fromkeys(key, message.subject))
            message.to = [address]
            message.extra_headers = {"Message-ID": message_id}
            outcome = transmit(connection, message)[address]
        except Exception as exc:  # a template error, an address the encoder rejects…
            outcome = Outcome("deferred", f"{type(exc).__name__}: {exc}")
        copies.record(group, address, outcome, now=timezone.now())
        result.copies[outcome.state] += 1
        if outcome.state != "sent":
            log.warning("Sending %s %s to %s: %s", kind, key, address, outcome.reply)
    settled = copies.settle(live, now=timezone.now(), policy=policy, subjects=subjects, error=error)
    result.sent[kind] += settled[Status.SENT]
    result.failed[kind] += settled[Status.FAILED]


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
                .select_related(
                    "assignment__task",
                    "assignment__plan",
                    "agency",
                    "notice__user",
                    "indicator__indicator_set__plan",
                )
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
