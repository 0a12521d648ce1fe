"""Two people acting on the same assignment at once, on real connections.

Only PostgreSQL proves anything here: SQLite serialises every writer (and
this project opens its transactions IMMEDIATE), so both threads would simply
queue. Each thread gets its own connection; a barrier starts them together.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from planning.models import Assignment, AssignmentEvent, CompletionSubmission
from planning.workflow import services as workflow
from tests.factories import make_assignment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"
    ),
]


def _race(*actions):
    """Run the actions in threads at the same moment; return their outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = ("ok", action())
        except workflow.WorkflowError as error:
            outcomes[i] = ("refused", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.fixture
def submitted(plan, stp, officer_stp):
    a = make_assignment(plan=plan, agency=stp, due=date(2999, 7, 31))
    submission = workflow.submit_completion(
        assignment=a,
        actor=officer_stp,
        completed_on=date(2022, 7, 19),
        document_number="123/BC-STP",
        document_date=date(2022, 7, 19),
    )
    a.refresh_from_db()
    return a, submission


@pytest.mark.parametrize("round_", range(3))
def test_accept_and_return_at_once_leave_one_decision(submitted, coordinator, round_):
    a, submission = submitted
    version = a.version

    def accept():
        sub = CompletionSubmission.objects.select_related("assignment").get(pk=submission.pk)
        return workflow.accept_completion(
            submission=sub, actor=coordinator, expected_version=version
        )

    def give_back():
        sub = CompletionSubmission.objects.select_related("assignment").get(pk=submission.pk)
        return workflow.return_completion(
            submission=sub, actor=coordinator, reason="Thiếu", expected_version=version
        )

    outcomes = _race(accept, give_back)
    results = [o[0] for o in outcomes]
    assert sorted(results) == ["ok", "refused"], outcomes
    loser = next(o[1] for o in outcomes if o[0] == "refused")
    assert "vừa được người khác cập nhật" in loser.message

    a.refresh_from_db()
    submission.refresh_from_db()
    accepted_won = outcomes[0][0] == "ok"
    assert a.status == ("done" if accepted_won else "in_progress")
    assert submission.status == ("accepted" if accepted_won else "returned")
    decisions = AssignmentEvent.objects.filter(
        assignment=a, kind__in=[AssignmentEvent.Kind.ACCEPTED, AssignmentEvent.Kind.RETURNED]
    )
    assert decisions.count() == 1
    assert a.version == version + 1


def test_double_submitted_completion_makes_one_record(plan, stp, officer_stp):
    a = make_assignment(plan=plan, agency=stp, due=date(2999, 7, 31))

    def submit():
        fresh = Assignment.objects.get(pk=a.pk)
        return workflow.submit_completion(
            assignment=fresh,
            actor=officer_stp,
            completed_on=date(2022, 7, 19),
            document_number="123/BC-STP",
            document_date=date(2022, 7, 19),
            expected_version=0,
        )

    outcomes = _race(submit, submit)
    assert sorted(o[0] for o in outcomes) == ["ok", "refused"], outcomes
    assert CompletionSubmission.objects.filter(assignment=a).count() == 1
    assert AssignmentEvent.objects.filter(assignment=a, kind="submitted").count() == 1


def test_double_submitted_progress_form_makes_one_note(plan, stp, officer_stp):
    a = make_assignment(plan=plan, agency=stp, due=date(2999, 7, 31))
    token = "5b0a4f7e-1111-4c2d-9e8f-000000000002"

    def report():
        return workflow.report_progress(
            assignment=Assignment.objects.get(pk=a.pk), actor=officer_stp, note="x", token=token
        )

    outcomes = _race(report, report)
    assert [o[0] for o in outcomes] == ["ok", "ok"]
    assert a.progress_notes.count() == 1
    assert AssignmentEvent.objects.filter(assignment=a, kind="progress").count() == 1


def test_two_coordinators_deciding_one_extension(plan, stp, officer_stp, coordinator):
    a = make_assignment(plan=plan, agency=stp, due=date(2999, 7, 31))
    request = workflow.request_extension(
        assignment=a, actor=officer_stp, requested_due_date=date(2999, 9, 30), reason="x"
    )

    def decide(approve):
        return lambda: workflow.decide_extension(
            request=request, actor=coordinator, approve=approve
        )

    outcomes = _race(decide(True), decide(False))
    assert sorted(o[0] for o in outcomes) == ["ok", "refused"], outcomes
    a.refresh_from_db()
    approved = outcomes[0][0] == "ok"
    assert a.due_date == (date(2999, 9, 30) if approved else date(2999, 7, 31))
