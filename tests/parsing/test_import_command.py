"""`import_plan`: parse and save a plan document in one transaction."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agencies.models import Agency
from planning.models import Assignment, AssignmentEvent, Plan

from .snippets import PLAN


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "kehoach.txt"
    path.write_text(PLAN, encoding="utf-16")
    return path


@pytest.mark.django_db
def test_dry_run_saves_nothing(plan_file, registry):
    out = io.StringIO()
    call_command("import_plan", str(plan_file), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "chạy thử" in out.getvalue()
    assert "cơ quan mới: UBND huyện Cao Lãnh" in out.getvalue()
    assert not Plan.objects.exists()
    assert not Agency.objects.filter(name__contains="Cao Lãnh").exists()


@pytest.mark.django_db
def test_import_saves_plan_tasks_assignments_and_new_agencies(plan_file, registry):
    call_command("import_plan", str(plan_file), stdout=io.StringIO(), stderr=io.StringIO())
    plan = Plan.objects.get(number="0156/KH-UBND", year=2023)
    assert plan.issued_on.isoformat() == "2023-02-15"
    assert plan.signer == "Nguyễn Văn Dương"
    # Recurring work: one assignment per quarter of the plan year.
    quarterly = plan.assignments.filter(task__title__startswith="Báo cáo tình hình kiểm soát")
    assert [a.period for a in quarterly.order_by("due_date")] == [
        "Quý I/2023",
        "Quý II/2023",
        "Quý III/2023",
        "Quý IV/2023",
    ]
    assert Agency.objects.filter(name="UBND huyện Tháp Mười").exists()
    assert AssignmentEvent.objects.count() == Assignment.objects.count()
    with pytest.raises(CommandError, match="đã có"):
        call_command("import_plan", str(plan_file), stdout=io.StringIO(), stderr=io.StringIO())
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_plan_without_number_needs_one(tmp_path, registry):
    path = tmp_path / "kehoach.txt"
    path.write_text("1. Sở Tư pháp\n- Rà soát (hoàn thành trong tháng 9/2024).\n")
    with pytest.raises(CommandError, match="--number"):
        call_command("import_plan", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    call_command(
        "import_plan",
        str(path),
        "--number",
        "7/KH-UBND",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert Plan.objects.get().assignments.get().agency.code == "STP"
