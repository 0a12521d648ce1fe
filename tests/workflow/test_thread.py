"""The thread of an assignment: replies under a progress note or a returned
report, files on progress notes, all of it in the history.

Who may write: `officer_stp` (the lead agency) and the `coordinator`; the
`viewer` reads the thread but gets 403 on writing; `officer_stc` (another
agency) gets 404. Files follow the evidence rules (checked by content).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from planning.evidence import remove_orphan_evidence
from planning.models import AssignmentEvent, ProgressNote, Reply
from planning.workflow import services as workflow
from tests.conftest import client_for

from .conftest import pdf_upload, submit

Kind = AssignmentEvent.Kind


@pytest.fixture
def note(a_stp, officer_stp):
    return workflow.report_progress(assignment=a_stp, actor=officer_stp, note="Đã dự thảo")


@pytest.fixture
def returned(a_stp, officer_stp, coordinator, frozen_today):
    submission = submit(a_stp, officer_stp, date(2022, 7, 19))
    workflow.return_completion(
        submission=submission, actor=coordinator, reason="Thiếu phụ lục", notify=False
    )
    submission.refresh_from_db()
    return submission


def _reply(client, assignment, **data):
    return client.post(reverse("workflow:reply", args=[assignment.pk]), data, follow=True)


def test_coordinator_and_officer_reply_under_a_progress_note(
    client, a_stp, note, coordinator, officer_stp
):
    _reply(client_for(client, coordinator), a_stp, progress_note=note.pk, text="Gửi kèm dự thảo?")
    response = _reply(
        client_for(client, officer_stp), a_stp, progress_note=note.pk, text="Đã gửi ngày 15/7"
    )
    body = response.content.decode()
    assert body.index("Gửi kèm dự thảo?") < body.index("Đã gửi ngày 15/7")
    thread = list(note.replies.values_list("author__username", "text"))
    assert thread == [("dieuphoi", "Gửi kèm dự thảo?"), ("canbo.stp", "Đã gửi ngày 15/7")]
    history = body[body.index("<h2>Lịch sử</h2>") :]
    assert "Trao đổi" in history and "Đã gửi ngày 15/7" in history
    assert a_stp.events.filter(kind=Kind.REPLY).count() == 2


def test_officer_replies_under_a_return(client, a_stp, returned, officer_stp):
    response = _reply(
        client_for(client, officer_stp), a_stp, submission=returned.pk, text="Đã bổ sung phụ lục"
    )
    body = response.content.decode()
    assert "Trao đổi về lần trả lại" in body and "Đã bổ sung phụ lục" in body
    event = a_stp.events.get(kind=Kind.REPLY)
    assert event.new_value.startswith("về lần trả lại lúc") and event.note == "Đã bổ sung phụ lục"


def test_a_pending_report_is_not_a_thread(client, a_stp, officer_stp, frozen_today):
    pending = submit(a_stp, officer_stp, date(2022, 7, 19))
    response = _reply(client_for(client, officer_stp), a_stp, submission=pending.pk, text="?")
    assert "Chỉ trả lời được dưới báo cáo hoàn thành đã bị trả lại." in response.content.decode()
    assert not Reply.objects.exists()


def test_a_reply_needs_text_in_vietnamese(client, a_stp, note, officer_stp):
    response = _reply(client_for(client, officer_stp), a_stp, progress_note=note.pk, text="")
    assert "Trường này là bắt buộc." in response.content.decode()
    assert not Reply.objects.exists()


def test_a_double_submitted_reply_is_one(client, a_stp, note, officer_stp):
    client = client_for(client, officer_stp)
    data = {
        "progress_note": note.pk,
        "text": "Một lần",
        "token": "8b1f0e0e-6c1a-4a5e-9d1e-0a0a0a0a0a0a",
    }
    _reply(client, a_stp, **data)
    _reply(client, a_stp, **data)
    assert Reply.objects.count() == 1 and a_stp.events.filter(kind=Kind.REPLY).count() == 1


def test_who_may_write_in_the_thread(client, a_stp, note, viewer, officer_stc):
    url = reverse("workflow:reply", args=[a_stp.pk])
    data = {"progress_note": note.pk, "text": "Xin ý kiến"}
    assert client.post(url, data).status_code == 302  # anonymous: to the login page
    assert client_for(client, viewer).post(url, data).status_code == 403
    assert client_for(client, officer_stc).post(url, data).status_code == 404
    assert not Reply.objects.exists()
    page = client_for(client, viewer).get(a_stp.get_absolute_url()).content.decode()
    assert "Đã dự thảo" in page and url not in page  # reads, no form


def test_a_note_of_another_assignment_is_not_a_parent(client, a_stp, a_stc, officer_stc):
    other = workflow.report_progress(assignment=a_stc, actor=officer_stc, note="Của STC")
    response = client_for(client, officer_stc).post(
        reverse("workflow:reply", args=[a_stc.pk]), {"progress_note": 999999, "text": "x"}
    )
    assert response.status_code == 404
    assert other.replies.count() == 0


def test_reply_needs_the_csrf_token(a_stp, note, officer_stp):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_stp)
    response = client.post(
        reverse("workflow:reply", args=[a_stp.pk]), {"progress_note": note.pk, "text": "x"}
    )
    assert response.status_code == 403 and not Reply.objects.exists()


# --- Files on progress notes ----------------------------------------------------------


def test_officer_attaches_a_file_to_a_progress_note(client, a_stp, officer_stp, officer_stc):
    client = client_for(client, officer_stp)
    client.post(
        reverse("workflow:report_progress", args=[a_stp.pk]),
        {
            "note": "Dự thảo kèm theo",
            "token": "1b1f0e0e-6c1a-4a5e-9d1e-0a0a0a0a0a0a",
            "file": pdf_upload("du-thao.pdf"),
        },
    )
    note = ProgressNote.objects.get()
    assert (note.original_filename, note.content_type) == ("du-thao.pdf", "application/pdf")
    assert a_stp.events.get(kind=Kind.PROGRESS).new_value == "tệp du-thao.pdf"
    page = client.get(a_stp.get_absolute_url()).content.decode()
    assert note.get_download_url() in page
    download = client.get(note.get_download_url())
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client_for(client, officer_stc).get(note.get_download_url()).status_code == 404
    # The daily sweep of unreferenced files keeps it.
    assert remove_orphan_evidence(grace=timedelta(0)) == []


def test_a_renamed_program_is_refused_on_a_progress_note(client, a_stp, officer_stp):
    program = SimpleUploadedFile("tien-do.pdf", b"MZ\x90\x00" + b"\x00" * 60)
    response = client_for(client, officer_stp).post(
        reverse("workflow:report_progress", args=[a_stp.pk]),
        {"note": "Kèm tệp", "token": "2b1f0e0e-6c1a-4a5e-9d1e-0a0a0a0a0a0a", "file": program},
        follow=True,
    )
    assert "Tệp “tien-do.pdf” là chương trình chạy được" in response.content.decode()
    assert not ProgressNote.objects.exists()


def test_thread_page_costs_the_same_queries_as_it_grows(
    client, a_stp, note, officer_stp, coordinator, django_assert_max_num_queries
):
    client = client_for(client, officer_stp)
    url = a_stp.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
        count = len(small.captured_queries)
    for i in range(8):
        n = workflow.report_progress(assignment=a_stp, actor=officer_stp, note=f"Tiến độ {i}")
        workflow.reply(assignment=a_stp, actor=coordinator, progress_note=n, text=f"Ý kiến {i}")
    client.get(url)  # the record and the signed-in user are cached per data generation
    client.get(url)
    with django_assert_max_num_queries(count):
        body = client.get(url).content.decode()
    assert "Ý kiến 7" in body
