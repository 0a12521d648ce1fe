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


# --- Evidence that runs code, or unzips too far (issue 16) -----------------------
# An officer of Sở Tư pháp attaches these to a completion report; the coordinator
# and leaders would open them. Each is refused and nothing is stored.

ACTIVE_PARTS = [
    ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro"),
    ("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0object"),
    ("word/embeddings/setup.exe", b"MZ\x90\x00program"),
    ("word/media/image2.png", b"MZ\x90\x00a program named like an image"),
]


@pytest.mark.parametrize(
    "part", ACTIVE_PARTS, ids=["macro", "ole-object", "embedded-exe", "exe-as-image"]
)
def test_docx_carrying_a_macro_or_program_is_refused(
    client, a_stp, officer_stp, isolated_media_and_cache, frozen_today, part
):
    from tests.uploads.bombs import docx_with

    upload = SimpleUploadedFile("bao-cao.docx", docx_with(part))
    response = _post(client_for(client, officer_stp), a_stp, upload)
    assert response.status_code == 200
    assert "macro, chương trình hoặc đối tượng nhúng" in response.content.decode()
    assert CompletionSubmission.objects.count() == 0
    assert _stored_files(isolated_media_and_cache) == []


def test_docx_declaring_macros_in_its_content_types_is_refused():
    from tests.uploads.bombs import docx_with

    docm = docx_with(("customXml/item9.xml", b"<x/>"))
    # the same file, with the content type Word gives a .docm
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docm)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            target.writestr(item, data)
    with pytest.raises(ValidationError, match="macro"):
        validate_evidence(SimpleUploadedFile("bao-cao.docx", buffer.getvalue()))


def test_plain_docx_and_excel_printer_settings_are_accepted():
    from tests.uploads.bombs import docx_with

    plain = docx_with(("word/printerSettings/printerSettings1.bin", b"\x00\x01 devmode"))
    assert validate_evidence(SimpleUploadedFile("bao-cao.docx", plain)).extension == ".docx"


def test_evidence_unzipping_past_the_limit_is_refused(settings):
    from tests.uploads.bombs import docx_inflating_to

    settings.UPLOAD_MAX_INFLATED_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="Không nhận ra nội dung tệp"):
        validate_evidence(SimpleUploadedFile("bao-cao.docx", docx_inflating_to(2 * 1024 * 1024)))


def test_evidence_limit_is_stated_on_the_page_and_follows_the_setting(
    client, a_stp, officer_stp, frozen_today, settings
):
    c = client_for(client, officer_stp)
    page = reverse("workflow:submit", args=[a_stp.pk])
    assert "Tệp tối đa 10 MB." in c.get(page).content.decode()

    settings.EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    assert "Tệp tối đa 2 MB." in c.get(page).content.decode()
    response = _post(c, a_stp, SimpleUploadedFile("a.pdf", PDF_BYTES + b"0" * 3 * 1024 * 1024))
    assert "vượt quá giới hạn 2 MB" in response.content.decode()
