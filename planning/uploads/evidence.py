"""Checking an evidence file by what it contains, never by its name.

An officer may attach a PDF, a Word (.docx) or Excel (.xlsx) file, or a JPEG
or PNG scan, of at most `settings.EVIDENCE_MAX_BYTES`. The type comes from the
first bytes (and, for .docx/.xlsx, from the parts inside the zip), so an
executable renamed "bao-cao.pdf" is refused; so is a .docx/.xlsx that unzips
to more than it should or carries macros, embedded objects or programs
(`archives.refuse_active_content`): other people open these files. A refused
file is never stored: this runs in the form's validation, before any service
function saves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404

from planning.formatting import format_number

from . import limits
from .archives import EXECUTABLE_MAGIC, ArchiveError, open_archive, refuse_active_content

ALLOWED_LABEL = "PDF, Word (.docx), Excel (.xlsx), ảnh JPG hoặc PNG"


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
    """A .docx/.xlsx is a zip holding [Content_Types].xml and its main part.

    ArchiveError when the zip is one, but unzips too far or runs code.
    """
    upload.seek(0)
    try:
        archive = open_archive(upload, max_inflated=limits.evidence().max_inflated)
    except ArchiveError:
        upload.seek(0)
        return None
    try:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            refuse_active_content(archive)
            return DOCX
        if "xl/workbook.xml" in names:
            refuse_active_content(archive)
            return XLSX
        return None
    finally:
        upload.seek(0)


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
    limit = limits.evidence().max_bytes
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
                "limit": limits.megabytes(limit).removesuffix(" MB"),
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
    try:
        sniffed = sniff(upload)
    except ArchiveError as exc:
        raise ValidationError(
            "Tệp “%(name)s”: %(reason)s",
            code="active_content",
            params={"name": upload.name, "reason": str(exc)},
        ) from None
    if sniffed is None:
        raise ValidationError(
            "Không nhận ra nội dung tệp “%(name)s”. Chỉ nhận %(allowed)s.",
            code="bad_type",
            params={"name": upload.name, "allowed": ALLOWED_LABEL},
        )
    return sniffed


def attach_evidence(
    record, upload: UploadedFile, sniffed: SniffedType | None, *, stem: str = "evidence"
) -> None:
    """Store a checked file on a record with the evidence fields (`file`,
    `original_filename`, `content_type`, `size`): a completion report, a
    progress note, an indicator's measured value. The record is not saved here."""
    if sniffed is None:
        raise ValueError("an evidence file must be checked with uploads.validate_evidence")
    record.original_filename = upload.name[-255:]
    record.content_type = sniffed.content_type
    record.size = upload.size
    record.file.save(f"{stem}{sniffed.extension}", upload, save=False)


def evidence_response(record, *, fallback: str = "van-ban-kiem-chung") -> FileResponse:
    """A record's evidence file as a download, under its original name with the
    stored (sniffed) extension; 404 when there is none. The caller checks access."""
    if not record.file:
        raise Http404
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = PurePath(record.file.name).suffix
    filename = record.original_filename or f"{fallback}{suffix}"
    if PurePath(filename).suffix.lower() != suffix:
        filename = f"{PurePath(filename).stem}{suffix}"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=record.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
