"""Excel and CSV: numbers as numbers, dates as dates, formulas neutralised."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from planning.reports.document import build_report
from planning.reports.statistics import ReportFilters
from planning.reports.tables import summary_csv, xlsx_bytes
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment, make_plan

from .conftest import AS_OF

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
