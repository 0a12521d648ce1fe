"""The assignment page is read from the shared cache, yet never shows an old
state and never shows an assignment to someone who may not see it.

Each workflow step is taken through its service and committed (the commit
moves the shared data generation); the page, loaded before and after by the
people involved, must show the step at once. Access is decided per request:
a record cached by a coordinator is still 404 for another agency's officer.
"""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.caching.generation import data_generation
from planning.access import may_read_assignment, readable_assignments
from planning.models import Assignment
from planning.records import assignment_record
from planning.workflow import services as workflow
from planning.workflow.models import CompletionSubmission, ExtensionRequest
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(plan, stp, stc, frozen_today):
    a = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Rà soát thủ tục")
    a.task.coordinating_agencies.add(stc)
    return a


def page(user, assignment) -> str:
    client = client_for(Client(), user)
    client.get(assignment.get_absolute_url())  # fills the cache
    response = client.get(assignment.get_absolute_url())  # read from it
    assert response.status_code == 200
    return response.content.decode()


def fresh(assignment) -> Assignment:
    return Assignment.objects.get(pk=assignment.pk)


def test_each_workflow_step_shows_on_the_next_load(
    assignment, officer_stp, coordinator, django_capture_on_commit_callbacks
):
    def step(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    assert "Chưa có báo cáo tiến độ" not in page(officer_stp, assignment)

    step(
        workflow.report_progress,
        assignment=fresh(assignment),
        actor=officer_stp,
        note="Đã dự thảo quyết định",
    )
    body = page(coordinator, assignment)
    assert "Đã dự thảo quyết định" in body and "Đang thực hiện" in body

    step(
        workflow.request_extension,
        assignment=fresh(assignment),
        actor=officer_stp,
        requested_due_date=date(2022, 9, 30),
        reason="Chờ ý kiến Bộ Tư pháp",
    )
    assert "Đề nghị gia hạn đang chờ quyết định" in page(coordinator, assignment)

    step(
        workflow.decide_extension,
        request=ExtensionRequest.objects.get(assignment=assignment),
        actor=coordinator,
        approve=True,
    )
    body = page(officer_stp, assignment)
    assert "Đề nghị gia hạn đang chờ quyết định" not in body
    assert "Đã gia hạn" in body and "Chấp thuận gia hạn" in body

    step(
        workflow.submit_completion,
        assignment=fresh(assignment),
        actor=officer_stp,
        completed_on=date(2022, 7, 15),
        document_number="99/BC-STP",
        document_date=date(2022, 7, 15),
    )
    body = page(coordinator, assignment)
    assert "Báo cáo hoàn thành đang chờ duyệt" in body and "Duyệt hoàn thành" in body

    step(
        workflow.return_completion,
        submission=CompletionSubmission.objects.get(assignment=assignment),
        actor=coordinator,
        reason="Thiếu văn bản kèm theo",
    )
    body = page(officer_stp, assignment)
    assert "Báo cáo hoàn thành đang chờ duyệt" not in body
    assert "Thiếu văn bản kèm theo" in body

    step(
        workflow.mark_done,
        assignment=fresh(assignment),
        actor=coordinator,
        completed_on=date(2022, 7, 18),
    )
    body = page(officer_stp, assignment)
    assert "ngày 18/07/2022 (đúng hạn)" in body
    assert "Ghi tiến độ" not in body  # done work takes no more notes


def test_coordinating_agencies_and_signatures_follow_their_changes(
    assignment, officer_stp, coordinator, django_capture_on_commit_callbacks
):
    workflow.report_progress(assignment=fresh(assignment), actor=officer_stp, note="Bước 1")
    assert "Sở Xây dựng" not in page(coordinator, assignment)
    with django_capture_on_commit_callbacks(execute=True):
        assignment.task.coordinating_agencies.add(make_agency("SXD", "Sở Xây dựng"))
    assert "Sở Xây dựng" in page(coordinator, assignment)

    with django_capture_on_commit_callbacks(execute=True):
        officer_stp.first_name, officer_stp.last_name = "Nguyễn Văn", "An"
        officer_stp.save()
    assert "Nguyễn Văn An" in page(coordinator, assignment)


def test_a_login_is_not_a_change(client, coordinator, assignment):
    before = data_generation()
    client_for(client, coordinator)
    assert User.objects.get(pk=coordinator.pk).last_login is not None
    assert data_generation() == before


def test_a_cached_record_is_still_refused_to_other_agencies(
    client, assignment, plan, coordinator, officer_stp, officer_stc
):
    outsider = make_user("canbo.sxd", agency=make_agency("SXD", "Sở Xây dựng"), role="officer")
    client_for(client, outsider)
    page(coordinator, assignment)  # cached by someone who sees everything
    with CaptureQueriesContext(connection) as queries:
        response = client.get(assignment.get_absolute_url())
    assert response.status_code == 404
    # The answer came from the cached record (the user, the header's unread count).
    assert len(queries) <= 2
    # The coordinating agency reads it; the lead agency acts on it.
    assert "Ghi tiến độ" not in page(officer_stc, assignment)
    assert "Ghi tiến độ" in page(officer_stp, assignment)
    # No longer coordinating: refused at once.
    assignment.task.coordinating_agencies.clear()
    response = client_for(Client(), officer_stc).get(assignment.get_absolute_url())
    assert response.status_code == 404


def test_no_such_assignment_is_a_404(client, coordinator):
    assert client_for(client, coordinator).get("/nhiem-vu/987654/").status_code == 404


def test_the_in_hand_rule_agrees_with_the_queryset_rule(
    plan, stp, stc, coordinator, officer_stp, officer_stc, viewer
):
    sxd = make_agency("SXD", "Sở Xây dựng")
    lone = make_user("khongdonvi")  # an account with no membership
    mixes = [
        make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31)),
        make_assignment(plan=plan, agency=stc, due=date(2022, 7, 31)),
        make_assignment(plan=plan, agency=sxd, due=date(2022, 7, 31)),
    ]
    mixes[2].task.coordinating_agencies.add(stp)
    for user in (coordinator, viewer, officer_stp, officer_stc, lone):
        user = User.objects.get(pk=user.pk)
        readable = set(readable_assignments(user).values_list("pk", flat=True))
        for a in mixes:
            record = assignment_record(a.pk)
            in_hand = may_read_assignment(user, record.assignment, record.coordinating_ids)
            assert in_hand == (a.pk in readable), (user.username, a.task.title)
    # The officers' views differ (the rule is not trivially true or false).
    assert may_read_assignment(officer_stp, mixes[2], {stp.pk})
    assert not may_read_assignment(officer_stc, mixes[2], {stp.pk})
