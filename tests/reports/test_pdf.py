"""The PDF report: official header, figures in the text layer, embedded fonts, NFC."""

import unicodedata
from datetime import date

import pytest

from planning.reports.document import build_report, date_line
from planning.reports.pdf import render_html, render_pdf
from planning.reports.statistics import ReportFilters
from tests.factories import make_assignment

from .conftest import AS_OF, pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


def report_for(plan, as_of=AS_OF, **extra):
    return build_report(
        user=None,
        filters=ReportFilters(as_of=as_of, plan=plan, **extra),
        issued_on=date(2026, 11, 21),
    )


def test_pdf_text_has_the_national_motto_figures_and_signature_block(plan_24_26):
    text = pdf_text(render_pdf(report_for(plan_24_26)))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND THÀNH PHỐ HÀ NỘI" in text
    assert "SỞ NỘI VỤ" in text
    assert "Hà Nội, ngày 21 tháng 11 năm 2026" in text
    assert "Kết quả thực hiện Kế hoạch số 192/KH-UBND" in text
    assert "hoàn thành 24/26 nhiệm vụ (đạt 92,31%)" in " ".join(text.split())
    assert "Nơi nhận" in text


def test_pdf_fonts_are_embedded_serif_fonts(plan_24_26):
    fonts = pdf_fonts(render_pdf(report_for(plan_24_26)))
    assert fonts, "no font found in the PDF"
    assert all(embedded for _, embedded in fonts), fonts
    # Our own family name for fonts-liberation2's files (planning/reports/fonts.py).
    assert all("+CCHC-Serif" in name for name, _ in fonts), fonts


def test_decomposed_text_comes_out_composed(plan_24_26, stp):
    nfd_title = unicodedata.normalize("NFD", "Rà soát thủ tục hành chính lĩnh vực hộ tịch")
    make_assignment(plan=plan_24_26, agency=stp, due=date(2022, 11, 30), title=nfd_title)
    text = pdf_text(render_pdf(report_for(plan_24_26)))
    composed = unicodedata.normalize("NFC", nfd_title)
    assert composed in " ".join(text.split())


def test_html_repeats_table_headers_and_uses_decree_margins(plan_24_26):
    html = render_html(report_for(plan_24_26))
    assert "thead { display: table-header-group; }" in html
    assert "tr { break-inside: avoid; }" in html
    assert "margin: 20mm 15mm 20mm 30mm" in html
    assert 'html { font-family: "CCHC Serif", "DejaVu Serif", serif;' in html
    assert 'src: url("file:///usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf")' in (
        html
    )
    assert html.count("<svg") == 2
    assert 'role="img"' in html


def test_overdue_and_extended_lists_show_days_late_as_of_the_date(plan_24_26, stp):
    make_assignment(
        plan=plan_24_26,
        agency=stp,
        due=date(2022, 11, 30),
        original_due=date(2022, 10, 31),
        title="Nhiệm vụ được gia hạn một tháng",
    )
    report = report_for(plan_24_26)
    assert [a.days_late_as_of for a in report.overdue] == [137, 137, 15]
    assert [a.task.title for a in report.extended] == ["Nhiệm vụ được gia hạn một tháng"]
    assert report.stats.total.rollup.extended == 1


def test_date_line_pads_day_below_10_and_month_below_3():
    assert date_line("Hà Nội", date(2026, 2, 5)) == "Hà Nội, ngày 05 tháng 02 năm 2026"
    assert date_line("Hà Nội", date(2026, 11, 21)) == "Hà Nội, ngày 21 tháng 11 năm 2026"
