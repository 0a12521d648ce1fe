"""Exactly once: overlapping sweeps, a second worker, a rerun the same day."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection, connections

from agencies.models import Agency
from notifications.models import Notification
from notifications.sweep import sweep
from tests.factories import make_assignment, make_plan

DUE = date(2022, 11, 30)  # a Wednesday: its reminders fall on working days


def assignment_links() -> Counter:
    """(kind prefix, assignment URL) for every link in every message sent."""
    seen: Counter = Counter()
    for message in mail.outbox:
        prefix = message.subject.split("]")[0] + "]"
        if prefix not in ("[Nhắc việc]", "[Quá hạn]"):
            continue
        for line in message.body.splitlines():
            if "/nhiem-vu/" in line:
                seen[(prefix, line.strip())] += 1
    return seen


def make_workload():
    """12 agencies, each with work due in 7 days and work 1 day late."""
    plan = make_plan("1/KH-UBND")
    expected = set()
    for n in range(12):
        agency = Agency.objects.create(code=f"A{n}", name=f"Cơ quan {n}", emails=f"a{n}@x.vn")
        for due, prefix in ((DUE, "[Nhắc việc]"), (DUE - timedelta(days=8), "[Quá hạn]")):
            for _ in range(3):
                a = make_assignment(plan=plan, agency=agency, due=due)
                expected.add((prefix, f"https://cchc.example.gov.vn/nhiem-vu/{a.pk}/"))
    return expected


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_every_reminder_once_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    expected = make_workload()
    today = DUE - timedelta(days=7)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(sweep(today=today))
        except Exception as exc:  # pragma: no cover - surfaced by the assert below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    links = assignment_links()
    assert set(links) == expected
    assert set(links.values()) == {1}  # every reminder went out exactly once
    # Between them, the two sweeps queued and sent each row once.
    queued = sum(r.queued["due_soon"] + r.queued["overdue"] for r in results)
    sent = sum(r.sent["due_soon"] + r.sent["overdue"] for r in results)
    assert queued == sent == len(expected)
    reminders = Notification.objects.filter(kind__in=["due_soon", "overdue"])
    assert not reminders.exclude(status=Notification.Status.SENT).exists()


def test_a_sweep_repeated_the_same_day_sends_nothing_new(db):
    expected = make_workload()
    today = DUE - timedelta(days=7)
    first = sweep(today=today)
    count = len(mail.outbox)
    second = sweep(today=today)
    assert first.sent["due_soon"] + first.sent["overdue"] == len(expected)
    assert len(mail.outbox) == count
    assert sum(second.queued.values()) == sum(second.sent.values()) == 0


def test_the_log_refuses_a_second_row_for_the_same_notice(db, stp):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    fields = {"scope": "g:1", "kind": "weekly_digest", "period": "2022-W30"}
    Notification.objects.create(**fields, due_on=DUE, next_attempt_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**fields, due_on=DUE, next_attempt_at=timezone.now())
