"""The PDF's details: signature block, wording, page breaks, an agency's own extract.

Personas (tests/conftest.py): `coordinator` (Sở Nội vụ) issues the report for
every agency; `officer_stp` sees only Sở Tư pháp, so the report an officer
downloads is Sở Tư pháp's own extract and Sở Tư pháp issues it.
"""

import io
import os
import subprocess
import sys
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from planning.models import Plan
from planning.reports.pdf import render_pdf
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment, make_plan

from .conftest import pdf_text
from .test_pdf import report_for

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre


def pages_of(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def baseline(content: bytes, needle: str) -> float:
    """The height on the page (points from the bottom) of the line drawing `needle`."""
    found = []

    def visit(text, cm, tm, font, size):
        if needle in text:
            found.append(cm[5] + tm[5] * cm[3])

    for page in PdfReader(io.BytesIO(content)).pages:
        page.extract_text(visitor_text=visit)
    assert found, needle
    return found[-1]


def test_signature_block_has_title_name_and_room_to_sign_and_seal(plan_24_26, settings):
    settings.REPORT_SIGNER_TITLE = "Giám đốc"
    settings.REPORT_SIGNER_NAME = "Nguyễn Văn Bình"
    content = render_pdf(report_for(plan_24_26))
    text = pdf_text(content)
    assert "GIÁM ĐỐC" in text
    assert "Nguyễn Văn Bình" in text
    room = baseline(content, "GIÁM ĐỐC") - baseline(content, "Nguyễn Văn Bình")
    assert room >= 25 * MM, f"{room / MM:.1f} mm between the title and the name"


def test_report_settings_come_from_the_environment():
    env = {
        **os.environ,
        "REPORT_ISSUER": "Sở Nội vụ tỉnh Thử",
        "REPORT_SIGNER_NAME": "Trần Thị Hoa",
        "REPORT_SIGNER_TITLE": "KT. GIÁM ĐỐC",
    }
    code = (
        "import config.settings as s; "
        "print(s.REPORT_ISSUER, s.REPORT_SIGNER_NAME, s.REPORT_SIGNER_TITLE, sep='|')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "Sở Nội vụ tỉnh Thử|Trần Thị Hoa|KT. GIÁM ĐỐC"


def test_no_extension_is_written_out_not_counted_as_zero(plan_24_26, stp):
    summary = report_for(plan_24_26).summary
    assert "Không có nhiệm vụ nào được gia hạn." in summary
    assert "Có 0 nhiệm vụ" not in summary
    make_assignment(
        plan=plan_24_26, agency=stp, due=date(2022, 11, 30), original_due=date(2022, 10, 31)
    )
    assert "Có 1 nhiệm vụ được gia hạn." in report_for(plan_24_26).summary


def test_the_total_row_never_starts_a_page_alone():
    """With 15 agencies the ranking's last row ends page 1 and the total once
    stood alone on page 2; a row or two either way covers a shift in layout."""
    plan = make_plan("9/KH-UBND", title="Thử ngắt trang")
    for n in range(1, 18):
        agency = make_agency(f"A{n:02d}", f"Cơ quan số {n:02d}")
        make_assignment(plan=plan, agency=agency, due=date(2022, 7, 31))
        if n < 14:
            continue
        pages = pages_of(render_pdf(report_for(plan)))
        where = next(i for i, text in enumerate(pages) if "Tổng cộng" in text)
        before_total = pages[where].split("Tổng cộng")[0]
        assert "Cơ quan số" in before_total, f"{n} agencies: the total alone on page {where + 1}"


def test_the_signature_does_not_stand_alone_on_the_last_page_of_kh_192():
    call_command("load_demo")
    plan = Plan.objects.get(number="192/KH-UBND", year=2022)
    report = report_for(plan, as_of=date(2022, 12, 31))
    last = pages_of(render_pdf(report))[-1]
    assert "Nơi nhận" in last
    # The report ends with its "Chỉ tiêu" section: SIPAS's last items go with the signature.
    assert "V.4" in last


def test_an_officers_extract_is_issued_by_the_own_agency(client, officer_stp, plan_24_26):
    url = reverse("reports:pdf") + f"?ke_hoach={plan_24_26.pk}&ngay=15/12/2022"
    text = pdf_text(client_for(client, officer_stp).get(url).content)
    head = text.split("BÁO CÁO")[0]
    assert "SỞ TƯ PHÁP" in head
    assert "/BC-STP" in head
    assert "SỞ NỘI VỤ" not in head and "BC-SNV" not in head
    assert "Sở Nội vụ (để tổng hợp)" in text


def test_sở_nội_vụ_issues_its_report_on_one_agency(client, coordinator, plan_24_26):
    url = reverse("reports:pdf") + f"?ke_hoach={plan_24_26.pk}&ngay=15/12/2022&co_quan=STP"
    text = pdf_text(client_for(client, coordinator).get(url).content)
    head = text.split("BÁO CÁO")[0]
    assert "SỞ NỘI VỤ" in head and "/BC-SNV" in head
