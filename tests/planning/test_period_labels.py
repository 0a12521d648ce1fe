"""A deadline reads as the plan states it, with its exact date beside it, on the
plan page, the officer's inbox and the spreadsheet export.

Personas (tests/conftest.py): `coordinator` sees the whole plan and exports it;
`officer_stp` sees Sở Tư pháp's work in the inbox. Today is 20/07/2022, so
every deadline below is still open and listed in the inbox.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from planning.deadlines import stated_due_label
from planning.models import Assignment
from planning.services import TaskSpec, add_tasks
from tests.conftest import client_for
from tests.factories import make_plan

# (title, the plan's words, the due date they name, what every page shows)
KINDS = [
    ("Việc theo ngày", "trước ngày 15/8/2022", date(2022, 8, 15), "15/08/2022"),
    ("Việc theo tháng", "trong tháng 8/2022", date(2022, 8, 31), "tháng 8/2022 (31/08/2022)"),
    ("Việc theo quý", "trong Quý III/2022", date(2022, 9, 30), "Quý III/2022 (30/09/2022)"),
    (
        "Việc nửa năm",
        "6 tháng cuối năm 2022",
        date(2022, 12, 31),
        "6 tháng cuối năm 2022 (31/12/2022)",
    ),
    ("Việc cả năm", "trong năm 2022", date(2022, 12, 31), "năm 2022 (31/12/2022)"),
    ("Việc thường xuyên", "thường xuyên", None, "Thường xuyên"),
]


@pytest.fixture
def stated_plan(stp):
    """KH 20: one Sở Tư pháp task per kind of deadline, as the plan parser stores them."""
    plan = make_plan("20/KH-UBND")
    add_tasks(
        plan=plan,
        specs=[
            TaskSpec(title=title, lead_agencies=[stp], due_text=words, due_date=due)
            for title, words, due, _ in KINDS
        ],
    )
    return plan


@pytest.fixture(autouse=True)
def _july_2022():
    with time_machine.travel(date(2022, 7, 20), tick=False):
        yield


def _cell_after(body: str, title: str) -> str:
    """The table row that holds `title`."""
    start = body.index(title)
    return body[start : body.index("</tr>", start)]


@pytest.mark.parametrize(("title", "label"), [(k[0], k[3]) for k in KINDS])
def test_the_plan_page_shows_the_stated_period(client, coordinator, stated_plan, title, label):
    body = client_for(client, coordinator).get(stated_plan.get_absolute_url()).content.decode()
    assert label in _cell_after(body, title)


@pytest.mark.parametrize(("title", "label"), [(k[0], k[3]) for k in KINDS])
def test_the_inbox_shows_the_stated_period(client, officer_stp, stated_plan, title, label):
    body = client_for(client, officer_stp).get(reverse("workflow:inbox")).content.decode()
    assert label in _cell_after(body, title)


def test_the_export_shows_the_stated_period(client, coordinator, stated_plan):
    response = client_for(client, coordinator).get(
        reverse("spreadsheets:export", args=["csv"]), {"ke_hoach": stated_plan.pk}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    shown = {row["Nhiệm vụ"]: row["Thời hạn"] for row in rows}
    assert shown == {title: label for title, _, _, label in KINDS}


def test_the_quarter_of_a_recurring_task_is_its_period(client, coordinator, stp):
    plan = make_plan("21/KH-UBND")
    add_tasks(
        plan=plan,
        specs=[
            TaskSpec(
                title="Báo cáo định kỳ",
                lead_agencies=[stp],
                due_text="định kỳ hằng quý",
                periods=[("Quý II/2022", date(2022, 6, 30)), ("Quý III/2022", date(2022, 9, 30))],
            )
        ],
    )
    body = client_for(client, coordinator).get(plan.get_absolute_url()).content.decode()
    assert "Quý II/2022 (30/06/2022)" in body and "Quý III/2022 (30/09/2022)" in body


def test_an_extended_deadline_shows_the_approved_date_then_the_plan(
    client, coordinator, stated_plan
):
    quarter = Assignment.objects.get(task__title="Việc theo quý")
    Assignment.objects.filter(pk=quarter.pk).update(due_date=date(2022, 10, 15))
    body = client_for(client, coordinator).get(stated_plan.get_absolute_url()).content.decode()
    cell = _cell_after(body, "Việc theo quý")
    assert "15/10/2022" in cell and "gia hạn" in cell
    assert "kế hoạch: Quý III/2022 (30/09/2022)" in cell


def test_words_naming_another_date_are_not_trusted():
    """A task re-dated by hand keeps its old words; the date wins."""
    assert stated_due_label(date(2022, 11, 30), "Quý III/2022") == "tháng 11/2022 (30/11/2022)"
    assert stated_due_label(date(2022, 11, 18), "Quý III/2022") == "18/11/2022"
    assert stated_due_label(date(2022, 9, 30), "Quý III") == "Quý III/2022 (30/09/2022)"
