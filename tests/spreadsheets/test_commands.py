"""`import_assignments` and `export_assignments` for scripts."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from planning.models import Assignment
from tests.factories import make_assignment

from .conftest import row, sheet_csv

pytestmark = pytest.mark.django_db


def test_dry_run_prints_row_errors_and_fails(tmp_path, plan, stp):
    path = tmp_path / "a.csv"
    path.write_bytes(
        sheet_csv([row(), row(**{"Nhiệm vụ": "B", "Cơ quan chủ trì": "Sở Tư phap xyz"})])
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_assignments", str(path), "--dry-run", stdout=out, stderr=err)
    assert (
        "Dòng 3, cột 'Cơ quan chủ trì': không tìm thấy 'Sở Tư phap xyz' — có phải 'Sở Tư pháp'?"
        in out.getvalue()
    )
    assert "Đã xử lý 2/2 dòng" in err.getvalue()
    assert Assignment.objects.count() == 0


def test_dry_run_of_a_good_file_succeeds_without_saving(tmp_path, plan, stp):
    path = tmp_path / "a.csv"
    path.write_bytes(sheet_csv([row()]))
    out = io.StringIO()
    call_command("import_assignments", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "sẽ tạo mới 1" in out.getvalue()
    assert Assignment.objects.count() == 0
    call_command("import_assignments", str(path), stdout=out, stderr=io.StringIO())
    assert Assignment.objects.count() == 1


def test_export_one_plan_then_import_it_back(tmp_path, plan, stp, stc):
    make_assignment(plan=plan, agency=stp, title="A")
    make_assignment(agency=stc, title="Của kế hoạch khác")
    out = tmp_path / "kh.xlsx"
    call_command(
        "export_assignments", "--plan", plan.number, "--output", str(out), stdout=io.StringIO()
    )
    stdout = io.StringIO()
    call_command("import_assignments", str(out), stdout=stdout, stderr=io.StringIO())
    assert "bỏ qua (không đổi) 1" in stdout.getvalue()


def test_export_for_an_officer_holds_only_their_agency(tmp_path, officer_stp, plan, stp, stc):
    make_assignment(plan=plan, agency=stp, title="A")
    make_assignment(plan=plan, agency=stc, title="B")
    out = tmp_path / "a.csv"
    call_command(
        "export_assignments",
        "--user",
        officer_stp.username,
        "--output",
        str(out),
        stdout=io.StringIO(),
    )
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and ",A," in lines[1]
