"""send_reminders and setup_schedules, and the schedule running the sweep."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.models import Schedule, Success

from notifications.models import Notification
from notifications.schedules import SCHEDULES, SWEEP_SCHEDULE, ensure_schedules

from .conftest import at

DUE = date(2022, 11, 30)  # a Wednesday: its reminders fall on working days


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_send_reminders_prints_queued_and_sent_per_kind(stp, officer_stp, assignment_for):
    assignment_for(stp, DUE)
    assignment_for(stp, DUE)
    output = run("send_reminders", "--today", "2022-11-23")
    assert "due_soon (Nhắc trước hạn): queued 2, sent 2" in output
    assert "overdue (Nhắc quá hạn): queued 0, sent 0" in output
    assert "[Nhắc việc] 2 nhiệm vụ đến hạn trong tháng 11/2022 (còn 7 ngày)" in [
        m.subject for m in mail.outbox
    ]
    again = run("send_reminders", "--today", "2022-11-23")
    assert "due_soon (Nhắc trước hạn): queued 0, sent 0" in again


def test_dry_run_changes_nothing(stp, officer_stp, assignment_for):
    assignment_for(stp, DUE)
    output = run("send_reminders", "--today", "2022-11-23", "--dry-run")
    assert "due_soon (Nhắc trước hạn): would queue 1" in output
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("send_reminders", "--today", "23/11/2022")


def test_setup_schedules_is_idempotent_and_leaves_other_schedules_alone(db):
    Schedule.objects.create(name="someone-elses", func="math.floor", schedule_type=Schedule.DAILY)
    assert "cchc-reminder-sweep: created" in run("setup_schedules")
    assert "cchc-reminder-sweep: unchanged" in run("setup_schedules")
    assert Schedule.objects.filter(name=SWEEP_SCHEDULE).count() == 1
    assert Schedule.objects.filter(name="someone-elses").exists()
    sweep = Schedule.objects.get(name=SWEEP_SCHEDULE)
    assert sweep.func == "notifications.tasks.run_sweep"


def test_a_changed_cron_recomputes_next_run(db):
    ensure_schedules()
    Schedule.objects.filter(name=SWEEP_SCHEDULE).update(
        next_run=timezone.now() + timedelta(days=300)
    )
    changed = [{**SCHEDULES[0], "cron": "0 * * * *"}]
    assert ensure_schedules(changed) == [(SWEEP_SCHEDULE, "updated")]
    schedule = Schedule.objects.get(name=SWEEP_SCHEDULE)
    assert schedule.cron == "0 * * * *"
    assert schedule.next_run <= timezone.now() + timedelta(hours=1)


def test_the_schedule_runs_the_sweep_and_records_success(
    monkeypatch, stp, officer_stp, assignment_for
):
    from django_q.conf import Conf
    from django_q.scheduler import scheduler

    monkeypatch.setattr(Conf, "SYNC", True)  # run the task inline instead of in a cluster
    assignment_for(stp, DUE)
    with at(DUE - timedelta(days=7), 7, 45):
        ensure_schedules()  # a new schedule is due at once
    with at(DUE - timedelta(days=7), 7, 46):
        scheduler()
    [success] = Success.objects.filter(func="notifications.tasks.run_sweep")
    assert success.result["sent"]["due_soon"] == 1
    assert success.result["today"] == "2022-11-23"
