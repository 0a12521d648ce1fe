"""`manage.py progress_report`: the CSV contract, as-of dates, errors."""

import csv
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from planning.models import Assignment
from tests.factories import make_agency, make_assignment, make_plan

from .conftest import DONE, pdf_text

pytestmark = pytest.mark.django_db

HEADER = (
    "agency,total,done,done_on_time,done_late,open_not_due,open_overdue,completion_ratio,"
    "fallen_due,due_done,due_done_on_time,due_ratio,due_later"
)


def run(tmp_path, *args, fmt="csv"):
    output = tmp_path / f"report.{fmt}"
    call_command("progress_report", *args, "--format", fmt, "--output", str(output))
    return output


def read_csv(path):
    text = path.read_text(encoding="utf-8")
    return text.splitlines()[0], list(csv.DictReader(text.splitlines()))


def test_csv_reads_24_of_26_as_92_31_percent(tmp_path, plan_24_26):
    header, rows = read_csv(run(tmp_path, "192/KH-UBND", "--as-of", "2022-12-15"))
    assert header == HEADER
    assert [r["agency"] for r in rows] == ["Sở Tài chính", "Sở Tư pháp", "Tổng cộng"]
    assert rows[-1] == {
        "agency": "Tổng cộng",
        "total": "26",
        "done": "24",
        "done_on_time": "20",
        "done_late": "4",
        "open_not_due": "0",
        "open_overdue": "2",
        "completion_ratio": "92,31%",
        "fallen_due": "26",
        "due_done": "24",
        "due_done_on_time": "20",
        "due_ratio": "92,31%",
        "due_later": "0",
    }
    assert rows[0]["completion_ratio"] == "92,31%"


def test_pdf_from_the_command_states_24_of_26(tmp_path, plan_24_26):
    text = pdf_text(run(tmp_path, "192/KH-UBND", "--as-of", "2022-12-15", fmt="pdf").read_bytes())
    assert "24/26" in text
    assert "92,31%" in text


def test_the_same_data_as_of_two_dates(tmp_path):
    """Completed 05/10/2022, due 30/09/2022: open (not yet due) as of 30/09, late by 31/10."""
    plan = make_plan("7/KH-UBND")
    agency = make_agency("STP", "Sở Tư pháp")
    make_assignment(
        plan=plan, agency=agency, due=date(2022, 9, 30), status=DONE, completed_on=date(2022, 10, 5)
    )
    make_assignment(
        plan=plan, agency=agency, due=date(2022, 9, 30), status=DONE, completed_on=date(2022, 9, 1)
    )
    _, before = read_csv(run(tmp_path, "7/KH-UBND", "--as-of", "2022-09-30"))
    _, after = read_csv(run(tmp_path, "7/KH-UBND", "--as-of", "2022-10-31"))
    assert before[-1] == {
        "agency": "Tổng cộng",
        "total": "2",
        "done": "1",
        "done_on_time": "1",
        "done_late": "0",
        "open_not_due": "1",
        "open_overdue": "0",
        "completion_ratio": "50,00%",
        # The one open on its due day has not fallen due: 1/1 of what has.
        "fallen_due": "1",
        "due_done": "1",
        "due_done_on_time": "1",
        "due_ratio": "100,00%",
        "due_later": "1",
    }
    assert (after[-1]["done"], after[-1]["done_late"], after[-1]["completion_ratio"]) == (
        "2",
        "1",
        "100,00%",
    )


def test_ongoing_work_counts_as_open_not_due_so_columns_add_up(tmp_path):
    plan = make_plan("8/KH-UBND")
    agency = make_agency("STP", "Sở Tư pháp")
    make_assignment(plan=plan, agency=agency, due=None)  # thường xuyên
    make_assignment(plan=plan, agency=agency, due=date(2022, 1, 31))
    make_assignment(plan=plan, agency=agency, status=Assignment.Status.WITHDRAWN)
    _, rows = read_csv(run(tmp_path, "8/KH-UBND", "--as-of", "2022-06-30"))
    total = rows[-1]
    assert (total["total"], total["open_not_due"], total["open_overdue"]) == ("2", "1", "1")
    parts = ("done_on_time", "done_late", "open_not_due", "open_overdue")
    assert sum(int(total[k]) for k in parts) == int(total["total"])


def test_agency_option_limits_the_report(tmp_path, plan_24_26):
    _, rows = read_csv(run(tmp_path, "192/KH-UBND", "--as-of", "2022-12-15", "--agency", "stp"))
    assert [r["agency"] for r in rows] == ["Sở Tư pháp", "Tổng cộng"]
    assert rows[-1]["total"] == "13"


def test_unknown_plan_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy"):
        run(tmp_path, "999/KH-UBND")


def test_xlsx_from_the_command_opens(tmp_path, plan_24_26):
    from openpyxl import load_workbook

    book = load_workbook(run(tmp_path, "192/KH-UBND", "--as-of", "2022-12-15", fmt="xlsx"))
    assert book.sheetnames == ["Theo cơ quan", "Theo mục", "Quá hạn", "Gia hạn"]
