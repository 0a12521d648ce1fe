"""A measured target whose period closed without a value reminds its lead agency.

The same sweep and the same exactly-once log as an assignment's reminders:
one notice per (target, period), queued under the log's unique constraint,
claimed and sent once, skipped if the value arrives before it goes out.
Who receives it: the lead agency's officers (Sở Tư pháp's `officer_stp`), as
for an assignment; Sở Tài chính, which leads nothing here, gets nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from notifications.candidates import missing_result_candidates
from notifications.models import Notification, ReminderPolicy
from notifications.sweep import log_once, sweep
from planning.indicators.services import record_result
from tests.factories import make_measured_target

from .conftest import at, sweep_at

pytestmark = pytest.mark.django_db

FIRST_DAY_AFTER_Q3 = date(2022, 10, 3)


@pytest.fixture
def targets(plan, stp):
    """Two of the plan's own targets measured by quarter, led by Sở Tư pháp."""
    return [
        make_measured_target(
            plan, lead=stp, code="1", name="Tỷ lệ hồ sơ giải quyết đúng hạn", target="100"
        ),
        make_measured_target(plan, lead=stp, code="2", name="Tỷ lệ hồ sơ trực tuyến", target="80"),
    ]


def missing_mail():
    return [m for m in mail.outbox if m.subject.startswith("[Chỉ tiêu]")]


def test_a_closed_quarter_without_values_reminds_the_lead_agency_once(targets, officer_stp, stc):
    sweep_at(FIRST_DAY_AFTER_Q3)
    [message] = missing_mail()
    assert message.to == ["canbo.stp@cchc.example"]
    assert message.subject == "[Chỉ tiêu] 2 chỉ tiêu chưa có kết quả Quý III/2022"
    assert "Tỷ lệ hồ sơ trực tuyến" in message.body
    assert f"/chi-tieu/{targets[1].pk}/nhap-ket-qua/" in message.body
    rows = Notification.objects.filter(kind=Notification.Kind.MISSING_RESULT)
    assert sorted(rows.values_list("scope", "period", "status")) == [
        (f"i:{t.pk}", "2022-09-30", "sent") for t in targets
    ]
    # A rerun the same day and the sweeps of the next days send nothing more.
    sweep_at(FIRST_DAY_AFTER_Q3, hour=15)
    sweep_at(date(2022, 10, 10))
    assert len(missing_mail()) == 1


def test_a_second_queue_pass_logs_nothing_new(targets, officer_stp):
    policy = ReminderPolicy.current()
    with at(FIRST_DAY_AFTER_Q3):
        now = timezone.now()
        assert log_once(missing_result_candidates(policy, FIRST_DAY_AFTER_Q3), now=now) == 2
        assert list(missing_result_candidates(policy, FIRST_DAY_AFTER_Q3)) == []
        assert log_once(missing_result_candidates(policy, FIRST_DAY_AFTER_Q3), now=now) == 0


def test_a_value_entered_before_the_notice_goes_out_drops_it_from_the_mail(targets, officer_stp):
    policy = ReminderPolicy.current()
    with at(FIRST_DAY_AFTER_Q3):
        log_once(missing_result_candidates(policy, FIRST_DAY_AFTER_Q3), now=timezone.now())
    record_result(
        indicator=targets[0],
        period_end=date(2022, 9, 30),
        value=Decimal("98"),
        by=officer_stp,
        evidence="Báo cáo quý III",
    )
    sweep_at(FIRST_DAY_AFTER_Q3)
    [message] = missing_mail()
    assert message.subject == "[Chỉ tiêu] 1 chỉ tiêu chưa có kết quả Quý III/2022"
    statuses = dict(
        Notification.objects.filter(kind=Notification.Kind.MISSING_RESULT).values_list(
            "indicator_id", "status"
        )
    )
    assert statuses == {targets[0].pk: "skipped", targets[1].pk: "sent"}


def test_nothing_is_sent_while_the_quarter_is_open(targets, officer_stp):
    sweep_at(date(2022, 9, 30))
    assert [m for m in missing_mail() if "Quý III" in m.subject] == []


def test_the_dry_run_counts_the_missing_values(targets):
    with at(FIRST_DAY_AFTER_Q3):
        result = sweep(today=FIRST_DAY_AFTER_Q3, dry_run=True)
    assert result.queued[Notification.Kind.MISSING_RESULT] == 2
    assert not Notification.objects.exists()
