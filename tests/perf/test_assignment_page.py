"""The assignment page runs the same queries whether its history is short or long.

Personas: an officer of Sở Tư pháp (the lead agency: progress and submit
forms), a coordinator of Sở Nội vụ (review, extension, change of agency,
withdraw), a viewer (reads only). The history is signed by many different
officers, so a query per author (or per row) would show.
"""

import re
import uuid
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Membership
from planning.models import AssignmentEvent
from planning.workflow.models import CompletionSubmission, ExtensionRequest, ProgressNote, Reply
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment

# After a change (cache miss). Officer: user; assignment; coordinating
# agencies; submissions; extension requests; progress notes; the thread's
# replies; history. The coordinator adds the agencies a live task can be
# moved to. (The session comes from the cache.) Once cached: the user alone.
# Each with the header's count of unread notices, counted again when they change.
MAX_QUERIES = {"officer_stp": 9, "coordinator": 10, "viewer": 9}
MAX_QUERIES_CACHED = 1


@pytest.fixture
def assignment(plan, stp, stc, frozen_today):
    a = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Rà soát thủ tục")
    a.task.coordinating_agencies.add(stc)
    return a


def _grow_history(assignment, n):
    """n of each: returned submissions, rejected extension requests, progress
    notes and history events, each signed by a different officer."""
    agency = assignment.agency
    start = User.objects.count()
    for i in range(n):
        author = User.objects.create_user(f"canbo.{start + i}")  # no password: no hashing
        Membership.objects.create(user=author, agency=agency, role=Membership.Role.OFFICER)
        CompletionSubmission.objects.create(
            assignment=assignment,
            submitted_by=author,
            completed_on=date(2022, 7, 1),
            document_number=f"{i}/BC",
            document_date=date(2022, 7, 1),
            status=CompletionSubmission.Status.RETURNED,
            decided_by=author,
        )
        ExtensionRequest.objects.create(
            assignment=assignment,
            requested_by=author,
            requested_due_date=date(2022, 9, 30),
            reason=f"Lý do {i}",
            status=ExtensionRequest.Status.REJECTED,
            decided_by=author,
        )
        note = ProgressNote.objects.create(
            assignment=assignment, author=author, note=f"Tiến độ {i}", token=uuid.uuid4()
        )
        Reply.objects.create(
            assignment=assignment, progress_note=note, author=author, text=f"Trả lời {i}"
        )
        AssignmentEvent.objects.create(
            assignment=assignment, actor=author, kind=AssignmentEvent.Kind.PROGRESS, note=f"{i}"
        )


def _without_tokens(body: str) -> str:
    """The page without what differs on every request: the masked CSRF tokens
    and the progress form's double-submit token."""
    return re.sub(r'name="(csrfmiddlewaretoken|token)" value="[^"]*"', "", body)


def _load(client, assignment):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(assignment.get_absolute_url())
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("persona", ["officer_stp", "coordinator", "viewer"])
def test_assignment_page_queries_do_not_grow_with_its_history(request, client, assignment, persona):
    client_for(client, request.getfixturevalue(persona))
    client.get(assignment.get_absolute_url())  # the session reaches the cache
    _grow_history(assignment, 2)
    few, _ = _load(client, assignment)
    _grow_history(assignment, 25)
    many, body = _load(client, assignment)
    assert few == many <= MAX_QUERIES[persona]
    assert "Lý do 24" in body and "Tiến độ 24" in body and "24/BC" in body
    assert "Trả lời 24" in body
    cached, cached_body = _load(client, assignment)
    assert cached <= MAX_QUERIES_CACHED
    assert _without_tokens(cached_body) == _without_tokens(body)


def test_history_and_notes_keep_their_order(client, assignment, officer_stp):
    _grow_history(assignment, 3)
    body = client_for(client, officer_stp).get(assignment.get_absolute_url()).content.decode()
    # Notes, submissions and extension requests newest first; the history oldest first.
    assert body.index("Tiến độ 2") < body.index("Tiến độ 1") < body.index("Tiến độ 0")
    assert body.index("2/BC") < body.index("1/BC") < body.index("0/BC")
    assert body.index("Lý do 2") < body.index("Lý do 1")
    history = body[body.index("<h2>Lịch sử</h2>") :]
    assert history.index("— 0<") < history.index("— 1<") < history.index("— 2<")


def test_coordinator_may_move_the_task_to_any_other_active_agency(client, assignment, coordinator):
    make_agency("SXD", "Sở Xây dựng")
    make_agency("SCU", "Sở Cũ đã giải thể", is_active=False)
    body = client_for(client, coordinator).get(assignment.get_absolute_url()).content.decode()
    select = body[body.index('<select name="agency"') : body.index("</select>")]
    assert 'required id="id_agency"' in select
    assert "Sở Xây dựng" in select and "Sở Tài chính" in select
    assert "Sở Tư pháp" not in select and "Sở Cũ đã giải thể" not in select
    assert select.index("Sở Tài chính") < select.index("Sở Xây dựng")  # by name


def test_officer_and_viewer_get_no_coordinator_forms(client, assignment, officer_stp, viewer):
    body = client_for(client, officer_stp).get(assignment.get_absolute_url()).content.decode()
    assert "Ghi tiến độ" in body and '<select name="agency"' not in body
    body = client_for(client, viewer).get(assignment.get_absolute_url()).content.decode()
    assert "Ghi tiến độ" not in body and '<select name="agency"' not in body
