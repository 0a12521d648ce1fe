"""KH 192 as of 30/09/2022: the "due and done" ratio in the dashboard, the PDF
and the CSV equals a hand count.

The hand count reads the gold file's due months (a task due "trong tháng
7/2022" is due 31/07/2022) and the demo's documented progress (planning/demo
`seed_progress`: per agency, in plan order, the first 60% done, one in three
ten days late, the others three days early), then applies the rule by hand:
fallen due as of D = done by D with a due date by D, or open past its due
date. It never calls the queryset predicates.
"""

from __future__ import annotations

import calendar
import csv
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from planning.demo import COORDINATOR_USERNAME
from planning.models import Plan

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

GOLD = Path(__file__).resolve().parents[2] / "planning/demo/kh-192-2022/assignments.gold.csv"
D = date(2022, 9, 30)


def demo_assignments() -> list[tuple[date, date | None]]:
    """(due date, completion date or None) of every KH 192 assignment, by hand."""
    by_agency: dict[str, list[date]] = defaultdict(list)
    with GOLD.open(encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda row: int(row["line"]))
    for row in rows:
        year, month = map(int, row["due_month"].split("-"))
        by_agency[row["lead_agency"]].append(date(year, month, calendar.monthrange(year, month)[1]))
    result = []
    for dues in by_agency.values():
        done_count = round(len(dues) * 0.6)
        for index, due_date in enumerate(dues):
            completed = None
            if index < done_count:
                completed = due_date + timedelta(days=10 if index % 3 == 2 else -3)
            result.append((due_date, completed))
    return result


def hand_count(as_of: date = D) -> dict:
    due = done_on_time = done_late = overdue = later = 0
    for due_date, completed in demo_assignments():
        done = completed is not None and completed <= as_of
        if done and due_date <= as_of:
            due += 1
            if completed <= due_date:
                done_on_time += 1
            else:
                done_late += 1
        elif not done and due_date < as_of:
            due += 1
            overdue += 1
        else:
            later += 1
    ratio = (Decimal(done_on_time + done_late) * 100 / due).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return {
        "due": due,
        "done": done_on_time + done_late,
        "on_time": done_on_time,
        "late": done_late,
        "overdue": overdue,
        "later": later,
        "ratio": f"{ratio}".replace(".", ",") + "%",
    }


@pytest.fixture
def demo(tmp_path):
    call_command("load_demo", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    return Plan.objects.get(number="192/KH-UBND")


def test_hand_count_is_not_trivial():
    expected = hand_count()
    # Every part is present, so a swapped or missing part cannot go unnoticed.
    assert all(expected[k] > 0 for k in ("on_time", "late", "overdue", "later"))


def test_dashboard_pdf_and_csv_show_the_hand_counted_due_ratio(client, demo, tmp_path):
    expected = hand_count()
    summary = f"{expected['done']}/{expected['due']} ({expected['ratio']})"
    client.force_login(User.objects.get(username=COORDINATOR_USERNAME))
    query = {"ke_hoach": demo.pk, "ngay": "30/09/2022"}

    html = client.get(reverse("reports:dashboard"), query).content.decode()
    due_section = html.split('aria-label="Tỷ lệ hoàn thành nhiệm vụ đến hạn"', 1)[1]
    due_section = due_section.split("</section>", 1)[0]
    assert summary in due_section
    assert f"đúng hạn {expected['on_time']}, quá hạn {expected['late']}" in due_section
    assert f"{expected['overdue']}</span><span>quá hạn chưa hoàn thành" in due_section
    assert f"{expected['later']}</span><span>chưa đến hạn" in due_section

    text = " ".join(pdf_text(client.get(reverse("reports:pdf"), query).content).split())
    assert (
        f"Tỷ lệ hoàn thành nhiệm vụ đến hạn đạt {expected['ratio']}: tính đến ngày 30/9/2022 "
        f"có {expected['due']} nhiệm vụ đến hạn phải hoàn thành, trong đó {expected['done']} "
        f"nhiệm vụ đã hoàn thành (đúng hạn {expected['on_time']}, quá hạn {expected['late']}), "
        f"đạt {expected['ratio']}; còn {expected['overdue']} nhiệm vụ quá hạn chưa hoàn thành; "
        f"{expected['later']} nhiệm vụ chưa đến hạn"
    ) in text

    out = tmp_path / "kq.csv"
    call_command(
        "progress_report",
        "192/KH-UBND",
        "--as-of",
        "2022-09-30",
        "--format",
        "csv",
        "--output",
        str(out),
        stdout=open(tmp_path / "log.txt", "w"),  # noqa: SIM115
    )
    total = list(csv.DictReader(out.open(encoding="utf-8")))[-1]
    assert total["agency"] == "Tổng cộng"
    assert (
        total["fallen_due"],
        total["due_done"],
        total["due_done_on_time"],
        total["done_late"],
        total["open_overdue"],
        total["due_later"],
        total["due_ratio"],
    ) == tuple(
        str(expected[k]) for k in ("due", "done", "on_time", "late", "overdue", "later", "ratio")
    )

    sheet = client.get(reverse("reports:csv"), query).content.decode("utf-8-sig")
    rows = list(csv.DictReader(sheet.splitlines()))
    assert rows[-1]["Tỷ lệ hoàn thành nhiệm vụ đến hạn"] == expected["ratio"]
    assert rows[-1]["Đến hạn"] == str(expected["due"])


def test_progress_report_for_a_quarter_is_as_of_its_cut_off_with_its_window(demo, tmp_path):
    """Quý III/2022: as of 14/09/2022, the window 15/06/2022-14/09/2022."""
    out, log = tmp_path / "q3.csv", tmp_path / "log.txt"
    call_command(
        "progress_report",
        "192/KH-UBND",
        "--period",
        "2022-Q3",
        "--format",
        "csv",
        "--output",
        str(out),
        stdout=log.open("w"),
    )
    total = list(csv.DictReader(out.open(encoding="utf-8")))[-1]
    assert (total["as_of"], total["window_from"], total["window_to"]) == (
        "14/09/2022",
        "15/06/2022",
        "14/09/2022",
    )
    assert "Số liệu từ ngày 15/6/2022 đến ngày 14/9/2022" in log.read_text()
    cut_off = date(2022, 9, 14)
    expected = hand_count(cut_off)
    assert (total["fallen_due"], total["due_done"], total["open_overdue"]) == (
        str(expected["due"]),
        str(expected["done"]),
        str(expected["overdue"]),
    )
    window = [
        (due, completed)
        for due, completed in demo_assignments()
        if date(2022, 6, 15) <= due <= cut_off
        and ((completed and completed <= cut_off) or due < cut_off)
    ]
    done_in_window = [c for _, c in window if c and c <= cut_off]
    completed_in_window = [
        c for _, c in demo_assignments() if c and date(2022, 6, 15) <= c <= cut_off
    ]
    assert (total["window_due"], total["window_due_done"], total["window_completed"]) == (
        str(len(window)),
        str(len(done_in_window)),
        str(len(completed_in_window)),
    )
    assert len(window) > len(done_in_window) > 0  # a figure that can be wrong either way
