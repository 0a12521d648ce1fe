"""The data generator: deterministic for a seed, every category present, no clashes."""

from datetime import date

import pytest
from django.core.management import call_command

from agencies.models import Agency, Membership
from planning.generate import CODE_PREFIX, fingerprint, generate, generated_assignments
from planning.models import AssignmentEvent, Plan
from tests.factories import make_agency, make_plan

SMALL = {"agencies": 24, "plans": 4, "assignments": 600}
TODAY = date(2026, 10, 15)

pytestmark = pytest.mark.django_db


def test_same_seed_gives_the_same_rows():
    first = generate(**SMALL, seed=7, today=TODAY)
    second = generate(**SMALL, seed=7, today=TODAY, replace=True)
    assert first.fingerprint == second.fingerprint == fingerprint()
    assert (first.agencies, first.plans, first.tasks, first.assignments, first.events) == (
        second.agencies,
        second.plans,
        second.tasks,
        second.assignments,
        second.events,
    )
    assert generated_assignments().count() == 600


def test_another_seed_gives_other_rows():
    first = generate(**SMALL, seed=7, today=TODAY)
    other = generate(**SMALL, seed=8, today=TODAY, replace=True)
    assert first.fingerprint != other.fingerprint


def test_every_category_and_kind_appears():
    summary = generate(**SMALL, seed=1, today=TODAY)
    rollup = summary.rollup
    assert rollup.total > 0
    for name in (
        "done_on_time",
        "done_late",
        "open_not_due",
        "open_overdue",
        "ongoing",
        "extended",
    ):
        assert getattr(rollup, name) > 0, name
    assert set(summary.agencies_by_kind) == set(Agency.Kind.values)
    kinds = set(
        AssignmentEvent.objects.filter(assignment__in=generated_assignments()).values_list(
            "kind", flat=True
        )
    )
    assert {"created", "accepted", "progress", "extension_approved"} <= kinds
    # Every agency has a focal officer; the history is signed by people.
    assert Membership.objects.filter(agency__code__startswith=CODE_PREFIX).count() == 25
    events = AssignmentEvent.objects.filter(assignment__in=generated_assignments())
    assert not events.filter(actor=None).exists()
    # Several agencies share some tasks; due months span three years.
    shared = generated_assignments().values("task").distinct().count()
    assert shared < summary.assignments
    years = {d.year for d in generated_assignments().values_list("due_date", flat=True) if d}
    assert {2024, 2025, 2026} <= years


def test_history_keeps_its_own_dates():
    generate(**SMALL, seed=1, today=TODAY)
    created = AssignmentEvent.objects.filter(kind="created").values_list("created_at", flat=True)
    assert max(created).date() <= TODAY


def test_existing_data_is_left_alone():
    make_agency("STP", "Sở Tư pháp")
    make_plan("100/KH-UBND", year=2026)
    generate(**SMALL, seed=1, today=TODAY)
    assert Agency.objects.filter(code="STP").count() == 1
    assert not Agency.objects.exclude(code="STP").exclude(code__startswith=CODE_PREFIX).exists()
    assert Plan.objects.filter(number="100/KH-UBND", year=2026).count() == 1


def test_second_run_without_replace_refuses():
    generate(**SMALL, seed=1, today=TODAY)
    with pytest.raises(ValueError, match="already exists"):
        generate(**SMALL, seed=1, today=TODAY)


def test_command_prints_progress_and_summary(capsys):
    call_command(
        "generate_data", "--agencies", "12", "--plans", "2", "--assignments", "150", "--seed", "3"
    )
    out = capsys.readouterr().out
    assert "150/150 nhiệm vụ được giao" in out
    assert "Dấu vân tay" in out
    assert generated_assignments().count() == 150
