"""A long plan file is read in the queue, with progress, then reviewed as usual.

Who may see what: the Sở Nội vụ coordinator who uploaded it follows the job;
another coordinator, an officer or a viewer gets 404 on it.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning import jobs
from planning.parsing.review.forms import INLINE_MAX_PARAGRAPHS
from tests.conftest import client_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db

UPLOAD = reverse("plan_import:upload")
HEAD = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 7/KH-UBND\nKẾ HOẠCH\nCải cách hành chính năm 2022\n"


def long_plan_docx() -> bytes:
    import docx

    document = docx.Document()
    for line in HEAD.splitlines():
        document.add_paragraph(line)
    document.add_paragraph("I. NHIỆM VỤ")
    for n in range(INLINE_MAX_PARAGRAPHS + 10):
        document.add_paragraph(
            f"{n + 1}. Giao Sở Tư pháp rà soát thủ tục hành chính số {n + 1}, "
            "hoàn thành trước 31/12/2022."
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def queued(monkeypatch):
    """django-q's queue, recorded instead of run."""
    import django_q.tasks

    calls = []
    monkeypatch.setattr(django_q.tasks, "async_task", lambda *a, **k: calls.append(a))
    return calls


def test_long_plan_is_read_in_the_queue_then_reviewed(client, coordinator, queued):
    c = client_for(client, coordinator)
    response = c.post(UPLOAD, {"file": SimpleUploadedFile("dai.docx", long_plan_docx())})
    job_id = response.url.rstrip("/").rsplit("/", 1)[-1]
    assert response.url == reverse("plan_import:job", args=[job_id])
    assert queued == [("planning.jobs.run_job", job_id)]  # nothing parsed in the request

    page = c.get(response.url).content.decode()
    assert "Đang đọc văn bản: dai.docx" in page
    progress = c.get(reverse("plan_import:job_progress", args=[job_id])).json()
    assert progress == {"state": "queued", "processed": 0, "total": 2}

    jobs.run_job(job_id)  # what the cluster does
    done = c.get(reverse("plan_import:job", args=[job_id]))
    assert done.url == reverse("plan_import:review")
    review = c.get(done.url).content.decode()
    assert "Giao Sở Tư pháp rà soát thủ tục hành chính số 50," in review


def test_refused_long_file_goes_back_to_the_upload_page_with_the_reason(client, coordinator):
    from planning.parsing.review import tasks

    job_id = jobs.create_job(
        user=coordinator, task=tasks.TASK, content=b"PK\x03\x04 hong", total=2, name="dai.docx"
    )
    jobs.run_job(job_id)
    c = client_for(client, coordinator)
    page = c.get(reverse("plan_import:job", args=[job_id]), follow=True)
    assert page.redirect_chain[-1][0] == UPLOAD
    assert "hỏng" in page.content.decode()


@pytest.mark.parametrize("persona", ["other_coordinator", "officer_stp", "viewer"])
def test_only_the_uploader_sees_the_job(client, request, coordinator, snv, queued, persona):
    c = client_for(client, coordinator)
    response = c.post(UPLOAD, {"file": SimpleUploadedFile("dai.docx", long_plan_docx())})
    job_id = response.url.rstrip("/").rsplit("/", 1)[-1]
    if persona == "other_coordinator":
        user = make_user("dieuphoi2", agency=snv, role="coordinator")
    else:
        user = request.getfixturevalue(persona)
    other = client_for(client, user)
    assert other.get(reverse("plan_import:job", args=[job_id])).status_code == 404
    assert other.get(reverse("plan_import:job_progress", args=[job_id])).status_code == 404
