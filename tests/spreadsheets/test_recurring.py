"""Recurring work ("định kỳ hằng quý": one task, one assignment per period and agency)
survives export → import: "Thời hạn" tells the periods apart."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from planning.deadlines import recurring_periods
from planning.models import Assignment, AssignmentEvent, Task
from planning.services import TaskSpec, add_tasks
from planning.spreadsheets import writers
from planning.spreadsheets.services import import_file
from planning.spreadsheets.views import export_rows

from .conftest import row, sheet_csv

pytestmark = pytest.mark.django_db

QUARTERLY = "Báo cáo kết quả thực hiện nhiệm vụ CCHC định kỳ hằng quý"


@pytest.fixture(autouse=True)
def _december_2022():
    with time_machine.travel(date(2022, 12, 20), tick=False):
        yield


@pytest.fixture
def recurring_plan(plan, stp, stc, snv):
    """KH 5: a quarterly task for Sở Tư pháp and Sở Tài chính, two ordinary tasks."""
    add_tasks(
        plan=plan,
        specs=[
            TaskSpec(
                title=QUARTERLY,
                lead_agencies=[stp, stc],
                section_code="1.1",
                due_text="định kỳ hằng quý",
                periods=recurring_periods("quarter", 2022),
            ),
            TaskSpec(
                title="Rà soát thủ tục hành chính",
                lead_agencies=[stp],
                section_code="1.1",
                due_date=date(2022, 7, 31),
            ),
            TaskSpec(
                title="Tổ chức hội nghị",
                lead_agencies=[snv],
                section_code="1.2",
                due_date=date(2022, 8, 15),
            ),
        ],
    )
    return plan


def snapshot():
    return list(
        Assignment.objects.order_by("pk").values_list(
            "pk", "task_id", "agency_id", "period", "status", "due_date", "completed_on", "version"
        )
    )


def test_export_writes_each_period_its_own_deadline(recurring_plan):
    headers, rows = export_rows(Assignment.objects.filter(plan=recurring_plan))
    title, lead, deadline = (headers.index(c) for c in ("Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"))
    stp_rows = [r[deadline] for r in rows if r[title] == QUARTERLY and r[lead] == "Sở Tư pháp"]
    assert stp_rows == [
        "Quý I/2022 (31/03/2022)",
        "Quý II/2022 (30/06/2022)",
        "Quý III/2022 (30/09/2022)",
        "Quý IV/2022 (31/12/2022)",
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_of_recurring_work_changes_nothing(recurring_plan, fmt):
    before, events = snapshot(), AssignmentEvent.objects.count()
    content = writers.write(fmt, *export_rows(Assignment.objects.filter(plan=recurring_plan)))
    report = import_file(name=f"a.{fmt}", content=content, user=None, dry_run=False)
    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated, report.skipped) == (0, 0, 10)
    assert snapshot() == before
    assert AssignmentEvent.objects.count() == events


def test_changed_status_of_one_period_updates_only_that_period(recurring_plan, coordinator):
    headers, rows = export_rows(Assignment.objects.filter(plan=recurring_plan))
    col = {name: headers.index(name) for name in headers}
    target = next(
        r
        for r in rows
        if r[col["Nhiệm vụ"]] == QUARTERLY
        and r[col["Cơ quan chủ trì"]] == "Sở Tài chính"
        and r[col["Thời hạn"]] == "Quý III/2022 (30/09/2022)"
    )
    target[col["Trạng thái"]] = "Hoàn thành"
    target[col["Ngày hoàn thành"]] = "28/09/2022"
    before = {s[0]: s for s in snapshot()}

    report = import_file(
        name="a.csv", content=writers.write_csv(headers, rows), user=coordinator, dry_run=False
    )
    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated, report.skipped) == (0, 1, 9)
    changed = [s for s in snapshot() if before[s[0]] != s]
    assert len(changed) == 1
    assignment = Assignment.objects.get(pk=changed[0][0])
    assert (assignment.agency.code, assignment.period) == ("STC", "Quý III/2022")
    assert (assignment.status, assignment.completed_on) == ("done", date(2022, 9, 28))
    history = list(
        assignment.events.filter(note="Nhập từ bảng tính").values_list(
            "kind", "field", "old_value", "new_value", "actor"
        )
    )
    assert history == [
        ("status", "status", "Chưa thực hiện", "Hoàn thành", coordinator.pk),
        ("imported", "completed_on", "", "28/09/2022", coordinator.pk),
    ]


def test_extended_period_is_exported_by_its_due_date_and_found_again(recurring_plan, stp):
    period = Assignment.objects.get(agency=stp, period="Quý II/2022")
    period.due_date = date(2022, 7, 15)
    period.save()
    headers, rows = export_rows(Assignment.objects.filter(plan=recurring_plan))
    deadlines = [r[headers.index("Thời hạn")] for r in rows]
    assert "15/07/2022" in deadlines
    before = snapshot()
    report = import_file(
        name="a.csv", content=writers.write_csv(headers, rows), user=None, dry_run=False
    )
    assert (report.created, report.updated, report.skipped) == (0, 0, 10)
    assert snapshot() == before


def test_rows_with_same_key_and_different_deadlines_create_one_recurring_task(plan, stp, stc):
    rows = [
        row(**{"Cơ quan chủ trì": lead, "Thời hạn": due})
        for lead in ("Sở Tư pháp", "Sở Tài chính")
        for due in ("Quý I/2022", "Quý II/2022", "30/09/2022")
    ]
    report = import_file(name="a.csv", content=sheet_csv(rows), user=None, dry_run=False)
    assert report.ok, [str(p) for p in report.problems]
    assert report.created == 6
    task = Task.objects.get(plan=plan)
    assert sorted(task.assignments.filter(agency=stp).values_list("period", "due_date")) == [
        ("Quý I/2022", date(2022, 3, 31)),
        ("Quý II/2022", date(2022, 6, 30)),
        ("Quý III/2022", date(2022, 9, 30)),
    ]
    assert task.assignments.filter(agency=stc).count() == 3
    again = import_file(name="a.csv", content=sheet_csv(rows), user=None, dry_run=False)
    assert (again.created, again.updated, again.skipped) == (0, 0, 6)


@pytest.mark.parametrize("second", ["Quý II/2022", "30/06/2022"])
def test_same_key_and_same_deadline_are_still_duplicates(recurring_plan, second):
    rows = [
        row(**{"Nhiệm vụ": QUARTERLY, "Thời hạn": "Quý II/2022"}),
        row(**{"Nhiệm vụ": QUARTERLY, "Thời hạn": second}),
    ]
    report = import_file(name="a.csv", content=sheet_csv(rows), user=None, dry_run=True)
    assert [str(p) for p in report.problems] == [
        "Dòng 3, cột 'Nhiệm vụ': trùng với dòng 2 "
        "(cùng kế hoạch, mục, nhiệm vụ, cơ quan chủ trì và thời hạn)"
    ]


def test_deadline_matching_no_period_is_refused(recurring_plan):
    before = snapshot()
    rows = [row(**{"Nhiệm vụ": QUARTERLY, "Thời hạn": "15/05/2022"})]
    report = import_file(name="a.csv", content=sheet_csv(rows), user=None, dry_run=False)
    assert [str(p) for p in report.problems] == [
        "Dòng 2, cột 'Thời hạn': '15/05/2022' không khớp kỳ nào của nhiệm vụ định kỳ này "
        "(Quý I/2022, Quý II/2022, Quý III/2022, Quý IV/2022)"
    ]
    assert snapshot() == before


def test_command_round_trip_of_recurring_plan(recurring_plan, tmp_path):
    before = snapshot()
    out = tmp_path / "kh5.xlsx"
    call_command("export_assignments", "--plan", "5/KH-UBND", "--output", str(out))
    call_command("import_assignments", str(out), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before
