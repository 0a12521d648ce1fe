"""The officer's inbox, the coordinator's queue and the assignment page:
grouping, and a constant number of queries as data grows."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from planning.models import Assignment
from planning.workflow import services as workflow
from tests.conftest import client_for
from tests.factories import make_assignment


@pytest.fixture
def inbox_world(plan, stp, stc, officer_stp, coordinator, frozen_today):
    """Today is 20/07/2022. One Sở Tư pháp assignment per group, and one of Sở Tài chính."""
    make_assignment(plan=plan, agency=stp, due=date(2022, 6, 30), title="Việc quá hạn")
    make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Việc trong tháng")
    make_assignment(plan=plan, agency=stp, due=date(2022, 9, 30), title="Việc sắp tới")
    make_assignment(plan=plan, agency=stp, due=None, title="Việc thường xuyên")
    submitted = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Việc đã gửi")
    workflow.submit_completion(
        assignment=submitted,
        actor=officer_stp,
        completed_on=date(2022, 7, 19),
        document_number="1/BC-STP",
        document_date=date(2022, 7, 19),
    )
    make_assignment(
        plan=plan,
        agency=stp,
        due=date(2022, 6, 30),
        status=Assignment.Status.DONE,
        completed_on=date(2022, 7, 2),
        title="Việc đã xong",
    )
    make_assignment(plan=plan, agency=stc, due=date(2022, 6, 30), title="Việc của Sở Tài chính")


def _section(body: str, anchor: str) -> str:
    start = body.index(f'id="{anchor}"')
    end = body.find("<h2", start + 1)
    return body[start : end if end != -1 else None]


def test_officer_home_is_the_inbox(client, officer_stp):
    response = client_for(client, officer_stp).get(reverse("home"))
    assert response.url == reverse("workflow:inbox")


def test_inbox_groups_the_agency_work(client, officer_stp, inbox_world):
    body = client_for(client, officer_stp).get(reverse("workflow:inbox")).content.decode()
    assert "Việc của Sở Tài chính" not in body
    overdue = _section(body, "qua-han")
    assert "Việc quá hạn" in overdue and "trễ 20 ngày" in overdue and "tháng 6/2022" in overdue
    assert "192/KH-UBND" in overdue
    this_month = _section(body, "trong-thang")
    assert "Việc trong tháng" in this_month and "còn 11 ngày" in this_month
    assert "Đến hạn trong tháng 7/2022" in this_month
    upcoming = _section(body, "sap-toi")
    assert "Việc sắp tới" in upcoming and "Việc thường xuyên" in upcoming
    assert "Việc đã gửi" in _section(body, "cho-duyet")
    done = _section(body, "da-xong")
    assert "Việc đã xong" in done and "trễ 2 ngày" in done


def test_review_queue_lists_pending_work(client, coordinator, a_stp, officer_stp, frozen_today):
    workflow.request_extension(
        assignment=a_stp,
        actor=officer_stp,
        requested_due_date=date(2022, 8, 31),
        reason="Chờ số liệu thống kê",
    )
    workflow.submit_completion(
        assignment=a_stp,
        actor=officer_stp,
        completed_on=date(2022, 7, 19),
        document_number="123/BC-STP",
        document_date=date(2022, 7, 19),
    )
    body = client_for(client, coordinator).get(reverse("workflow:review_queue")).content.decode()
    assert "Văn bản số 123/BC-STP ngày 19/07/2022" in body
    assert "Chờ số liệu thống kê" in body and "31/08/2022" in body


def _grow(plan, stp, officer_stp, n):
    for i in range(n):
        a = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title=f"Việc {i}")
        workflow.submit_completion(
            assignment=a,
            actor=officer_stp,
            completed_on=date(2022, 7, 19),
            document_number=f"{i}/BC-STP",
            document_date=date(2022, 7, 19),
        )
        workflow.report_progress(assignment=a, actor=officer_stp, note=f"Tiến độ {i}")


@pytest.mark.parametrize("page", ["inbox", "review_queue", "assignment"])
def test_pages_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, plan, stp, officer_stp, coordinator, frozen_today, page
):
    user = officer_stp if page == "inbox" else coordinator
    client_for(client, user)
    _grow(plan, stp, officer_stp, 2)

    def url():
        if page == "assignment":
            return Assignment.objects.filter(agency=stp).last().get_absolute_url()
        return reverse(f"workflow:{page}")

    with django_assert_max_num_queries(14) as few:
        assert client.get(url()).status_code == 200
    _grow(plan, stp, officer_stp, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url()).status_code == 200


def test_assignment_page_shows_actions_per_role(client, a_stp, officer_stp, viewer, coordinator):
    body = client_for(client, officer_stp).get(a_stp.get_absolute_url()).content.decode()
    assert "Báo cáo hoàn thành" in body and "Ghi tiến độ" in body and "Rút nhiệm vụ" not in body
    body = client_for(client, viewer).get(a_stp.get_absolute_url()).content.decode()
    assert "Ghi tiến độ" not in body and "Rút nhiệm vụ" not in body and "<form" in body  # logout
    body = client_for(client, coordinator).get(a_stp.get_absolute_url()).content.decode()
    assert "Rút nhiệm vụ" in body and "Xác nhận hoàn thành" in body and "Ghi tiến độ" not in body
