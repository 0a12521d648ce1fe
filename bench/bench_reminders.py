"""The reminder sweep over 100,000 assignments on PostgreSQL, 5,000 of them due.

    .venv/bin/python bench/bench_reminders.py

Data: planning.generate (100,000 assignments, deterministic), then one UPDATE
moves every open assignment's due date out of the reminder windows except
5,000 chosen by id, spread over the four kinds of day a reminder falls due
(7 days ahead, 1 day ahead, 1 day late, 8 days late). The week's digests and
the month's summary are logged as already sent, so the sweep handles exactly
the 5,000 reminders. E-mails are rendered and handed to a backend that only
counts them (no SMTP in the measurement).

Floor: the hand-written SQL selecting the same 5,000 candidates, in the same run.
Results go in docs/REMINDERS.md.
"""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc
from datetime import date, timedelta

from _setup import ensure_data, setup

setup("cchc_bench_reminders")

from django.conf import settings  # noqa: E402
from django.core.mail.backends.base import BaseEmailBackend  # noqa: E402
from django.db import connection  # noqa: E402

from notifications.digests import digest_candidates, monthly_candidates  # noqa: E402
from notifications.models import Notification, ReminderPolicy  # noqa: E402
from notifications.sweep import log_once, sweep  # noqa: E402
from planning.generate import generated_assignments  # noqa: E402

N = 100_000
DUE_NOW = 5_000
TODAY = date(2026, 10, 14)  # a Wednesday, not the 1st: only per-assignment reminders
OFFSETS = [7, 1, -1, -8]  # days until due: due_soon 7, due_soon 1, overdue #1, overdue #2


class CountingBackend(BaseEmailBackend):
    messages = 0
    recipients = 0

    def send_messages(self, email_messages):
        for message in email_messages:
            message.message()  # build the MIME message as SMTP would
            CountingBackend.messages += 1
            CountingBackend.recipients += len(message.recipients())
        return len(email_messages)


settings.EMAIL_BACKEND = "__main__.CountingBackend"

FLOOR_SQL = """
WITH open_work AS (
  SELECT a.id, a.agency_id, a.due_date
  FROM planning_assignment a JOIN planning_plan p ON p.id = a.plan_id
  WHERE p.status = 'active' AND a.status NOT IN ('done', 'withdrawn')
)
SELECT id, agency_id, due_date, 'due_soon' AS kind, 7 AS step FROM open_work o
 WHERE due_date BETWEEN %(t)s::date + 2 AND %(t)s::date + 7
   AND NOT EXISTS (SELECT 1 FROM notifications_notification n WHERE n.assignment_id = o.id
                   AND n.kind = 'due_soon' AND n.due_date = o.due_date AND n.step = 7)
UNION ALL
SELECT id, agency_id, due_date, 'due_soon', 1 FROM open_work o
 WHERE due_date BETWEEN %(t)s::date AND %(t)s::date + 1
   AND NOT EXISTS (SELECT 1 FROM notifications_notification n WHERE n.assignment_id = o.id
                   AND n.kind = 'due_soon' AND n.due_date = o.due_date AND n.step = 1)
UNION ALL
SELECT id, agency_id, due_date, 'overdue', (%(t)s::date - due_date - 1) / 7 + 1 FROM open_work o
 WHERE due_date <= %(t)s::date - 1
   AND NOT EXISTS (SELECT 1 FROM notifications_notification n WHERE n.assignment_id = o.id
                   AND n.kind = 'overdue' AND n.due_date = o.due_date
                   AND n.due_on > %(t)s::date - 7)
"""


def prepare() -> None:
    """Exactly DUE_NOW open assignments in a reminder window on TODAY; nothing else due."""
    Notification.objects.all().delete()
    ReminderPolicy.objects.all().delete()
    far = TODAY + timedelta(days=400)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE planning_plan SET status = 'active'
            WHERE id IN (SELECT DISTINCT plan_id FROM planning_assignment)
            """
        )
        cursor.execute(
            """
            WITH open_work AS (
              SELECT id, row_number() OVER (ORDER BY id) AS n FROM planning_assignment
              WHERE status NOT IN ('done', 'withdrawn')
            )
            UPDATE planning_assignment a
            SET due_date = CASE
                WHEN o.n <= %(due)s THEN %(t)s::date + (ARRAY[7, 1, -1, -8])[1 + (o.n %% 4)]
                ELSE %(far)s::date + (o.n %% 300)::int END
            FROM open_work o WHERE a.id = o.id
            """,
            {"due": DUE_NOW, "t": TODAY, "far": far},
        )
    policy = ReminderPolicy.current()
    now = time_now()
    log_once(digest_candidates(policy, TODAY), now=now)
    log_once(monthly_candidates(policy, TODAY), now=now)
    Notification.objects.update(status=Notification.Status.SENT)


def time_now():
    from django.utils import timezone

    return timezone.now()


def floor() -> tuple[float, int]:
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(FLOOR_SQL, {"t": TODAY})
        rows = cursor.fetchall()
        return time.perf_counter() - started, len(rows)


def main() -> None:
    ensure_data(agencies=120, plans=12, assignments=N, seed=5)
    total = generated_assignments().count()
    print(f"assignments: {total}")

    prepare()
    floor_times = []
    for _ in range(5):
        seconds, count = floor()
        floor_times.append(seconds)
    print(f"floor SQL: {count} candidates, median {statistics.median(floor_times) * 1000:.1f} ms")

    dry_times = []
    for _ in range(3):
        started = time.perf_counter()
        dry = sweep(today=TODAY, dry_run=True)
        dry_times.append(time.perf_counter() - started)
    would = sum(dry.queued.values())
    print(f"dry run (candidate selection): {would} would be queued, "
          f"median {statistics.median(dry_times) * 1000:.1f} ms")  # fmt: skip

    # The full sweep, timed without tracemalloc (it slows Python down).
    prepare()
    started = time.perf_counter()
    result = sweep(today=TODAY)
    full = time.perf_counter() - started
    print(f"sweep: queued {dict(result.queued)}, sent {dict(result.sent)}, "
          f"failed {dict(result.failed)}; {CountingBackend.messages} e-mails to "
          f"{CountingBackend.recipients} recipients; {full:.2f} s")  # fmt: skip
    again = time.perf_counter()
    repeat = sweep(today=TODAY)
    print(f"repeated sweep: sent {sum(repeat.sent.values())}, "
          f"{time.perf_counter() - again:.2f} s")  # fmt: skip

    # The same sweep again from a fresh state, under tracemalloc for the peak.
    prepare()
    tracemalloc.start()
    sweep(today=TODAY)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak Python memory during the sweep (tracemalloc): {peak / 1024 / 1024:.1f} MiB")
    print(f"max RSS of the whole benchmark process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
