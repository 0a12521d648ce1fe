"""Excel and CSV: numbers as numbers, dates as dates, formulas neutralised."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from planning.models import Section
from planning.reports.document import build_report
from planning.reports.statistics import ReportFilters
from planning.reports.tables import summary_csv, xlsx_bytes
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment, make_plan

from .conftest import AS_OF, DONE

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def evil_plan(stp):
    plan = make_plan("5/KH-UBND")
    make_assignment(plan=plan, agency=stp, due=date(2022, 8, 31), title=EVIL)
    return plan


def report_for(plan):
    return build_report(user=None, filters=ReportFilters(as_of=AS_OF, plan=plan))


def sheet_rows(content: bytes, name: str):
    sheet = load_workbook(io.BytesIO(content))[name]
    return [list(row) for row in sheet.iter_rows(min_row=4)]


def test_formula_in_a_task_title_is_text_in_xlsx(evil_plan):
    header, row = sheet_rows(xlsx_bytes(report_for(evil_plan)), "Quá hạn")
    title = row[2]
    assert header[2].value == "Nhiệm vụ"
    assert title.data_type == "s"
    assert title.value == "'" + EVIL


def test_formula_in_a_task_title_is_text_in_csv(client, coordinator, evil_plan):
    url = reverse("reports:csv") + f"?ke_hoach={evil_plan.pk}&ngay=15/12/2022&bang=qua-han"
    response = client_for(client, coordinator).get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["STT", "Mục", "Nhiệm vụ"]
    assert rows[1][2] == "'" + EVIL
    assert rows[1][4:] == ["31/08/2022", "106"]


def test_formula_in_an_agency_name_is_text_in_the_summary_csv():
    plan = make_plan("6/KH-UBND")
    make_assignment(plan=plan, agency=make_agency("X", "=1+2"), due=date(2022, 8, 31))
    rows = list(csv.reader(io.StringIO(summary_csv(report_for(plan)))))
    assert rows[1][0] == "'=1+2"


def test_xlsx_keeps_numbers_ratios_and_dates_typed(plan_24_26):
    content = xlsx_bytes(report_for(plan_24_26))
    header, _, _, total = sheet_rows(content, "Theo cơ quan")
    assert [c.value for c in header[:4]] == ["STT", "Cơ quan chủ trì", "Tổng số", "Hoàn thành"]
    assert total[1].value == "Tổng cộng"
    assert (total[2].value, total[3].value) == (26, 24)
    ratio = total[8]
    assert ratio.value == pytest.approx(0.9231)
    assert ratio.number_format == "0.00%"
    overdue = sheet_rows(content, "Quá hạn")[1]
    assert isinstance(overdue[4].value, datetime)
    assert overdue[4].value.date() == date(2022, 7, 31)
    assert overdue[5].value == 137


# What a header promises, written here independently of planning/reports/tables.py.
TEXT_HEADERS = {"Cơ quan chủ trì", "Mục", "Nhiệm vụ", "Tình trạng"}
DATE_HEADERS = {"Thời hạn", "Hạn ban đầu", "Hạn sau gia hạn"}


def expected_format(header: str) -> str:
    if header.startswith("Tỷ lệ"):
        return "0.00%"
    if header in DATE_HEADERS:
        return "DD/MM/YYYY"
    if header in TEXT_HEADERS:
        return "General"
    return "0"  # every other column is a count (STT, Tổng số, Quá hạn, Số ngày quá hạn...)


@pytest.fixture
def full_plan(plan_24_26, stp):
    """Every sheet has rows: 24/26 done, two overdue, one extended, 2/3 on time in a section."""
    section = Section.objects.create(plan=plan_24_26, code="1.3", title="Mục thử", order=1)
    make_assignment(
        plan=plan_24_26,
        agency=stp,
        due=date(2022, 11, 30),
        original_due=date(2022, 10, 31),
        section=section,
        status=DONE,
        completed_on=date(2022, 11, 1),
    )
    for completed in (date(2022, 7, 1), date(2022, 8, 20)):
        make_assignment(
            plan=plan_24_26,
            agency=stp,
            due=date(2022, 7, 31),
            section=section,
            status=DONE,
            completed_on=completed,
        )
    return plan_24_26


def test_every_xlsx_cell_has_the_number_format_its_header_promises(full_plan):
    book = load_workbook(io.BytesIO(xlsx_bytes(report_for(full_plan))))
    checked = 0
    for sheet in book.worksheets:
        header_row = 4
        headers = [c.value for c in sheet[header_row]]
        assert sheet.max_row > header_row, sheet.title
        for row in sheet.iter_rows(min_row=header_row + 1):
            for header, cell in zip(headers, row, strict=True):
                assert cell.number_format == expected_format(header), (sheet.title, cell.coordinate)
                if cell.value is None:
                    continue
                checked += 1
                if header.startswith("Tỷ lệ"):
                    assert isinstance(cell.value, int | float) and 0 <= cell.value <= 1
                    assert cell.value == round(cell.value, 4), (sheet.title, cell.coordinate)
                elif expected_format(header) == "0":
                    assert isinstance(cell.value, int), (sheet.title, cell.coordinate)
    assert checked > 60


def test_ratios_are_stored_rounded_not_as_float_noise(full_plan):
    sheet = load_workbook(io.BytesIO(xlsx_bytes(report_for(full_plan))))["Theo mục"]
    headers = [c.value for c in sheet[4]]
    section = next(row for row in sheet.iter_rows(min_row=5) if row[0].value == "1.3")
    on_time = section[headers.index("Tỷ lệ đúng hạn")].value
    assert on_time == 0.6667  # 2 of 3 done on time, stored as typed, not 0.6667000000000001


def test_each_sheet_has_a_merged_title_and_an_autofilter_over_the_rows(full_plan):
    book = load_workbook(io.BytesIO(xlsx_bytes(report_for(full_plan))))
    for sheet in book.worksheets:
        last = sheet.cell(row=4, column=sheet.max_column).column_letter
        assert f"A1:{last}1" in {str(r) for r in sheet.merged_cells.ranges}, sheet.title
        assert sheet["A1"].value.startswith("Kết quả thực hiện Kế hoạch số 192/KH-UBND")
        assert sheet.auto_filter.ref.startswith("A4:" + last), sheet.title
    by_agency = book["Theo cơ quan"]
    # The total row stays outside the filter, so sorting never moves it.
    assert (
        by_agency.auto_filter.ref == f"A4:{by_agency.cell(4, by_agency.max_column).column_letter}6"
    )
    assert by_agency["B7"].value == "Tổng cộng"


def test_summary_csv_has_the_sheets_vietnamese_headers_and_columns(client, coordinator, full_plan):
    url = reverse("reports:csv") + f"?ke_hoach={full_plan.pk}&ngay=15/12/2022"
    response = client_for(client, coordinator).get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(xlsx_bytes(report_for(full_plan))))["Theo cơ quan"]
    assert rows[0] == [c.value for c in sheet[4]]
    assert "Tỷ lệ đúng hạn" in rows[0]
    names = [row[1] for row in rows[1:]]
    assert names == [sheet.cell(r, 2).value for r in range(5, sheet.max_row + 1)]
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert (total["Cơ quan chủ trì"], total["Tổng số"], total["Hoàn thành"]) == (
        "Tổng cộng",
        "29",
        "27",
    )
    assert total["Tỷ lệ hoàn thành"] == "93,10%"  # 27/29
