"""Export → import changes nothing; a changed cell changes exactly one assignment."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command

from planning.models import Assignment, AssignmentEvent, Plan
from planning.spreadsheets import writers
from planning.spreadsheets.services import import_file
from planning.spreadsheets.views import export_rows

from .conftest import row, sheet_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Plan.objects.get(number="192/KH-UBND")


def snapshot():
    return list(
        Assignment.objects.order_by("pk").values_list(
            "pk", "task_id", "agency_id", "status", "due_date", "original_due_date", "completed_on"
        )
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(demo, fmt):
    before, events = snapshot(), AssignmentEvent.objects.count()
    content = writers.write(fmt, *export_rows(Assignment.objects.filter(plan=demo)))
    report = import_file(name=f"kh192.{fmt}", content=content, user=None, dry_run=False)
    assert report.ok, report.problems
    assert (report.created, report.updated, report.skipped) == (0, 0, 34)
    assert snapshot() == before
    assert AssignmentEvent.objects.count() == events


def test_changed_status_updates_exactly_one_assignment_with_history(demo):
    coordinator = User.objects.get(username="snv.dieuphoi")
    headers, rows = export_rows(Assignment.objects.filter(plan=demo))
    status, completed = headers.index("Trạng thái"), headers.index("Ngày hoàn thành")
    target = next(i for i, r in enumerate(rows) if r[status] == "Chưa thực hiện")
    rows[target][status] = "Hoàn thành"
    rows[target][completed] = "05/12/2022"
    before = {s[0]: s for s in snapshot()}

    report = import_file(
        name="kh192.csv", content=writers.write_csv(headers, rows), user=coordinator, dry_run=False
    )
    assert (report.created, report.updated, report.skipped) == (0, 1, 33)
    changed = [s for s in snapshot() if before[s[0]] != s]
    assert len(changed) == 1
    assignment = Assignment.objects.get(pk=changed[0][0])
    assert (assignment.status, assignment.completed_on) == ("done", date(2022, 12, 5))
    history = list(
        assignment.events.filter(note="Nhập từ bảng tính").values_list(
            "kind", "field", "old_value", "new_value", "actor"
        )
    )
    assert history == [
        ("status", "status", "Chưa thực hiện", "Hoàn thành", coordinator.pk),
        ("imported", "completed_on", "", "05/12/2022", coordinator.pk),
    ]
    # The same file again: nothing left to change.
    again = import_file(
        name="kh192.csv", content=writers.write_csv(headers, rows), user=coordinator, dry_run=False
    )
    assert (again.created, again.updated, again.skipped) == (0, 0, 34)


def test_changed_deadline_writes_due_date_event(demo):
    headers, rows = export_rows(Assignment.objects.filter(plan=demo))
    rows[0][headers.index("Thời hạn")] = "Quý IV/2022"
    report = import_file(
        name="a.csv", content=writers.write_csv(headers, rows), user=None, dry_run=False
    )
    assert report.updated == 1
    event = AssignmentEvent.objects.get(kind="due_date")
    assert (event.old_value, event.new_value) == ("tháng 7/2022", "tháng 12/2022")


def test_formula_like_text_is_neutralised_and_read_back_exactly(plan, stp):
    title = '=HYPERLINK("http://x")-tổng hợp'
    assert (
        import_file(
            name="a.csv",
            content=sheet_csv([row(**{"Nhiệm vụ": title, "Ghi chú": "+84 giờ"})]),
            user=None,
            dry_run=False,
        ).ok
        is False
    )  # a raw "=" in a CSV is a formula, refused
    assert import_file(
        name="a.csv",
        content=sheet_csv([row(**{"Nhiệm vụ": "'" + title, "Ghi chú": "+84 giờ"})]),
        user=None,
        dry_run=False,
    ).ok
    headers, rows = export_rows(Assignment.objects.all())
    assert rows[0][headers.index("Nhiệm vụ")] == "'" + title
    assert rows[0][headers.index("Ghi chú")] == "'+84 giờ"
    for fmt in ("csv", "xlsx"):
        report = import_file(
            name=f"a.{fmt}", content=writers.write(fmt, headers, rows), user=None, dry_run=False
        )
        assert (report.created, report.updated, report.skipped) == (0, 0, 1)


@time_machine.travel(date(2023, 1, 15), tick=False)
def test_24_of_26_done_reads_92_31_percent(plan, stp, stc):
    rows = [
        row(
            **{
                "Nhiệm vụ": f"Nhiệm vụ số {n}",
                "Cơ quan chủ trì": "STP" if n % 2 else "Sở Tài chính",
                "Thời hạn": "Quý IV/2022",
                "Trạng thái": "Hoàn thành" if n <= 24 else "Đang thực hiện",
                "Ngày hoàn thành": "20/12/2022" if n <= 24 else "",
            }
        )
        for n in range(1, 27)
    ]
    report = import_file(name="a.csv", content=sheet_csv(rows), user=None, dry_run=False)
    assert report.ok and report.created == 26
    rollup = Assignment.objects.filter(plan=plan).rollup(date(2023, 1, 15))
    assert rollup.summary == "24/26 (92,31%)"
