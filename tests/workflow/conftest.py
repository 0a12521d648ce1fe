"""Fixtures of the workflow tests.

Personas come from tests/conftest.py: `coordinator` (Sở Nội vụ, decides),
`officer_stp` (lead agency of the assignments below, reports on them),
`officer_stc` (another agency: must get 404 for Sở Tư pháp's work), `viewer`
(reads everything, changes nothing) and the anonymous `client`.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from planning.workflow import services as workflow
from tests.factories import make_assignment, make_plan

TODAY = date(2022, 7, 20)

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_bytes(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


def pdf_upload(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def submit(assignment, officer, completed_on, **extra):
    """The officer's completion report through the service, document 123/BC-STP."""
    return workflow.submit_completion(
        assignment=assignment,
        actor=officer,
        completed_on=completed_on,
        document_number="123/BC-STP",
        document_date=completed_on,
        **extra,
    )


@pytest.fixture(autouse=True)
def isolated_media_and_cache(settings, tmp_path):
    """Evidence files go to a temporary MEDIA_ROOT; the cache is private to the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing the personas' passwords with PBKDF2 would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"workflow-tests-{tmp_path.name}",
        },
    }
    return settings.MEDIA_ROOT


@pytest.fixture
def frozen_today():
    """20/07/2022: before the 31/07/2022 due date of the fixtures."""
    with time_machine.travel(date(2022, 7, 20), tick=False) as traveller:
        yield traveller


@pytest.fixture
def plan(db):
    return make_plan("192/KH-UBND", title="Kế hoạch cải cách hành chính năm 2022")


@pytest.fixture
def a_stp(plan, stp):
    """A Sở Tư pháp assignment due 31/07/2022."""
    return make_assignment(
        plan=plan, agency=stp, due=date(2022, 7, 31), title="Rà soát thủ tục hành chính"
    )


@pytest.fixture
def a_stc(plan, stc):
    return make_assignment(
        plan=plan, agency=stc, due=date(2022, 7, 31), title="Hướng dẫn chi trả kinh phí"
    )
