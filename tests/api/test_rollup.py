"""The roll-up endpoint gives the dashboard's and the CSV's figures."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from django.core.management import call_command

from planning.models import Plan
from tests.factories import make_assignment, make_plan

pytestmark = pytest.mark.django_db


def test_the_rollup_counts_each_category_as_of_a_date(report_system, stp, stc):
    plan = make_plan()
    make_assignment(plan=plan, agency=stp, status="done", completed_on=date(2022, 7, 20))
    make_assignment(plan=plan, agency=stp, status="done", completed_on=date(2022, 8, 5))
    make_assignment(plan=plan, agency=stc, due=date(2022, 7, 31))
    make_assignment(plan=plan, agency=stc, due=date(2022, 12, 31))
    make_assignment(plan=plan, agency=stc, due=None)
    data = report_system.get(f"/api/v1/plans/{plan.pk}/rollup/?as_of=2022-09-30").json()
    assert {k: data[k] for k in ("total", "done", "done_on_time", "done_late")} == {
        "total": 5,
        "done": 2,
        "done_on_time": 1,
        "done_late": 1,
    }
    assert (data["open_not_due"], data["overdue"], data["ongoing"]) == (1, 1, 1)
    assert data["ratio"] == "40.00"
    assert data["ratio_label"] == "40,00%"
    # Fallen due by 30/09: the two done (due 31/07) and the overdue one; not 31/12's.
    assert [data[k] for k in ("fallen_due", "due_done", "due_done_on_time", "due_later")] == [
        3,
        2,
        1,
        1,
    ]
    assert (data["due_ratio"], data["due_ratio_label"]) == ("66.67", "66,67%")
    only_stp = report_system.get(f"/api/v1/plans/{plan.pk}/rollup/?as_of=2022-09-30&agency=STP")
    assert only_stp.json()["total"] == 2 and only_stp.json()["agency"] == "STP"
    before = report_system.get(f"/api/v1/plans/{plan.pk}/rollup/?as_of=2022-07-31").json()
    assert before["done"] == 1 and before["overdue"] == 0


def test_an_agency_token_gets_only_its_own_figures(stc_system, stp, stc):
    plan = make_plan()
    make_assignment(plan=plan, agency=stp)
    make_assignment(plan=plan, agency=stc)
    assert stc_system.get(f"/api/v1/plans/{plan.pk}/rollup/").json()["total"] == 1


def test_a_draft_plan_s_rollup_is_not_found(report_system, stp):
    draft = make_plan(status=Plan.Status.DRAFT)
    make_assignment(plan=draft, agency=stp)
    assert report_system.get(f"/api/v1/plans/{draft.pk}/rollup/").status_code == 404


def test_kh_192_as_of_30_09_2022_matches_the_progress_report_csv(report_system, tmp_path):
    """The demo's KH 192: the API and `progress_report --format csv` agree, per agency too."""
    call_command("load_demo", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    plan = Plan.objects.get(number="192/KH-UBND")
    out = tmp_path / "report.csv"
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
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    _header, body = rows[0], rows[1:]
    assert len(body) >= 5
    url = f"/api/v1/plans/{plan.pk}/rollup/?as_of=2022-09-30"
    total = report_system.get(url).json()
    csv_total = sum(int(r[1]) for r in body if r[0] and not r[0].lower().startswith("tổng"))
    assert total["total"] == csv_total
    checked = 0
    from agencies.models import Agency

    for row in body:
        agency = Agency.objects.filter(name=row[0]).first()
        if agency is None:
            continue
        figures = report_system.get(f"{url}&agency={agency.code}").json()
        assert [str(figures["total"]), str(figures["done"])] == row[1:3], row
        assert figures["ratio_label"] in row
        checked += 1
    assert checked == len([r for r in body if Agency.objects.filter(name=r[0]).exists()]) > 3
