"""Report fixtures: the "24/26 → 92,31%" plan and helpers to read a PDF.

Personas come from tests/conftest.py: `coordinator` (Sở Nội vụ, sees all),
`viewer` (reads all), `officer_stp` / `officer_stc` (their own agency only).
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from planning.models import Assignment
from tests.factories import make_assignment, make_plan

DONE = Assignment.Status.DONE
AS_OF = date(2022, 12, 15)


@pytest.fixture
def plan_24_26(stp, stc):
    """KH 192/KH-UBND: Sở Tư pháp 12/13 done, Sở Tài chính 12/13 done → 24/26.

    Per agency: 10 done on time, 2 done late, 1 open and overdue as of AS_OF.
    """
    plan = make_plan(
        "192/KH-UBND",
        title="Cải thiện, nâng cao Chỉ số cải cách hành chính năm 2022",
        issuing_body="Ủy ban nhân dân thành phố Hà Nội",
        place="Hà Nội",
    )
    for agency in (stp, stc):
        for i in range(13):
            if i < 10:
                kwargs = {"status": DONE, "completed_on": date(2022, 7, 20)}
            elif i < 12:
                kwargs = {"status": DONE, "completed_on": date(2022, 8, 10)}
            else:
                kwargs = {"status": Assignment.Status.IN_PROGRESS}
            make_assignment(
                plan=plan,
                agency=agency,
                due=date(2022, 7, 31),
                title=f"Nhiệm vụ {agency.code} số {i + 1}",
                **kwargs,
            )
    return plan


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(content: bytes) -> list[tuple[str, bool]]:
    """(BaseFont, embedded?) for every font the pages use."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for descendant in font.get("/DescendantFonts") or []:
                descriptors.append(descendant.get_object().get("/FontDescriptor"))
            embedded = any(
                d is not None
                and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            )
            fonts[str(font["/BaseFont"])] = embedded
    return sorted(fonts.items())
