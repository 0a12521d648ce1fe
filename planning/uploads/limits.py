"""The stated limits of every upload, and the sentence that states them on its page.

Each limit is a setting read from the environment (config/settings.py, listed
in docs/DEPLOY.md and docs/SECURITY.md). They are read here at call time, never
copied into a module constant, so the check and the text on the page always
agree, also under `override_settings`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from planning.formatting import format_number

# The widest sheet read: the template has 10 columns (11 with "STT").
MAX_COLUMNS = 40
# XML elements besides the counted ones (styles, numbering, relationships…).
ELEMENT_ALLOWANCE = 50_000
# Elements a Word paragraph or table cell takes at most in practice (runs,
# properties, text, bookmarks): a ceiling on the whole document tree.
ELEMENTS_PER_PARAGRAPH = 40
# A cell is <c>, its <v> or <is><t>, and a shared string <si><t>.
ELEMENTS_PER_CELL = 5


def megabytes(n: int) -> str:
    """5242880 → "5 MB", 2621440 → "2,5 MB"."""
    value = round(n / 1024 / 1024, 1)
    return f"{format_number(int(value) if value.is_integer() else value)} MB"


@dataclass(frozen=True)
class Limits:
    """What one kind of upload may hold; `statement` says it on the page."""

    max_bytes: int
    max_inflated: int
    max_rows: int | None = None
    max_paragraphs: int | None = None
    max_pdf_pages: int | None = None

    @property
    def max_cells(self) -> int:
        return (self.max_rows or 0) * MAX_COLUMNS

    @property
    def max_elements(self) -> int:
        if self.max_rows:
            return self.max_cells * ELEMENTS_PER_CELL + ELEMENT_ALLOWANCE
        return (self.max_paragraphs or 0) * ELEMENTS_PER_PARAGRAPH + ELEMENT_ALLOWANCE

    @property
    def statement(self) -> str:
        """ "Tệp tối đa 5 MB, khoảng 25.000 dòng." """
        text = f"Tệp tối đa {megabytes(self.max_bytes)}"
        if self.max_rows:
            text += f", khoảng {format_number(self.max_rows)} dòng"
        if self.max_paragraphs:
            text += f", khoảng {format_number(self.max_paragraphs)} đoạn văn"
        if self.max_pdf_pages:
            text += f"; tệp PDF tối đa {format_number(self.max_pdf_pages)} trang"
        return text + "."


def spreadsheet() -> Limits:
    return Limits(
        max_bytes=settings.SPREADSHEET_MAX_BYTES,
        max_inflated=settings.UPLOAD_MAX_INFLATED_BYTES,
        max_rows=settings.SPREADSHEET_MAX_ROWS,
    )


def plan() -> Limits:
    return Limits(
        max_bytes=settings.PLAN_UPLOAD_MAX_BYTES,
        max_inflated=settings.UPLOAD_MAX_INFLATED_BYTES,
        max_paragraphs=settings.PLAN_MAX_PARAGRAPHS,
        max_pdf_pages=settings.PLAN_PDF_MAX_PAGES,
    )


def evidence() -> Limits:
    return Limits(
        max_bytes=settings.EVIDENCE_MAX_BYTES, max_inflated=settings.UPLOAD_MAX_INFLATED_BYTES
    )


def too_big_message(size: int, limit: int) -> str:
    """One wording for every file over its size limit."""
    return (
        f"Tệp quá lớn ({megabytes(size)}); giới hạn là {megabytes(limit)}. "
        "Hãy tách thành nhiều tệp nhỏ hơn."
    )
