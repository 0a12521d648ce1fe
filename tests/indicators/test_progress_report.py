"""The progress report's "Chỉ tiêu" section (PDF) and sheet (Excel).

Personas (tests/indicators/conftest.py): the report without a user is Sở Nội
vụ's, with every criterion; an officer of Sở Tư pháp gets its agency's extract,
whose "Chỉ tiêu" holds the criteria Sở Tư pháp leads and nothing else.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from planning.indicators.models import Indicator
from planning.indicators.services import record_result
from planning.reports.document import build_report
from planning.reports.pdf import render_pdf
from planning.reports.statistics import ReportFilters
from planning.reports.tables import xlsx_bytes
from tests.factories import make_plan
from tests.reports.conftest import pdf_text

AS_OF = date(2022, 12, 31)
HEADER_ROW = 4  # two title lines and a blank one above, as on every sheet


def report_for(plan, user=None):
    return build_report(
        user=user, filters=ReportFilters(as_of=AS_OF, plan=plan), issued_on=date(2023, 1, 5)
    )


def indicator_sheet(content: bytes):
    sheet = load_workbook(io.BytesIO(content))["Chỉ tiêu"]
    return [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW)]


def test_the_excel_report_gains_a_chi_tieu_sheet_with_every_indicator_in_plan_order(kh192):
    header, *rows = indicator_sheet(xlsx_bytes(report_for(kh192)))
    assert [c.value for c in header] == [
        "Mã số",
        "Tiêu chí",
        "Điểm tối đa",
        "Kết quả năm trước",
        "Mục tiêu",
        "Thực hiện",
        "Cơ quan chủ trì",
    ]
    assert len(rows) == 79 + 1 + 30
    total = rows[79]
    assert [c.value for c in total[:5]] == [
        "Tổng điểm",
        "Chỉ số cải cách hành chính (PAR INDEX)",
        100,
        pytest.approx(88.54),
        pytest.approx(92.55),
    ]
    assert total[0].font.bold and not rows[78][0].font.bold
    assert rows[80][0].value == "Chỉ số chung"


# What a row's unit promises, written here independently of planning/reports/tables.py:
# points with two decimals (a third when the plan gives one), percentages as the
# fraction with two decimals, like the ratios of the other sheets; a target's sign
# stays in the format, so the cell is still a number.
def expected_format(unit: str, header: str, target: str) -> str:
    if header in ("Mã số", "Tiêu chí", "Cơ quan chủ trì"):
        return "General"
    base = "0.00%" if unit == "percent" else "0.00#"
    if header == "Mục tiêu" and target.startswith(">"):
        return f'"> "{base}'
    return base


def test_every_cell_of_the_chi_tieu_sheet_has_the_format_its_unit_promises(kh192):
    header, *rows = indicator_sheet(xlsx_bytes(report_for(kh192)))
    headers = [c.value for c in header]
    units = list(
        Indicator.objects.filter(indicator_set__plan=kh192)
        .order_by("indicator_set__order", "order")
        .values_list("unit", "comparison")
    )
    assert len(units) == len(rows)
    for (unit, comparison), row in zip(units, rows, strict=True):
        target = "> " if comparison == "gt" else ""
        for name, cell in zip(headers, row, strict=True):
            assert cell.number_format == expected_format(unit, name, target), cell.coordinate
    sipas_overall = rows[80]
    assert sipas_overall[3].value == pytest.approx(0.8711)  # 87,11%


def test_the_sheet_shows_the_approved_result_as_a_number(kh192, coordinator):
    indicator = Indicator.objects.get(indicator_set__plan=kh192, code="5.5")
    record_result(indicator=indicator, period_end=AS_OF, value=Decimal("0.75"), by=coordinator)
    _, *rows = indicator_sheet(xlsx_bytes(report_for(kh192)))
    [row] = [r for r in rows if r[0].value == "5.5"]
    assert row[5].value == pytest.approx(0.75)


def test_a_plan_without_indicators_has_no_chi_tieu_sheet(db):
    plan = make_plan("5/KH-UBND")
    assert "Chỉ tiêu" not in load_workbook(io.BytesIO(xlsx_bytes(report_for(plan)))).sheetnames


def test_an_officers_extract_holds_the_criteria_its_agency_leads(kh192, officer_stp, registry):
    report = report_for(kh192, user=officer_stp)
    led = [row.indicator for table in report.indicators for row in table.rows]
    assert [i.code for i in led] == ["2.1", "2.2", "2.3", "2.4", "2.4.1", "2.4.2", "2.4.3", "2.4.4"]
    _, *rows = indicator_sheet(xlsx_bytes(report))
    assert [r[0].value for r in rows] == [i.code for i in led]


def test_the_pdf_report_gains_a_chi_tieu_section_with_the_total_and_the_overall_index(kh192):
    text = " ".join(pdf_text(render_pdf(report_for(kh192))).split())
    assert "V. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU (tính đến ngày 31/12/2022)" in text
    assert "Chỉ số cải cách hành chính (PAR INDEX)" in text
    assert "TỔNG ĐIỂM 100 88,54 92,55" in text
    assert "CHỈ SỐ CHUNG 87,11 > 88,00" in text
    # The signature still closes the report, after the section.
    assert text.index("CHỈ SỐ CHUNG") < text.index("Nơi nhận")


def test_a_pdf_report_without_indicators_has_no_chi_tieu_section(db):
    text = pdf_text(render_pdf(report_for(make_plan("5/KH-UBND"))))
    assert "CHỈ TIÊU" not in text
