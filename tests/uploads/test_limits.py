"""Every upload limit is a setting from the environment, checked and stated on its page.

A Sở Nội vụ coordinator sees the limits of the plan and spreadsheet uploads
(the officers' evidence limit is tested with the completion form, in
tests/workflow/test_uploads.py). Changing a setting changes the check and the
sentence together, since both read `planning.uploads.limits`.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import client_for
from tests.spreadsheets.conftest import row, sheet_csv
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db

SHEET = reverse("spreadsheets:upload")
PLAN = reverse("plan_import:upload")


def test_spreadsheet_page_states_the_default_limit(client, coordinator):
    page = client_for(client, coordinator).get(SHEET).content.decode()
    assert "Tệp tối đa 5 MB, khoảng 25.000 dòng." in page


def test_spreadsheet_limits_follow_the_settings(client, coordinator, settings):
    settings.SPREADSHEET_MAX_BYTES = 1024 * 1024
    settings.SPREADSHEET_MAX_ROWS = 100
    c = client_for(client, coordinator)
    assert "Tệp tối đa 1 MB, khoảng 100 dòng." in c.get(SHEET).content.decode()

    rows = [row(**{"Nhiệm vụ": f"Nhiệm vụ {n}"}) for n in range(150)]
    refused = c.post(SHEET, {"file": SimpleUploadedFile("a.csv", sheet_csv(rows))})
    assert refused.status_code == 200
    assert "Bảng tính có hơn 100 dòng" in refused.content.decode()

    big = SimpleUploadedFile("b.csv", sheet_csv(rows[:1]) + b"#" * 1024 * 1024)
    assert "giới hạn là 1 MB" in c.post(SHEET, {"file": big}).content.decode()


def test_plan_page_states_the_default_limits(client, coordinator):
    page = client_for(client, coordinator).get(PLAN).content.decode()
    assert "Tệp tối đa 5 MB, khoảng 20.000 đoạn văn; tệp PDF tối đa 300 trang." in page


def test_plan_limits_follow_the_settings(client, coordinator, settings):
    settings.PLAN_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    settings.PLAN_MAX_PARAGRAPHS = 10
    settings.PLAN_PDF_MAX_PAGES = 3
    c = client_for(client, coordinator)
    assert (
        "Tệp tối đa 2 MB, khoảng 10 đoạn văn; tệp PDF tối đa 3 trang."
        in c.get(PLAN).content.decode()
    )
    text = "\n".join(f"{n}. Nhiệm vụ thứ {n}" for n in range(1, 12))
    for data in ({"text": text}, {"file": SimpleUploadedFile("k.txt", text.encode())}):
        response = c.post(PLAN, data)
        assert "Văn bản có hơn 10 đoạn văn" in response.content.decode()


def test_pdf_over_the_page_limit_is_refused(client, coordinator, settings):
    from pypdf import PdfWriter

    settings.PLAN_PDF_MAX_PAGES = 3
    writer, buffer = PdfWriter(), io.BytesIO()
    for _ in range(5):
        writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    upload = SimpleUploadedFile("k.pdf", buffer.getvalue())
    response = client_for(client, coordinator).post(PLAN, {"file": upload})
    assert "Tệp PDF có 5 trang, vượt quá giới hạn 3 trang" in response.content.decode()


def test_limits_are_read_from_the_environment():
    names = [
        "SPREADSHEET_MAX_BYTES",
        "SPREADSHEET_MAX_ROWS",
        "PLAN_UPLOAD_MAX_BYTES",
        "PLAN_MAX_PARAGRAPHS",
        "PLAN_PDF_MAX_PAGES",
        "EVIDENCE_MAX_BYTES",
        "UPLOAD_MAX_INFLATED_BYTES",
    ]
    env = {name: str(1000 + n) for n, name in enumerate(names)}
    script = f"from django.conf import settings; print([getattr(settings, n) for n in {names!r}])"
    result = run_manage("shell", "-c", script, **env)
    assert result.stdout.strip().splitlines()[-1] == str([1000 + n for n in range(len(names))])

    bad = run_manage("check", SPREADSHEET_MAX_ROWS="nhiều")
    assert bad.returncode != 0 and "SPREADSHEET_MAX_ROWS must be an integer" in bad.stderr
