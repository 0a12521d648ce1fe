"""Who may open and do what, through the real URLs.

Rows: every page and action of the workflow. Columns: a Sở Nội vụ coordinator
(manages everything), an officer of the lead agency Sở Tư pháp (reports on its
work), an officer of Sở Tài chính (must not learn that Sở Tư pháp's work
exists: 404), a viewer (reads everything, changes nothing: 403 on actions) and
an anonymous visitor (sent to the login page).

Allowed actions must have their effect (a new history row, a new plan);
refused ones must leave everything as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from planning.models import Assignment, AssignmentEvent, Plan
from planning.uploads import PDF
from planning.workflow import services as workflow
from tests.conftest import client_for
from tests.factories import make_assignment

from .conftest import pdf_upload

PERSONAS = ["coordinator", "officer_stp", "officer_stc", "viewer", "anonymous"]
LOGIN = "login"


@dataclass
class World:
    plan: Plan
    open_a: Assignment  # Sở Tư pháp, in progress, with a pending extension request
    submitted_a: Assignment  # Sở Tư pháp, submitted with an evidence file
    submission_pk: int
    extension_pk: int


@pytest.fixture
def world(plan, stp, officer_stp, frozen_today):
    open_a = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Việc A")
    submitted_a = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Việc B")
    extension = workflow.request_extension(
        assignment=open_a,
        actor=officer_stp,
        requested_due_date=date(2022, 9, 30),
        reason="Chờ ý kiến Bộ Tư pháp",
    )
    upload = pdf_upload()
    submission = workflow.submit_completion(
        assignment=submitted_a,
        actor=officer_stp,
        completed_on=date(2022, 7, 15),
        document_number="123/BC-STP",
        document_date=date(2022, 7, 15),
        file=upload,
        sniffed=PDF,
    )
    return World(plan, open_a, submitted_a, submission.pk, extension.pk)


def _wf(name, *args):
    return reverse(f"workflow:{name}", args=args)


# name: (method, url builder, data builder, expected per persona in PERSONAS order)
CASES = {
    "view assignment": (
        "get",
        lambda w: w.open_a.get_absolute_url(),
        None,
        [200, 200, 404, 200, LOGIN],
    ),
    "view plan": ("get", lambda w: w.plan.get_absolute_url(), None, [200, 200, 404, 200, LOGIN]),
    "inbox": ("get", lambda w: _wf("inbox"), None, [404, 200, 200, 404, LOGIN]),
    "review queue": ("get", lambda w: _wf("review_queue"), None, [200, 404, 404, 404, LOGIN]),
    "download evidence": (
        "get",
        lambda w: _wf("evidence_download", w.submitted_a.pk, w.submission_pk),
        None,
        [200, 200, 404, 200, LOGIN],
    ),
    "report progress": (
        "post",
        lambda w: _wf("report_progress", w.open_a.pk),
        lambda w: {"note": "Đã dự thảo văn bản", "token": "8a1d0c9e-4f0b-4b0e-9d55-1c2f3a4b5c6d"},
        [403, 302, 404, 403, LOGIN],
    ),
    "submit form": ("get", lambda w: _wf("submit", w.open_a.pk), None, [403, 200, 404, 403, LOGIN]),
    "submit completion": (
        "post",
        lambda w: _wf("submit", w.open_a.pk),
        lambda w: {
            "completed_on": "2022-07-18",
            "document_number": "125/BC-STP",
            "document_date": "2022-07-18",
            "version": w.open_a.version,
        },
        [403, 302, 404, 403, LOGIN],
    ),
    "accept": (
        "post",
        lambda w: _wf("accept", w.submitted_a.pk, w.submission_pk),
        lambda w: {"version": w.submitted_a.version},
        [302, 403, 404, 403, LOGIN],
    ),
    "return": (
        "post",
        lambda w: _wf("return", w.submitted_a.pk, w.submission_pk),
        lambda w: {"version": w.submitted_a.version, "reason": "Thiếu phụ lục"},
        [302, 403, 404, 403, LOGIN],
    ),
    "mark done": (
        "post",
        lambda w: _wf("mark_done", w.open_a.pk),
        lambda w: {"completed_on": "2022-07-19", "version": w.open_a.version},
        [302, 403, 404, 403, LOGIN],
    ),
    "extension form": (
        "get",
        lambda w: _wf("extension_request", w.submitted_a.pk),
        None,
        [403, 200, 404, 403, LOGIN],
    ),
    "extension request": (
        "post",
        lambda w: _wf("extension_request", w.submitted_a.pk),
        lambda w: {"requested_due_date": "2022-08-31", "reason": "Chờ số liệu"},
        [403, 302, 404, 403, LOGIN],
    ),
    "extension decide": (
        "post",
        lambda w: _wf("extension_decide", w.open_a.pk, w.extension_pk),
        lambda w: {"decision": "approve"},
        [302, 403, 404, 403, LOGIN],
    ),
    "withdraw assignment": (
        "post",
        lambda w: _wf("withdraw", w.open_a.pk),
        lambda w: {"reason": "Trùng nhiệm vụ", "version": w.open_a.version},
        [302, 403, 404, 403, LOGIN],
    ),
    "change lead agency": (
        "post",
        lambda w: _wf("change_agency", w.open_a.pk),
        lambda w: {"agency": w.stc_pk, "reason": "Điều chỉnh", "version": w.open_a.version},
        [302, 403, 404, 403, LOGIN],
    ),
    "create plan form": ("get", lambda w: _wf("plan_create"), None, [200, 404, 404, 404, LOGIN]),
    "create plan": (
        "post",
        lambda w: _wf("plan_create"),
        lambda w: {"number": "200/KH-UBND", "title": "Kế hoạch", "year": 2022, "status": "active"},
        [302, 404, 404, 404, LOGIN],
    ),
    "edit plan form": (
        "get",
        lambda w: _wf("plan_edit", w.plan.pk),
        None,
        [200, 403, 404, 403, LOGIN],
    ),
    "withdraw plan": (
        "post",
        lambda w: _wf("plan_withdraw", w.plan.pk),
        lambda w: {"reason": "Ban hành nhầm", "confirm_number": w.plan.number},
        [302, 403, 404, 403, LOGIN],
    ),
    # Exports of the reports and spreadsheets areas: filtered by who asks.
    "export spreadsheet of the plan": (
        "get",
        lambda w: reverse("spreadsheets:export", args=["csv"]) + f"?ke_hoach={w.plan.pk}",
        None,
        [200, 200, 404, 200, LOGIN],
    ),
    "export report csv": (
        "get",
        lambda w: reverse("reports:csv"),
        None,
        [200, 200, 200, 200, LOGIN],
    ),
}


def _fingerprint():
    return (
        AssignmentEvent.objects.count(),
        Plan.objects.count(),
        list(Assignment.objects.order_by("pk").values_list("status", "version", "due_date")),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", list(CASES))
def test_access_matrix(client, request, world, stc, case, persona):
    method, url_for, data_for, expected_row = CASES[case]
    expected = expected_row[PERSONAS.index(persona)]
    world.stc_pk = stc.pk
    if persona != "anonymous":
        client_for(client, request.getfixturevalue(persona))
    url = url_for(world)
    before = _fingerprint()
    response = client.get(url) if method == "get" else client.post(url, data_for(world))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, case
    changed = _fingerprint() != before
    writes = method == "post"
    assert changed == (writes and expected == 302 and persona != "anonymous"), case


def test_officer_of_another_agency_guessing_urls_gets_404(client, world, officer_stc):
    """Sở Tài chính guesses Sở Tư pháp's assignment and evidence URLs: nothing leaks."""
    client_for(client, officer_stc)
    urls = [
        world.submitted_a.get_absolute_url(),
        _wf("evidence_download", world.submitted_a.pk, world.submission_pk),
        _wf("submit", world.open_a.pk),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"123/BC-STP" not in response.content


def test_evidence_url_under_another_assignment_is_404(client, world, coordinator, stc):
    """The file belongs to its assignment: pairing it with another pk does not work."""
    other = make_assignment(plan=world.plan, agency=stc)
    client_for(client, coordinator)
    url = _wf("evidence_download", other.pk, world.submission_pk)
    assert client.get(url).status_code == 404


def test_evidence_download_is_the_stored_file(client, world, officer_stp):
    response = client_for(client, officer_stp).get(
        _wf("evidence_download", world.submitted_a.pk, world.submission_pk)
    )
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "bao-cao.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_exports_of_another_agency_do_not_contain_sở_tư_pháp_work(client, world, officer_stc):
    client_for(client, officer_stc)
    for url in [
        reverse("spreadsheets:export", args=["csv"]),
        reverse("reports:csv"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content
        assert "Việc A".encode() not in body and "Việc B".encode() not in body, url


def test_officer_of_a_coordinating_agency_reads_but_cannot_act(client, world, stc, officer_stc):
    """Sở Tài chính coordinates on task B: it may read it and its evidence, not act."""
    world.submitted_a.task.coordinating_agencies.add(stc)
    client_for(client, officer_stc)
    assert client.get(world.submitted_a.get_absolute_url()).status_code == 200
    download = _wf("evidence_download", world.submitted_a.pk, world.submission_pk)
    assert client.get(download).status_code == 200
    progress = _wf("report_progress", world.submitted_a.pk)
    assert (
        client.post(
            progress, {"note": "x", "token": "8a1d0c9e-4f0b-4b0e-9d55-1c2f3a4b5c6e"}
        ).status_code
        == 403
    )
    assert client.get(world.open_a.get_absolute_url()).status_code == 404  # not coordinated
    inbox = client.get(_wf("inbox")).content.decode()
    assert "Việc B" in inbox and "Việc A" not in inbox
