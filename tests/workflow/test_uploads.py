"""Evidence files are checked by content; refused files are never stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning.models import Assignment, CompletionSubmission
from planning.uploads import validate_evidence
from tests.conftest import client_for

from .conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, office_bytes


def _post(client, assignment, upload):
    return client.post(
        reverse("workflow:submit", args=[assignment.pk]),
        {
            "completed_on": "2022-07-19",
            "document_number": "123/BC-STP",
            "document_date": "2022-07-19",
            "version": assignment.version,
            "file": upload,
        },
    )


def _stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "vượt quá giới hạn 10 MB"),
        ("bao-cao.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "chương trình chạy được"),
        ("bao-cao.pdf", b"", "rỗng"),
        ("bao-cao.pdf", b"<html>not a pdf</html>", "Không nhận ra nội dung tệp"),
        ("bao-cao.docx", office_bytes("other/part.xml"), "Không nhận ra nội dung tệp"),
    ],
    ids=["oversized", "renamed-exe", "empty", "html-as-pdf", "zip-not-docx"],
)
def test_refused_upload_stores_nothing(
    client, a_stp, officer_stp, isolated_media_and_cache, frozen_today, name, content, message
):
    response = _post(client_for(client, officer_stp), a_stp, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CompletionSubmission.objects.count() == 0
    assert _stored_files(isolated_media_and_cache) == []
    a_stp.refresh_from_db()
    assert a_stp.status == Assignment.Status.NOT_STARTED
    assert not a_stp.events.exists()


def test_accepted_upload_is_stored_under_a_random_name(
    client, a_stp, officer_stp, isolated_media_and_cache, frozen_today
):
    upload = SimpleUploadedFile("Báo cáo STP.pdf", PDF_BYTES)
    response = _post(client_for(client, officer_stp), a_stp, upload)
    assert response.status_code == 302
    submission = CompletionSubmission.objects.get()
    assert submission.original_filename == "Báo cáo STP.pdf"
    assert submission.content_type == "application/pdf"
    stored = _stored_files(isolated_media_and_cache)
    assert len(stored) == 1
    assert stored[0].suffix == ".pdf"
    assert "Báo cáo" not in stored[0].name and len(stored[0].stem) == 32


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scan.jpg", JPEG_BYTES, "image/jpeg"),
        ("scan.png", PNG_BYTES, "image/png"),
        ("bao-cao.docx", office_bytes("word/document.xml"), "wordprocessingml"),
        ("bang.xlsx", office_bytes("xl/workbook.xml"), "spreadsheetml"),
        ("bao-cao.bin", PDF_BYTES, "application/pdf"),  # the name does not matter
    ],
)
def test_allowed_types_are_recognised_by_content(name, content, content_type):
    assert content_type in validate_evidence(SimpleUploadedFile(name, content)).content_type


def test_a_png_renamed_pdf_is_stored_as_png(settings):
    sniffed = validate_evidence(SimpleUploadedFile("anh.pdf", PNG_BYTES))
    assert sniffed.extension == ".png"


def test_limit_is_the_setting(settings):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        validate_evidence(SimpleUploadedFile("a.pdf", PDF_BYTES))
