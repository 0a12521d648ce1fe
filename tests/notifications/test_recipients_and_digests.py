"""Who gets what: officers, digest-only users, contact addresses; digests and summaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from agencies.models import Membership
from tests.factories import make_user

from .conftest import sweep_at, with_email

MONDAY = date(2022, 7, 25)  # ISO week 30


def sent_to(prefix: str) -> list[list[str]]:
    """The addresses each notice went to; every recipient has a copy of their own."""
    notices: dict[str, list[str]] = {}
    for m in mail.outbox:
        if m.subject.startswith(prefix):
            [address] = m.to
            notices.setdefault(m.subject, []).append(address)
    return [sorted(addresses) for addresses in notices.values()]


def test_digest_only_officers_get_the_digest_but_not_reminders(stp, officer_stp, assignment_for):
    quiet = with_email(make_user("quiet.stp", agency=stp), "quiet.stp@cchc.example")
    Membership.objects.filter(user=quiet).update(digest_only=True)
    assignment_for(stp, MONDAY + timedelta(days=6))  # due Sunday 31/07: 6 days away
    sweep_at(MONDAY, 7, 30)
    assert sent_to("[Nhắc việc]") == [["canbo.stp@cchc.example"]]
    assert sent_to("[Tổng hợp tuần") == [["canbo.stp@cchc.example", "quiet.stp@cchc.example"]]


def test_without_an_officer_the_agency_contact_addresses_receive_reminders(stc, assignment_for):
    assignment_for(stc, MONDAY + timedelta(days=6))
    sweep_at(MONDAY)
    assert sent_to("[Nhắc việc]") == [["stc@cchc.example", "vanthu.stc@cchc.example"]]


def test_the_weekly_digest_goes_on_monday_0730_once_a_week(stp, officer_stp, assignment_for):
    assignment_for(stp, date(2022, 7, 10))  # overdue
    assignment_for(stp, date(2022, 7, 31))  # due this month
    assignment_for(stp, date(2022, 8, 15))  # upcoming
    assignment_for(stp, date(2022, 12, 31))  # too far ahead for the digest
    sweep_at(MONDAY, 7, 29)
    assert sent_to("[Tổng hợp tuần") == []
    sweep_at(MONDAY, 7, 30)
    [digest] = [m for m in mail.outbox if m.subject.startswith("[Tổng hợp tuần")]
    assert digest.subject == (
        "[Tổng hợp tuần 25/07–31/07/2022] Sở Tư pháp: 1 nhiệm vụ quá hạn, "
        "1 nhiệm vụ đến hạn trong tháng 7/2022"
    )
    body = digest.body
    assert body.index("QUÁ HẠN (1)") < body.index("ĐẾN HẠN TRONG THÁNG 7/2022 (1)")
    assert "SẮP ĐẾN HẠN (1)" in body
    assert "hạn 15/08/2022" in body and "tháng 12/2022" not in body
    for day in range(1, 7):
        sweep_at(MONDAY + timedelta(days=day))
    assert len(sent_to("[Tổng hợp tuần")) == 1
    sweep_at(MONDAY + timedelta(days=7))
    assert len(sent_to("[Tổng hợp tuần")) == 2


def test_the_monthly_summary_goes_to_coordinators_with_the_rollup_per_agency(
    stp, stc, officer_stp, coordinator, assignment_for
):
    assignment_for(stp, date(2022, 6, 30), status="done", completed_on=date(2022, 6, 20))
    assignment_for(stp, date(2022, 7, 15))
    assignment_for(stc, date(2022, 9, 30))
    sweep_at(date(2022, 8, 1))
    [summary] = [m for m in mail.outbox if m.subject.startswith("[Báo cáo tháng]")]
    assert summary.to == ["dieuphoi@snv.example"]
    assert summary.subject == (
        "[Báo cáo tháng] Tiến độ nhiệm vụ CCHC tháng 8/2022: hoàn thành 1/3 nhiệm vụ (đạt 33,33%)"
    )
    assert "- Sở Tư pháp: 1/2 (50,00%), quá hạn 1" in summary.body
    assert "- Sở Tài chính: 0/1 (0,00%), quá hạn 0" in summary.body
    sweep_at(date(2022, 8, 2))
    assert len([m for m in mail.outbox if m.subject.startswith("[Báo cáo tháng]")]) == 1


@pytest.mark.parametrize("field", ["leader_email", "coordinator"])
def test_escalation_reaches_whoever_is_configured(stp, officer_stp, assignment_for, field, request):
    if field == "coordinator":
        stp.leader_email = ""
        stp.save(update_fields=["leader_email"])
        request.getfixturevalue("coordinator")
        expected = ["dieuphoi@snv.example"]
    else:
        expected = ["giamdoc.stp@cchc.example"]
    due = date(2022, 7, 31)
    assignment_for(stp, due)
    for late in (1, 8, 15):
        sweep_at(due + timedelta(days=late))
    assert sent_to("[Báo cáo lãnh đạo]") == [expected]


def test_the_digest_states_each_deadline_as_the_plan_does(stp, officer_stp, assignment_for):
    """A task due "trong tháng 7/2022" reads "tháng 7/2022 (31/07/2022)", as on the pages."""
    assignment = assignment_for(stp, date(2022, 7, 31))
    assignment.task.due_text = "hoàn thành trong tháng 7/2022"
    assignment.task.save(update_fields=["due_text"])
    sweep_at(MONDAY, 7, 30)
    [digest] = [m for m in mail.outbox if m.subject.startswith("[Tổng hợp tuần")]
    assert "hạn tháng 7/2022 (31/07/2022)" in digest.body
