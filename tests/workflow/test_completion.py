"""Completion, review and extensions through the service functions.

On time is judged against the approved due date; the original date is kept,
so reports can count extended assignments. Every change leaves a history row.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail

from planning.models import (
    Assignment,
    AssignmentEvent,
    CompletionSubmission,
    ExtensionRequest,
    ProgressNote,
)
from planning.workflow import services as workflow

from .conftest import submit as _submit

Kind = AssignmentEvent.Kind


def _complete(assignment, officer, coordinator, completed_on):
    with time_machine.travel(completed_on, tick=False):
        submission = _submit(assignment, officer, completed_on)
        workflow.accept_completion(submission=submission, actor=coordinator)
    assignment.refresh_from_db()
    return assignment


@pytest.mark.parametrize(
    ("completed_on", "extended_to", "on_time"),
    [
        (date(2022, 7, 31), None, True),  # on the due day
        (date(2022, 8, 1), None, False),  # a day late
        (date(2022, 8, 10), date(2022, 8, 15), True),  # late against the plan, on time extended
        (date(2022, 8, 16), date(2022, 8, 15), False),  # late even after the extension
    ],
)
def test_on_time_is_judged_against_the_approved_due_date(
    a_stp, officer_stp, coordinator, completed_on, extended_to, on_time
):
    if extended_to:
        with time_machine.travel(date(2022, 7, 25), tick=False):
            request = workflow.request_extension(
                assignment=a_stp,
                actor=officer_stp,
                requested_due_date=extended_to,
                reason="Chờ văn bản hướng dẫn của Bộ",
            )
            workflow.decide_extension(request=request, actor=coordinator, approve=True)
    a_stp.refresh_from_db()
    done = _complete(a_stp, officer_stp, coordinator, completed_on)

    assert done.status == Assignment.Status.DONE
    assert done.completed_on == completed_on
    assert done.is_done_on_time() is on_time
    assert done.original_due_date == date(2022, 7, 31)
    rollup = Assignment.objects.filter(pk=done.pk).rollup(date(2022, 12, 31))
    assert (rollup.done_on_time, rollup.done_late) == ((1, 0) if on_time else (0, 1))
    assert rollup.extended == (1 if extended_to else 0)


def test_rejected_extension_keeps_the_due_date(a_stp, officer_stp, coordinator, frozen_today):
    request = workflow.request_extension(
        assignment=a_stp, actor=officer_stp, requested_due_date=date(2022, 9, 1), reason="Bận"
    )
    workflow.decide_extension(
        request=request, actor=coordinator, approve=False, note="Không đủ căn cứ"
    )
    a_stp.refresh_from_db()
    assert a_stp.due_date == date(2022, 7, 31)
    assert ExtensionRequest.objects.get().status == ExtensionRequest.Status.REJECTED
    assert a_stp.events.filter(kind=Kind.EXTENSION_REJECTED, note="Không đủ căn cứ").exists()


def test_extension_must_move_the_date_later(a_stp, officer_stp, frozen_today):
    with pytest.raises(workflow.WorkflowError, match="phải sau hạn hiện tại"):
        workflow.request_extension(
            assignment=a_stp, actor=officer_stp, requested_due_date=date(2022, 7, 1), reason="x"
        )


def test_history_records_who_when_from_and_to(a_stp, officer_stp, coordinator, frozen_today):
    request = workflow.request_extension(
        assignment=a_stp, actor=officer_stp, requested_due_date=date(2022, 8, 31), reason="Lý do"
    )
    workflow.decide_extension(request=request, actor=coordinator, approve=True)
    a_stp.refresh_from_db()
    submission = _submit(a_stp, officer_stp, date(2022, 7, 19))
    workflow.return_completion(submission=submission, actor=coordinator, reason="Thiếu phụ lục")

    events = list(
        a_stp.events.order_by("pk").values_list("kind", "actor__username", "old_value", "new_value")
    )
    assert events == [
        (Kind.EXTENSION_REQUESTED, "canbo.stp", "31/07/2022", "31/08/2022"),
        (Kind.EXTENSION_APPROVED, "dieuphoi", "31/07/2022", "31/08/2022"),
        (
            Kind.SUBMITTED,
            "canbo.stp",
            "Chưa thực hiện",
            "Chờ duyệt hoàn thành (hoàn thành ngày 19/07/2022, báo cáo ngày 20/07/2022)",
        ),
        (Kind.EVIDENCE, "canbo.stp", "", "Văn bản số 123/BC-STP ngày 19/07/2022"),
        (Kind.RETURNED, "dieuphoi", "Chờ duyệt hoàn thành", "Đang thực hiện"),
    ]
    assert all(e.created_at for e in a_stp.events.all())


def test_return_tells_the_agency_after_commit(
    a_stp, stp, officer_stp, coordinator, frozen_today, django_capture_on_commit_callbacks
):
    stp.emails = "vanthu@stp.example.gov.vn"
    stp.save()
    submission = _submit(a_stp, officer_stp, date(2022, 7, 19))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_completion(submission=submission, actor=coordinator, reason="Thiếu phụ lục")
    a_stp.refresh_from_db()
    assert a_stp.status == Assignment.Status.IN_PROGRESS
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["vanthu@stp.example.gov.vn"]
    assert "Thiếu phụ lục" in mail.outbox[0].body
    # The agency can submit again after a return.
    again = _submit(a_stp, officer_stp, date(2022, 7, 20))
    assert again.status == CompletionSubmission.Status.PENDING


def test_coordinator_marks_done_directly(a_stp, coordinator, frozen_today):
    workflow.mark_done(
        assignment=a_stp, actor=coordinator, completed_on=date(2022, 7, 18), note="Công văn giấy"
    )
    a_stp.refresh_from_db()
    assert a_stp.status == Assignment.Status.DONE
    assert a_stp.completed_on == date(2022, 7, 18)
    assert a_stp.events.filter(kind=Kind.STATUS, note="Công văn giấy").exists()


def test_progress_updates_last_progress_and_starts_the_work(a_stp, officer_stp, frozen_today):
    assert a_stp.last_progress_at is None
    workflow.report_progress(assignment=a_stp, actor=officer_stp, note="Đã lấy ý kiến các sở")
    a_stp.refresh_from_db()
    assert a_stp.last_progress_at is not None
    assert a_stp.status == Assignment.Status.IN_PROGRESS
    kinds = list(a_stp.events.values_list("kind", flat=True))
    assert kinds == [Kind.PROGRESS, Kind.STATUS]


def test_double_submitted_progress_form_makes_one_note(a_stp, officer_stp, frozen_today):
    token = "5b0a4f7e-1111-4c2d-9e8f-000000000001"
    for _ in range(2):
        workflow.report_progress(assignment=a_stp, actor=officer_stp, note="Một lần", token=token)
    assert ProgressNote.objects.count() == 1
    assert a_stp.events.filter(kind=Kind.PROGRESS).count() == 1


def test_double_submitted_completion_makes_one_submission(a_stp, officer_stp, frozen_today):
    _submit(a_stp, officer_stp, date(2022, 7, 19), expected_version=0)
    with pytest.raises(workflow.WorkflowError, match="đang chờ Sở Nội vụ duyệt"):
        _submit(a_stp, officer_stp, date(2022, 7, 19), expected_version=0)
    assert CompletionSubmission.objects.count() == 1


def test_second_extension_request_while_one_is_pending_is_refused(a_stp, officer_stp, frozen_today):
    workflow.request_extension(
        assignment=a_stp, actor=officer_stp, requested_due_date=date(2022, 8, 31), reason="a"
    )
    with pytest.raises(workflow.WorkflowError, match="đang chờ quyết định"):
        workflow.request_extension(
            assignment=a_stp, actor=officer_stp, requested_due_date=date(2022, 9, 30), reason="b"
        )
    assert ExtensionRequest.objects.count() == 1


def test_decision_on_a_stale_page_is_refused(a_stp, officer_stp, coordinator, frozen_today):
    """Accept and return race: the second, acting on the version it saw, loses."""
    submission = _submit(a_stp, officer_stp, date(2022, 7, 19))
    seen_version = Assignment.objects.get(pk=a_stp.pk).version
    workflow.return_completion(
        submission=submission, actor=coordinator, reason="Thiếu", expected_version=seen_version
    )
    submission.refresh_from_db()
    with pytest.raises(workflow.StaleAssignment, match="vừa được người khác cập nhật"):
        workflow.accept_completion(
            submission=CompletionSubmission.objects.get(pk=submission.pk),
            actor=coordinator,
            expected_version=seen_version,
        )
    a_stp.refresh_from_db()
    assert a_stp.status == Assignment.Status.IN_PROGRESS
    assert not a_stp.events.filter(kind=Kind.ACCEPTED).exists()


def test_stale_message_is_shown_to_the_loser(client, a_stp, officer_stp, coordinator, frozen_today):
    from django.urls import reverse

    from tests.conftest import client_for

    submission = _submit(a_stp, officer_stp, date(2022, 7, 19))
    seen = Assignment.objects.get(pk=a_stp.pk).version
    workflow.accept_completion(submission=submission, actor=coordinator)
    client_for(client, coordinator)
    response = client.post(
        reverse("workflow:return", args=[a_stp.pk, submission.pk]),
        {"version": seen, "reason": "Thiếu"},
        follow=True,
    )
    assert "Nhiệm vụ vừa được người khác cập nhật" in response.content.decode()
    a_stp.refresh_from_db()
    assert a_stp.status == Assignment.Status.DONE


def test_withdrawn_assignment_leaves_a_record_and_the_counts(
    a_stp, a_stc, coordinator, frozen_today
):
    workflow.withdraw_assignment(assignment=a_stp, actor=coordinator, reason="Trùng nhiệm vụ")
    a_stp.refresh_from_db()
    assert a_stp.status == Assignment.Status.WITHDRAWN
    assert a_stp.events.filter(kind=Kind.WITHDRAWN, note="Trùng nhiệm vụ").exists()
    assert Assignment.objects.filter(plan=a_stp.plan).rollup(date(2022, 7, 20)).total == 1


def test_withdrawing_a_plan_withdraws_its_assignments(
    plan, a_stp, a_stc, coordinator, frozen_today
):
    assert workflow.withdraw_plan(plan=plan, actor=coordinator, reason="Ban hành nhầm") == 2
    plan.refresh_from_db()
    assert plan.status == "withdrawn"
    assert set(Assignment.objects.values_list("status", flat=True)) == {"withdrawn"}
    assert AssignmentEvent.objects.filter(kind=Kind.WITHDRAWN).count() == 2
    assert Assignment.objects.count() == 2  # nothing deleted


def test_changing_the_lead_agency_is_recorded(a_stp, stc, coordinator, frozen_today):
    workflow.change_lead_agency(
        assignment=a_stp, actor=coordinator, agency=stc, reason="Điều chỉnh"
    )
    event = a_stp.events.get(kind=Kind.AGENCY)
    assert (event.old_value, event.new_value) == ("Sở Tư pháp", "Sở Tài chính")


def test_services_check_the_role_themselves(a_stp, officer_stc, viewer, frozen_today):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        workflow.report_progress(assignment=a_stp, actor=officer_stc, note="x")
    with pytest.raises(PermissionDenied):
        workflow.mark_done(assignment=a_stp, actor=viewer, completed_on=date(2022, 7, 1))
