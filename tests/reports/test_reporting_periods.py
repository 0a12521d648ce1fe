"""A report for a Nghị định 09 reporting period: as of its cut-off, its window's
figures beside the cumulative ones, compared with the period before.

Personas: `coordinator` (sees every agency), `officer_stp` (own agency only).
"""

import csv
from datetime import date

import pytest
from django.urls import reverse

from planning.models import Assignment
from tests.conftest import client_for
from tests.factories import make_assignment, make_plan

from .conftest import pdf_text

pytestmark = pytest.mark.django_db
DONE = Assignment.Status.DONE


@pytest.fixture
def two_quarters(stp):
    """Quý II/2022 (15/3-14/6): 2 fall due, 1 done. Quý III (15/6-14/9): 3 fall due,
    2 done (one late); one more due 31/12; so 1/2 then 2/3 within the windows,
    cumulative 1/2 then 3/5 of what fell due, 1/6 then 3/6 of everything."""
    plan = make_plan("5/KH-UBND")
    for due, completed in [
        (date(2022, 5, 31), date(2022, 5, 20)),
        (date(2022, 5, 31), None),
        (date(2022, 7, 31), date(2022, 7, 25)),
        (date(2022, 8, 31), date(2022, 9, 5)),
        (date(2022, 8, 31), None),
        (date(2022, 12, 31), None),
    ]:
        make_assignment(
            plan=plan,
            agency=stp,
            due=due,
            status=DONE if completed else Assignment.Status.IN_PROGRESS,
            completed_on=completed,
        )
    return plan


def test_pdf_for_a_quarter_states_its_window_and_the_change(client, coordinator, two_quarters):
    query = {"ke_hoach": two_quarters.pk, "ky_bao_cao": "2022-Q3"}
    response = client_for(client, coordinator).get(reverse("reports:pdf"), query)
    text = " ".join(pdf_text(response.content).split())
    assert "(Quý III/2022)" in text
    assert "(Số liệu từ ngày 15/6/2022 đến ngày 14/9/2022)" in text
    assert "Tính đến ngày 14/9/2022" in text
    assert (
        "Trong kỳ báo cáo Quý III/2022 (số liệu từ ngày 15/6/2022 đến ngày 14/9/2022) có 3 "
        "nhiệm vụ đến hạn phải hoàn thành, trong đó 2 nhiệm vụ đã hoàn thành (1 đúng hạn), "
        "đạt 66,67%; trong kỳ đã hoàn thành 2 nhiệm vụ."
    ) in text
    assert (
        "So với Quý II/2022 (số liệu từ ngày 15/3/2022 đến ngày 14/6/2022), tỷ lệ hoàn thành "
        "nhiệm vụ đến hạn trong kỳ tăng 16,67%, tỷ lệ hoàn thành nhiệm vụ đến hạn lũy kế "
        "tăng 10,00%, tỷ lệ hoàn thành lũy kế tăng 33,33%."
    ) in text


def test_dashboard_sets_the_as_of_date_from_the_period(client, coordinator, two_quarters):
    query = {"ke_hoach": two_quarters.pk, "ky_bao_cao": "2022-Q3", "ngay": "30/09/2022"}
    html = client_for(client, coordinator).get(reverse("reports:dashboard"), query)
    html = html.content.decode()
    assert "Quý III/2022: số liệu từ ngày 15/06/2022 đến ngày 14/09/2022" in html
    table = html.split('id="ky-bao-cao"', 1)[1].split("</table>", 1)[0]
    assert "Quý III/2022" in table and "Quý II/2022" in table
    assert "tăng 16,67%" in table


def test_csv_of_the_period_table_has_both_periods_and_the_change(client, coordinator, two_quarters):
    query = {
        "ke_hoach": two_quarters.pk,
        "ky_bao_cao": "2022-Q3",
        "so_sanh": "2022-Q2",
        "bang": "ky-bao-cao",
    }
    content = client_for(client, coordinator).get(reverse("reports:csv"), query).content
    rows = list(csv.DictReader(content.decode("utf-8-sig").splitlines()))
    assert [r["Kỳ báo cáo"] for r in rows] == ["Quý III/2022", "Quý II/2022", "Thay đổi"]
    assert [r["Tỷ lệ hoàn thành nhiệm vụ đến hạn trong kỳ"] for r in rows] == [
        "66,67%",
        "50,00%",
        "tăng 16,67%",
    ]
    assert [r["Lũy kế: quá hạn chưa hoàn thành"] for r in rows] == ["2", "1", "tăng 1"]
    assert (rows[0]["Từ ngày"], rows[0]["Đến ngày"]) == ("15/06/2022", "14/09/2022")


def test_a_bad_period_is_a_404_for_downloads(client, coordinator, two_quarters):
    query = {"ke_hoach": two_quarters.pk, "ky_bao_cao": "2022-Q5"}
    assert client_for(client, coordinator).get(reverse("reports:pdf"), query).status_code == 404


def test_excel_has_the_period_sheet_and_window_columns(client, coordinator, two_quarters):
    import io

    from openpyxl import load_workbook

    query = {"ke_hoach": two_quarters.pk, "ky_bao_cao": "2022-Q3"}
    content = client_for(client, coordinator).get(reverse("reports:xlsx"), query).content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "Kỳ báo cáo"
    headers = [c.value for c in book["Theo cơ quan"][4]]
    assert "Tỷ lệ hoàn thành nhiệm vụ đến hạn trong kỳ" in headers
    assert book["Theo cơ quan"]["A2"].value == "(Số liệu từ ngày 15/6/2022 đến ngày 14/9/2022)"
