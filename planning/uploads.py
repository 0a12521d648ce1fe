"""Checking an evidence file by what it contains, never by its name.

An officer may attach a PDF, a Word (.docx) or Excel (.xlsx) file, or a JPEG
or PNG scan, of at most `settings.EVIDENCE_MAX_BYTES`. The type comes from the
first bytes (and, for .docx/.xlsx, from the parts inside the zip), so an
executable renamed "bao-cao.pdf" is refused. A refused file is never stored:
this runs in the form's validation, before any service function saves it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from .formatting import format_number

ALLOWED_LABEL = "PDF, Word (.docx), Excel (.xlsx), ảnh JPG hoặc PNG"

# Headers of programs and scripts that must never be accepted, whatever the name says.
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows .exe/.dll
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # macOS Mach-O
    b"\xfe\xed\xfa\xce",
    b"#!",  # scripts
)


@dataclass(frozen=True)
class SniffedType:
    content_type: str
    extension: str
    label: str


PDF = SniffedType("application/pdf", ".pdf", "PDF")
PNG = SniffedType("image/png", ".png", "PNG")
JPEG = SniffedType("image/jpeg", ".jpg", "JPEG")
DOCX = SniffedType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"
)
XLSX = SniffedType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel"
)


def _sniff_office(upload: UploadedFile) -> SniffedType | None:
    """A .docx/.xlsx is a zip holding [Content_Types].xml and its main part."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(upload: UploadedFile) -> SniffedType | None:
    """The allowed type the content shows, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _sniff_office(upload)
    return None


def validate_evidence(upload: UploadedFile) -> SniffedType:
    """Refuse an empty, oversized, executable or unknown file with a Vietnamese message.

    1. size first (cheap, and no need to read a huge file);
    2. executables get their own message, so the officer understands why;
    3. anything else must be recognised by its content as an allowed type.
    """
    limit = settings.EVIDENCE_MAX_BYTES
    if not upload.size:
        raise ValidationError(
            "Tệp “%(name)s” rỗng (0 byte).", code="empty", params={"name": upload.name}
        )
    if upload.size > limit:
        raise ValidationError(
            "Tệp “%(name)s” có dung lượng %(size)s MB, vượt quá giới hạn %(limit)s MB.",
            code="too_big",
            params={
                "name": upload.name,
                "size": format_number(round(upload.size / 1024 / 1024, 1)),
                "limit": format_number(limit // (1024 * 1024)),
            },
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(EXECUTABLE_MAGIC):
        raise ValidationError(
            "Tệp “%(name)s” là chương trình chạy được, không phải văn bản; "
            "hệ thống không nhận loại tệp này.",
            code="executable",
            params={"name": upload.name},
        )
    sniffed = sniff(upload)
    if sniffed is None:
        raise ValidationError(
            "Không nhận ra nội dung tệp “%(name)s”. Chỉ nhận %(allowed)s.",
            code="bad_type",
            params={"name": upload.name, "allowed": ALLOWED_LABEL},
        )
    return sniffed
