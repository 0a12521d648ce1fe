"""A completion date lies between the plan's issue date and today, and the day
the completion was reported is kept beside it.

Personas (tests/conftest.py): `officer_stp` reports on Sở Tư pháp's work;
`coordinator` (Sở Nội vụ) reviews it and may confirm completion directly.
The plan is issued 08/07/2022; today is frozen at 20/07/2022 unless a test
travels on to file a report after the 31/07/2022 due date.
"""

from __future__ import annotations

import importlib
from datetime import date

import pytest
import time_machine
from django.apps import apps as global_apps
from django.contrib.messages import get_messages
from django.urls import reverse

from planning.models import Assignment, AssignmentEvent, CompletionSubmission
from planning.workflow import services as workflow
from tests.conftest import client_for
from tests.factories import make_assignment, make_plan

from .conftest import submit

ISSUED = date(2022, 7, 8)


@pytest.fixture
def issued_plan(db):
    return make_plan("193/KH-UBND", issued_on=ISSUED)


@pytest.fixture
def task(issued_plan, stp):
    """Sở Tư pháp's assignment, due 31/07/2022."""
    return make_assignment(plan=issued_plan, agency=stp, due=date(2022, 7, 31), title="Rà soát")


def _post_completion(client, assignment, completed_on: date):
    return client.post(
        reverse("workflow:submit", args=[assignment.pk]),
        {
            "version": assignment.version,
            "completed_on": completed_on.isoformat(),
            "document_number": "12/BC-STP",
            "document_date": "2022-07-19",
        },
    )


@pytest.mark.parametrize(
    ("completed_on", "accepted"),
    [
        (date(2022, 7, 8), True),  # the plan's issue day
        (date(2022, 7, 7), False),  # the day before it
        (date(2022, 7, 20), True),  # today
        (date(2022, 7, 21), False),  # tomorrow
    ],
)
def test_the_completion_form_bounds_the_date(
    client, officer_stp, task, frozen_today, completed_on, accepted
):
    response = _post_completion(client_for(client, officer_stp), task, completed_on)
    task.refresh_from_db()
    if accepted:
        assert response.status_code == 302
        assert task.status == Assignment.Status.SUBMITTED
        return
    assert response.status_code == 200
    assert task.status == Assignment.Status.NOT_STARTED
    assert not CompletionSubmission.objects.exists()
    body = response.content.decode()
    if completed_on < ISSUED:
        assert "Ngày hoàn thành không được trước ngày ban hành kế hoạch (08/07/2022)" in body
    else:
        assert "Ngày hoàn thành không được sau ngày hôm nay (20/07/2022)" in body


def test_the_date_picker_and_help_state_the_bounds(client, officer_stp, task, frozen_today):
    body = (
        client_for(client, officer_stp)
        .get(reverse("workflow:submit", args=[task.pk]))
        .content.decode()
    )
    assert 'min="2022-07-08"' in body and 'max="2022-07-20"' in body
    assert "Từ ngày ban hành kế hoạch (08/07/2022) đến hôm nay (20/07/2022)." in body


@pytest.mark.parametrize(
    ("completed_on", "accepted"),
    [
        (date(2022, 7, 8), True),
        (date(2022, 7, 7), False),
        (date(2022, 7, 20), True),
        (date(2022, 7, 21), False),
    ],
)
def test_a_direct_confirmation_is_bounded_the_same_way(
    client, coordinator, task, frozen_today, completed_on, accepted
):
    response = client_for(client, coordinator).post(
        reverse("workflow:mark_done", args=[task.pk]),
        {"version": task.version, "completed_on": completed_on.isoformat(), "note": "Giấy"},
    )
    task.refresh_from_db()
    assert (task.status == Assignment.Status.DONE) is accepted
    if not accepted:
        errors = [str(m) for m in get_messages(response.wsgi_request)]
        assert any(e.startswith("Ngày hoàn thành không được") for e in errors), errors


@pytest.mark.parametrize("completed_on", [date(2020, 1, 1), date(2022, 7, 21)])
def test_the_services_refuse_dates_out_of_bounds(
    officer_stp, coordinator, task, frozen_today, completed_on
):
    """The second lock: a caller that skips the form is refused too."""
    with pytest.raises(workflow.WorkflowError):
        submit(task, officer_stp, completed_on)
    with pytest.raises(workflow.WorkflowError):
        workflow.mark_done(assignment=task, actor=coordinator, completed_on=completed_on)
    task.refresh_from_db()
    assert task.status == Assignment.Status.NOT_STARTED


def _file_late_report(task, officer):
    """Filed on 05/12/2022, saying the work was done on 25/07/2022 (before the due date)."""
    with time_machine.travel(date(2022, 12, 5), tick=False):
        return submit(task, officer, date(2022, 7, 25))


def test_a_report_filed_after_the_due_date_is_marked_in_the_queue(
    client, coordinator, officer_stp, task, stp, issued_plan
):
    _file_late_report(task, officer_stp)
    on_time = make_assignment(plan=issued_plan, agency=stp, due=date(2022, 12, 31), title="Kịp")
    with time_machine.travel(date(2022, 12, 5), tick=False):
        submit(on_time, officer_stp, date(2022, 12, 1))
        body = (
            client_for(client, coordinator).get(reverse("workflow:review_queue")).content.decode()
        )
    rows = {title: row for row in body.split("<tr") for title in ("Rà soát", "Kịp") if title in row}
    assert "báo cáo sau hạn" in rows["Rà soát"] and "đúng hạn" in rows["Rà soát"]
    assert "05/12/2022" in rows["Rà soát"] and "25/07/2022" in rows["Rà soát"]
    assert "báo cáo sau hạn" not in rows["Kịp"]


def test_accepting_keeps_the_completion_date_and_the_report_date(
    client, coordinator, officer_stp, task
):
    submission = _file_late_report(task, officer_stp)
    with time_machine.travel(date(2022, 12, 6), tick=False):
        workflow.accept_completion(submission=submission, actor=coordinator)
        body = client_for(client, coordinator).get(task.get_absolute_url()).content.decode()
    task.refresh_from_db()
    assert task.completed_on == date(2022, 7, 25)
    assert task.completion_reported_on == date(2022, 12, 5)
    assert task.is_done_on_time() and task.is_reported_late
    assert "báo cáo ngày 05/12/2022" in body and "báo cáo sau hạn" in body
    accepted = task.events.get(kind=AssignmentEvent.Kind.ACCEPTED)
    assert accepted.new_value == (
        "Hoàn thành ngày 25/07/2022 (báo cáo ngày 05/12/2022, báo cáo sau hạn)"
    )


def test_a_direct_confirmation_is_reported_the_day_it_is_recorded(coordinator, task):
    with time_machine.travel(date(2022, 8, 3), tick=False):
        workflow.mark_done(assignment=task, actor=coordinator, completed_on=date(2022, 7, 30))
    task.refresh_from_db()
    assert task.completion_reported_on == date(2022, 8, 3)
    assert task.is_done_on_time() and task.is_reported_late


def test_the_migration_fills_the_report_date_of_existing_completions(
    coordinator, officer_stp, task, issued_plan, stp
):
    """Accepted report → its filing day; a confirmation in the history → that day;
    nothing → the completion date (never flagged without evidence)."""
    submission = _file_late_report(task, officer_stp)
    with time_machine.travel(date(2022, 12, 6), tick=False):
        workflow.accept_completion(submission=submission, actor=coordinator)
    confirmed = make_assignment(plan=issued_plan, agency=stp, due=date(2022, 7, 31), title="B")
    with time_machine.travel(date(2022, 9, 1), tick=False):
        workflow.mark_done(assignment=confirmed, actor=coordinator, completed_on=date(2022, 7, 29))
    bare = make_assignment(
        plan=issued_plan,
        agency=stp,
        due=date(2022, 7, 31),
        status=Assignment.Status.DONE,
        completed_on=date(2022, 7, 28),
        title="C",
    )
    Assignment.objects.update(completion_reported_on=None)

    migration = importlib.import_module("planning.migrations.0004_completion_reported_on")
    migration.fill_reported_on(global_apps, None)

    reported = dict(Assignment.objects.values_list("pk", "completion_reported_on"))
    assert reported[task.pk] == date(2022, 12, 5)
    assert reported[confirmed.pk] == date(2022, 9, 1)
    assert reported[bare.pk] == date(2022, 7, 28)
