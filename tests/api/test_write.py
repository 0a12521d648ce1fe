"""Writing through the API: the workflow's rules and history, idempotent retries."""

from __future__ import annotations

import io
import threading
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from planning.models import Assignment, AssignmentEvent, ProgressNote
from tests.factories import make_assignment, make_plan

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def mine(stp):
    return make_assignment(plan=make_plan(), agency=stp, due=date(2022, 9, 30))


def test_progress_from_an_agency_system_is_in_the_history_with_the_system_s_name(stp_system, mine):
    response = stp_system.post(
        f"/api/v1/assignments/{mine.pk}/progress/", {"note": "Đã dự thảo"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "in_progress"
    event = AssignmentEvent.objects.get(assignment=mine, kind="progress")
    assert event.note == "Đã dự thảo"
    assert event.actor.first_name == "Hệ thống Phần mềm STP"
    history = stp_system.get(f"/api/v1/assignments/{mine.pk}/history/").json()["results"]
    assert [e["kind"] for e in history][-2:] == ["progress", "status"]
    assert history[-2]["actor"] == "Hệ thống Phần mềm STP"


def test_a_read_only_token_cannot_write(stc_system, report_system, mine):
    for system in (stc_system, report_system):
        response = system.post(
            f"/api/v1/assignments/{mine.pk}/progress/", {"note": "x"}, format="json"
        )
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
    assert not ProgressNote.objects.exists()


def test_an_agency_cannot_write_on_another_agency_s_assignment(stp_system, stc):
    theirs = make_assignment(plan=make_plan(), agency=stc)
    response = stp_system.post(
        f"/api/v1/assignments/{theirs.pk}/progress/", {"note": "x"}, format="json"
    )
    assert response.status_code == 404


def test_a_coordinating_agency_reads_but_may_not_report(stp_system, stp, stc):
    theirs = make_assignment(plan=make_plan(), agency=stc)
    theirs.task.coordinating_agencies.add(stp)
    assert stp_system.get(f"/api/v1/assignments/{theirs.pk}/").status_code == 200
    response = stp_system.post(
        f"/api/v1/assignments/{theirs.pk}/progress/", {"note": "x"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_lead_agency"


def test_an_empty_note_is_refused_with_the_field_named(stp_system, mine):
    response = stp_system.post(f"/api/v1/assignments/{mine.pk}/progress/", {}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]


@time_machine.travel(date(2022, 9, 20))
def test_completion_with_an_evidence_file_goes_to_review(stp_system, mine):
    response = stp_system.post(
        f"/api/v1/assignments/{mine.pk}/completion/",
        {
            "completed_on": "2022-09-15",
            "document_number": "123/BC-STP",
            "document_date": "2022-09-16",
            "file": SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "submitted"
    submission = Assignment.objects.get(pk=mine.pk).submissions.get()
    assert submission.document_number == "123/BC-STP"
    assert submission.original_filename == "bao-cao.pdf"


@time_machine.travel(date(2022, 9, 20))
def test_completion_is_checked_by_the_pages_rules(stp_system, mine):
    url = f"/api/v1/assignments/{mine.pk}/completion/"
    future = {"completed_on": "2022-10-01", "document_number": "1", "document_date": "2022-09-16"}
    response = stp_system.post(url, future, format="multipart")
    assert response.status_code == 400
    assert "completed_on" in response.json()["error"]["fields"]
    exe = SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    data = {**future, "completed_on": "2022-09-15", "file": exe}
    response = stp_system.post(url, data, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert Assignment.objects.get(pk=mine.pk).status == "not_started"


@time_machine.travel(date(2022, 9, 20))
def test_a_second_completion_is_a_workflow_conflict(stp_system, mine):
    url = f"/api/v1/assignments/{mine.pk}/completion/"
    data = {"completed_on": "2022-09-15", "document_number": "1", "document_date": "2022-09-16"}
    assert stp_system.post(url, data, format="multipart").status_code == 201
    response = stp_system.post(url, data, format="multipart")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "workflow"


def test_a_retried_write_with_the_same_key_is_written_once(stp_system, mine):
    url = f"/api/v1/assignments/{mine.pk}/progress/"
    first = stp_system.post(url, {"note": "Lần 1"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = stp_system.post(url, {"note": "Lần 1"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ProgressNote.objects.count() == 1
    other = stp_system.post(url, {"note": "Khác"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_conflict"
    new_key = stp_system.post(url, {"note": "Lần 2"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert new_key.status_code == 201
    assert ProgressNote.objects.count() == 2


def test_a_refused_write_does_not_use_up_its_key(stp_system, mine):
    url = f"/api/v1/assignments/{mine.pk}/progress/"
    assert stp_system.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 400
    ok = stp_system.post(url, {"note": "Đã sửa"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert ok.status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_retries_with_one_key_write_once(stp):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers")
    from planning.api.tokens import create_token
    from tests.api.conftest import TokenClient

    _, key = create_token(name="STP song song", agency=stp, can_write=True)
    assignment = make_assignment(plan=make_plan(), agency=stp)
    url = f"/api/v1/assignments/{assignment.pk}/progress/"
    barrier = threading.Barrier(2)
    codes = []

    def send():
        client = TokenClient(key)
        barrier.wait()
        response = client.post(url, {"note": "Một lần"}, format="json", HTTP_IDEMPOTENCY_KEY="x")
        codes.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [201, 201]
    assert ProgressNote.objects.filter(assignment=assignment).count() == 1


def test_requests_over_the_rate_are_throttled(stp_system, mine, monkeypatch):
    from django.core.cache import cache

    from planning.api.auth import TokenRateThrottle

    cache.clear()
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    codes = [stp_system.get("/api/v1/plans/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = stp_system.get("/api/v1/plans/")
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_create_api_token_prints_the_token_once_and_stores_only_its_hash(stp, capsys):
    from django.core.management import call_command

    from planning.api.models import ApiToken

    out = io.StringIO()
    call_command("create_api_token", "Một cửa STP", "--agency", "stp", "--write", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(name="Một cửa STP")
    assert key.startswith("cchc_") and len(key) > 40
    assert token.agency == stp and token.can_write
    assert key not in token.key_hash and token.key_hash != key
    assert not token.user.has_usable_password()
    from tests.api.conftest import TokenClient

    assert TokenClient(key).get("/api/v1/plans/").status_code == 200


def test_create_api_token_refuses_a_write_token_without_agency_and_unknown_agencies(snv):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="gắn với một cơ quan"):
        call_command("create_api_token", "X", "--write", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Không có cơ quan"):
        call_command("create_api_token", "Y", "--agency", "NOPE", stdout=io.StringIO())
