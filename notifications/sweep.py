"""The reminder sweep: decide in SQL what is due, log it once, send it once.

One sweep (`sweep()`, run by the `cchc-reminder-sweep` schedule and by
`manage.py send_reminders`) has two phases, each safe to run twice at once:

1. **Queue.** Candidates are selected in SQL, page by page (never every
   assignment at once), excluding those already in the log (NOT EXISTS), and
   inserted into `Notification` under the unique (scope, kind, period)
   constraint. A concurrent sweep's duplicate insert raises IntegrityError and
   is skipped: a notice is logged once.
2. **Send** (`notifications.delivery`). Pending rows whose time has come are
   claimed one at a time with a conditional UPDATE; only the worker whose
   UPDATE touched the row sends it, and a failed send is retried with a backoff.

Insert-then-send is at-most-once per attempt; the lease makes it at-least-once
after a crash between "SMTP accepted" and "marked sent" (a rare duplicate we
prefer to a silently lost reminder).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from planning.workdays import WorkingCalendar, working_calendar

from . import copies
from .candidates import (
    PAGE,
    due_soon_candidates,
    escalation_candidates,
    missing_result_candidates,
    overdue_candidates,
)
from .delivery import send_pending
from .digests import digest_candidates, monthly_candidates
from .models import Notification, ReminderPolicy

log = logging.getLogger(__name__)

Kind = Notification.Kind
Status = Notification.Status

TIME_BUDGET_SECONDS = 480
"""Stop claiming new rows after this long, below Q_CLUSTER's timeout (600 s);
the rest stays pending for the next sweep."""


@dataclass
class SweepResult:
    today: date
    dry_run: bool = False
    queued: Counter = field(default_factory=Counter)
    sent: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    pending: Counter = field(default_factory=Counter)
    """Dry run only: rows waiting to be sent now."""
    copies: Counter = field(default_factory=Counter)
    """Recipients' copies handed to the server, by what it answered: sent, deferred, refused."""
    retried: int = 0
    """`retry_now` only: copies made due at once."""

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "dry_run": self.dry_run,
            "queued": {str(k): v for k, v in self.queued.items()},
            "sent": {str(k): v for k, v in self.sent.items()},
            "failed": {str(k): v for k, v in self.failed.items()},
            "skipped": {str(k): v for k, v in self.skipped.items()},
            "pending": {str(k): v for k, v in self.pending.items()},
            "copies": dict(self.copies),
            "retried": self.retried,
        }


# --- Queue phase -----------------------------------------------------------------


def log_once(candidates: Iterable[Notification], *, now: datetime) -> int:
    """Insert candidates into the log; returns how many rows this call inserted.

    1. Insert a page in one statement inside a savepoint (the common case: the
       candidates were selected with NOT EXISTS, so nothing conflicts).
    2. If another sweep logged some of them in the meantime, the unique
       constraint raises IntegrityError: retry that page row by row, each in
       its own savepoint, skipping the rows that already exist.
    """
    inserted = 0
    page: list[Notification] = []

    def flush() -> int:
        if not page:
            return 0
        try:
            with transaction.atomic():
                Notification.objects.bulk_create(page)
            return len(page)
        except IntegrityError:
            count = 0
            for row in page:
                row.pk = None
                row._state.adding = True
                try:
                    with transaction.atomic():
                        row.save(force_insert=True)
                    count += 1
                except IntegrityError:
                    continue  # logged by a concurrent sweep: it is theirs to send
            return count

    for row in candidates:
        row.next_attempt_at = now
        page.append(row)
        if len(page) >= PAGE:
            inserted += flush()
            page = []
    inserted += flush()
    return inserted


# --- The sweep -------------------------------------------------------------------


def reminder_horizon(today: date, calendar: WorkingCalendar) -> date | None:
    """The last day whose assignment reminders a sweep on `today` queues.

    A reminder or escalation that falls on a non-working day (a weekend, Tết,
    a day off the province declared) goes out on the working day before: a
    sweep on a working day takes its own day and the non-working days after it
    (Friday: Saturday and Sunday too); on a non-working day, None: nothing new
    about assignments is queued (the day before took it). Digests keep their
    own days.
    """
    if not calendar.is_working_day(today):
        return None
    return calendar.covered_by(today)


def sweep(*, today: date | None = None, dry_run: bool = False) -> SweepResult:
    """One reminder sweep (the `cchc-reminder-sweep` schedule; `send_reminders`).

    1. Work out today (Asia/Ho_Chi_Minh). Without an explicit `today`, new
       notices are queued only from the policy's `send_after` time (07:30), so
       nobody gets a reminder at midnight; retries of pending rows go any time.
    2. Queue due-soon and overdue reminders (on a working day, with those of
       the non-working days after it: `reminder_horizon`), weekly digests, the
       monthly summary and the measured targets left without a value, then send.
    3. Queue escalations (they count the overdue reminders *sent*, so the third
       reminder of this sweep counts), then send them.
    With `dry_run`, count what would be queued and what is pending; change nothing.
    """
    policy = ReminderPolicy.current()
    now = timezone.now()
    local = timezone.localtime(now)
    may_queue = today is not None or local.time() >= policy.send_after
    today = today or local.date()
    result = SweepResult(today=today, dry_run=dry_run)
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    horizon = reminder_horizon(today, working_calendar())
    first_wave = {
        Kind.WEEKLY_DIGEST: digest_candidates,
        Kind.MONTHLY_SUMMARY: monthly_candidates,
        Kind.MISSING_RESULT: missing_result_candidates,
    }
    if horizon is not None:
        first_wave = {
            Kind.DUE_SOON: lambda p, day: due_soon_candidates(p, day, until=horizon),
            Kind.OVERDUE: lambda p, day: overdue_candidates(p, horizon),
            **first_wave,
        }

    def escalations(p, day):
        return escalation_candidates(p, horizon) if horizon is not None else iter(())

    if dry_run:
        if may_queue:
            for kind, candidates in first_wave.items():
                result.queued[kind] = sum(1 for _ in candidates(policy, today))
            result.queued[Kind.ESCALATION] = sum(1 for _ in escalations(policy, today))
        pending = (
            Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
            .values("kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        result.pending.update({row["kind"]: row["n"] for row in pending})
        return result

    if may_queue:
        for kind, candidates in first_wave.items():
            result.queued[kind] += log_once(candidates(policy, today), now=now)
    send_pending(today=today, policy=policy, result=result, deadline=deadline)
    if may_queue:
        result.queued[Kind.ESCALATION] += log_once(escalations(policy, today), now=timezone.now())
        send_pending(today=today, policy=policy, result=result, deadline=deadline)
    log.info("Reminder sweep %s", result.as_dict())
    return result


def retry_now(*, today: date | None = None) -> SweepResult:
    """Retry every temporarily refused copy at once (`send_reminders --retry-now`).

    What an operator runs once the mail server is fixed, instead of waiting
    for each notice's backoff: copies deferred (or given up after the last
    attempt) become due now (`copies.retry_now`, which leaves alone a notice
    that a worker is sending), then the send phase runs. Nothing new is
    queued; the next scheduled sweep does that.
    """
    policy = ReminderPolicy.current()
    now = timezone.now()
    result = SweepResult(today=today or timezone.localdate(now))
    result.retried = copies.retry_now(now=now)
    send_pending(
        today=result.today,
        policy=policy,
        result=result,
        deadline=time.monotonic() + TIME_BUDGET_SECONDS,
    )
    log.info("Reminder retry %s", result.as_dict())
    return result
