"""When reminders go out: the policy's boundaries, one sweep per day with frozen time.

Defaults: 7 and 1 days before the due date; the day after it; every 7 days while
overdue; an escalation after the 3rd overdue reminder.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils.timezone import now

from notifications.candidates import overdue_candidates
from notifications.models import Notification, ReminderPolicy
from notifications.sweep import log_once
from planning.models import Assignment

from .conftest import at, subjects, sweep_at

DUE = date(2022, 11, 30)  # a Wednesday: its reminders fall on working days
Kind = Notification.Kind


def kinds_sent_on(day: date) -> list[str]:
    """The per-assignment notices a sweep on `day` sends (digests and summaries left out)."""
    before = len(mail.outbox)
    sweep_at(day)
    # One entry per notice: each of its recipients has a copy with the same subject.
    notices = dict.fromkeys(m.subject for m in mail.outbox[before:])
    prefixes = [subject.split("]")[0] + "]" for subject in notices]
    return [p for p in prefixes if p in ("[Nhắc việc]", "[Quá hạn]", "[Báo cáo lãnh đạo]")]


@pytest.fixture
def due_30_november(stp, officer_stp, coordinator, assignment_for):
    return assignment_for(stp, DUE)


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [(8, []), (7, ["[Nhắc việc]"]), (1, ["[Nhắc việc]"]), (0, ["[Nhắc việc]"])],
)
def test_first_sweep_at_each_distance_before_the_due_date(due_30_november, days_before, expected):
    # A first sweep 7 days before sends the 7-day reminder; 1 day before, the
    # 1-day reminder; on the due day the 1-day reminder is caught up; 8 days
    # before, nothing.
    assert kinds_sent_on(DUE - timedelta(days=days_before)) == expected


def test_daily_sweeps_follow_the_policy_day_by_day(due_30_november):
    """8, 7, 1, 0 days before; the day after; every 7 days; escalation after the 3rd."""
    sent: dict[int, list[str]] = {}
    for offset in range(-8, 23):
        day = DUE + timedelta(days=offset)
        got = kinds_sent_on(day)
        if got:
            sent[offset] = got
    assert sent == {
        -7: ["[Nhắc việc]"],
        -1: ["[Nhắc việc]"],
        1: ["[Quá hạn]"],
        8: ["[Quá hạn]"],
        15: ["[Quá hạn]", "[Báo cáo lãnh đạo]"],
        22: ["[Quá hạn]"],
    }


def test_escalation_goes_to_the_coordinator_and_the_agency_leader(due_30_november):
    for offset in (1, 8, 15):
        sweep_at(DUE + timedelta(days=offset))
    copies = [m for m in mail.outbox if m.subject.startswith("[Báo cáo lãnh đạo]")]
    assert sorted(a for m in copies for a in m.to) == [
        "dieuphoi@snv.example",
        "giamdoc.stp@cchc.example",
    ]
    escalation = copies[0]
    assert escalation.subject == (
        "[Báo cáo lãnh đạo] Sở Tư pháp: 1 nhiệm vụ quá hạn 15 ngày (hạn tháng 11/2022)"
    )


def test_no_escalation_before_the_third_reminder_was_sent(due_30_november):
    # First sweep 15 days late: only one reminder has gone out, so no escalation yet.
    sweep_at(DUE + timedelta(days=15))
    assert not Notification.objects.filter(kind=Kind.ESCALATION).exists()


def test_a_missed_day_is_caught_up_within_the_interval(due_30_november):
    sweep_at(DUE + timedelta(days=2))  # the day-1 sweep never ran
    row = Notification.objects.get(kind=Kind.OVERDUE)
    assert (row.step, row.status) == (1, Notification.Status.SENT)
    sweep_at(DUE + timedelta(days=7))
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 1


@pytest.mark.parametrize("status", [Assignment.Status.DONE, Assignment.Status.WITHDRAWN])
def test_done_and_withdrawn_assignments_get_nothing(stp, officer_stp, assignment_for, status):
    completed = DUE if status == Assignment.Status.DONE else None
    assignment_for(stp, DUE, status=status, completed_on=completed)
    for offset in (-7, -1, 1, 8):
        sweep_at(DUE + timedelta(days=offset))
    assert not Notification.objects.filter(kind__in=[Kind.DUE_SOON, Kind.OVERDUE]).exists()


def test_a_reminder_queued_before_completion_is_skipped(due_30_november):
    # The reminder is logged, then the work is done before it goes out.
    with at(DUE + timedelta(days=1)):
        log_once(overdue_candidates(ReminderPolicy.current(), DUE + timedelta(days=1)), now=now())
    Assignment.objects.filter(pk=due_30_november.pk).update(status="done", completed_on=DUE)
    sweep_at(DUE + timedelta(days=1))
    assert Notification.objects.get(kind=Kind.OVERDUE).status == Notification.Status.SKIPPED
    assert not any(s.startswith("[Quá hạn]") for s in subjects())


def test_nothing_new_goes_out_before_the_policy_send_time(due_30_november):
    sweep_at(DUE - timedelta(days=7), hour=6, minute=59)
    assert mail.outbox == []
    sweep_at(DUE - timedelta(days=7), hour=7, minute=30)
    assert subjects()[0].startswith("[Nhắc việc] 1 nhiệm vụ đến hạn trong tháng 11/2022")


def test_policy_edits_change_the_schedule(due_30_november):
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"before_days": "2"})
    assert kinds_sent_on(DUE - timedelta(days=7)) == []
    assert "[Nhắc việc]" in kinds_sent_on(DUE - timedelta(days=2))


def test_a_new_due_date_restarts_the_reminders(due_30_november):
    sweep_at(DUE - timedelta(days=7))
    Assignment.objects.filter(pk=due_30_november.pk).update(due_date=date(2022, 12, 30))
    sweep_at(date(2022, 12, 23))
    assert [s for s in subjects() if s.startswith("[Nhắc việc]")] == [
        "[Nhắc việc] 1 nhiệm vụ đến hạn trong tháng 11/2022 (còn 7 ngày)",
        "[Nhắc việc] 1 nhiệm vụ đến hạn ngày 30/12/2022 (còn 7 ngày)",
    ]
