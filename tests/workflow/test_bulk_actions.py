"""Acting on many: accepting several reports from the queue, moving several
assignments to another lead agency. Each item is checked by the rules of one
action and recorded in its history; an item that cannot be done is reported.

Who may: the `coordinator` only; the `viewer` (a leader) and officers get 403.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from planning.models import Assignment, AssignmentEvent, CompletionSubmission
from planning.workflow import services as workflow
from tests.conftest import client_for
from tests.factories import make_assignment

from .conftest import submit

Kind = AssignmentEvent.Kind


@pytest.fixture
def reports(plan, stp, officer_stp, frozen_today):
    """Three Sở Tư pháp reports waiting in the queue."""
    made = []
    for i in range(3):
        a = make_assignment(plan=plan, agency=stp, title=f"Việc {i}")
        made.append(submit(a, officer_stp, date(2022, 7, 19)))
    return made


def _pick(submission) -> str:
    submission.assignment.refresh_from_db()
    return f"{submission.pk}:{submission.assignment.version}"


def test_coordinator_accepts_several_reports_at_once(client, coordinator, reports):
    client = client_for(client, coordinator)
    queue = client.get(reverse("workflow:review_queue")).content.decode()
    assert queue.count('name="picks"') == 3
    response = client.post(
        reverse("workflow:accept_many"),
        {"picks": [_pick(r) for r in reports[:2]], "note": "Đạt yêu cầu"},
        follow=True,
    )
    assert "Đã duyệt 2 báo cáo hoàn thành." in response.content.decode()
    statuses = [Assignment.objects.get(pk=r.assignment_id).status for r in reports]
    assert statuses == ["done", "done", "submitted"]
    for r in reports[:2]:
        event = AssignmentEvent.objects.get(assignment=r.assignment_id, kind=Kind.ACCEPTED)
        assert (event.actor, event.note) == (coordinator, "Đạt yêu cầu")


def test_a_report_no_longer_acceptable_is_reported_back(client, coordinator, reports):
    stale = _pick(reports[0])
    returned = _pick(reports[1])
    workflow.return_completion(
        submission=reports[1], actor=coordinator, reason="Thiếu văn bản", notify=False
    )
    # Someone else recorded a progress change on the first one since the queue was drawn.
    Assignment.objects.filter(pk=reports[0].assignment_id).update(version=99)
    response = client_for(client, coordinator).post(
        reverse("workflow:accept_many"),
        {"picks": [stale, returned, _pick(reports[2])]},
        follow=True,
    )
    body = response.content.decode()
    assert "Đã duyệt 1 báo cáo hoàn thành." in body
    assert "Việc 0" in body and "vừa được người khác cập nhật" in body
    assert "Việc 1" in body and "đã được xử lý hoặc không còn" in body
    pending = CompletionSubmission.objects.filter(status="pending")
    assert list(pending.values_list("pk", flat=True)) == [reports[0].pk]


def test_nothing_checked_says_so(client, coordinator, reports):
    response = client_for(client, coordinator).post(
        reverse("workflow:accept_many"), {"picks": []}, follow=True
    )
    assert "Hãy chọn ít nhất một báo cáo để duyệt." in response.content.decode()
    assert not Assignment.objects.filter(status="done").exists()


def test_only_coordinators_accept_in_bulk(client, reports, viewer, officer_stp, officer_stc):
    data = {"picks": [_pick(reports[0])]}
    assert client.post(reverse("workflow:accept_many"), data).status_code == 302  # to login
    for user in (viewer, officer_stp, officer_stc):
        assert (
            client_for(client, user).post(reverse("workflow:accept_many"), data).status_code == 403
        )
    assert not Assignment.objects.filter(status="done").exists()


def test_bulk_accept_needs_the_csrf_token(coordinator, reports):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(reverse("workflow:accept_many"), {"picks": [_pick(reports[0])]})
    assert response.status_code == 403
    assert not Assignment.objects.filter(status="done").exists()


def test_review_queue_costs_the_same_queries_as_reports_grow(
    client, coordinator, plan, stp, officer_stp, reports, django_assert_max_num_queries
):
    client = client_for(client, coordinator)
    url = reverse("workflow:review_queue")
    client.get(url)
    with django_assert_max_num_queries(10) as small:
        client.get(url)
        count = len(small.captured_queries)
    for i in range(10):
        submit(
            make_assignment(plan=plan, agency=stp, title=f"Thêm {i}"), officer_stp, date(2022, 7, 1)
        )
    client.get(url)  # the signed-in user is cached per data generation, which moved
    with django_assert_max_num_queries(count):
        body = client.get(url).content.decode()
    assert body.count('name="picks"') == 13


# --- Moving many to another lead agency ------------------------------------------------


def test_coordinator_moves_several_assignments_to_another_agency(
    client, coordinator, plan, stp, stc
):
    moved = [make_assignment(plan=plan, agency=stp, title=f"Việc {i}") for i in range(3)]
    clash = make_assignment(plan=plan, agency=stp, title="Đã có Sở Tài chính")
    Assignment.objects.create(plan=plan, task=clash.task, agency=stc)
    client = client_for(client, coordinator)
    url = reverse("workflow:plan_bulk_agency", args=[plan.pk]) + f"?co_quan={stp.pk}"
    page = client.get(url).content.decode()
    assert page.count('name="picks"') == 4
    picks = [f"{a.pk}:{a.version}" for a in [*moved[:2], clash]]
    response = client.post(
        url, {"picks": picks, "agency": stc.pk, "reason": "Chuyển chức năng"}, follow=True
    )
    body = response.content.decode()
    assert "Đã chuyển 2 nhiệm vụ cho Sở Tài chính." in body
    assert "Đã có Sở Tài chính" in body and "Sở Tài chính đã được giao nhiệm vụ này." in body
    agencies = [Assignment.objects.get(pk=a.pk).agency for a in [*moved, clash]]
    assert agencies == [stc, stc, stp, stp]
    event = AssignmentEvent.objects.get(assignment=moved[0], kind=Kind.AGENCY)
    assert (event.old_value, event.new_value, event.note) == (
        "Sở Tư pháp",
        "Sở Tài chính",
        "Chuyển chức năng",
    )


def test_assignments_of_another_plan_are_not_moved(client, coordinator, plan, stp, stc):
    elsewhere = make_assignment(agency=stp)
    url = reverse("workflow:plan_bulk_agency", args=[plan.pk])
    response = client_for(client, coordinator).post(
        url,
        {"picks": [f"{elsewhere.pk}:{elsewhere.version}"], "agency": stc.pk, "reason": "x"},
        follow=True,
    )
    assert "không thuộc kế hoạch này" in response.content.decode()
    assert Assignment.objects.get(pk=elsewhere.pk).agency == stp


def test_bulk_move_needs_an_agency_and_a_reason(client, coordinator, a_stp):
    url = reverse("workflow:plan_bulk_agency", args=[a_stp.plan.pk])
    response = client_for(client, coordinator).post(
        url, {"picks": [f"{a_stp.pk}:{a_stp.version}"]}, follow=True
    )
    assert response.content.decode().count("Trường này là bắt buộc.") == 2
    assert Assignment.objects.get(pk=a_stp.pk).agency.code == "STP"
