"""A figure as of a date counts only plans issued by then.

The monthly summary for 7/2022 once counted 39 tasks, plans issued in 2026
among them. The rule lives in planning/querysets.py (`q_in_force`), so the
roll-ups, the report figures and lists, and the monthly e-mail all follow it.
"""

from datetime import date, timedelta

import pytest

from notifications.emails import monthly_summary
from planning.models import Assignment
from planning.reports.statistics import ReportFilters, assignments_for, compute
from tests.factories import make_assignment, make_plan

pytestmark = pytest.mark.django_db

AS_OF = date(2022, 7, 31)


@pytest.fixture
def plans(stp):
    """One overdue task in each of three plans: issued before, on and the day
    after the as-of date."""
    issued = {
        "before": AS_OF - timedelta(days=30),
        "on": AS_OF,
        "after": AS_OF + timedelta(days=1),
    }
    for name, day in issued.items():
        plan = make_plan(f"{name}/KH-UBND", issued_on=day)
        make_assignment(plan=plan, agency=stp, due=date(2022, 7, 1), title=f"Việc {name}")
        make_assignment(
            plan=plan,
            agency=stp,
            due=date(2022, 6, 30),
            original_due=date(2022, 6, 1),
            status=Assignment.Status.DONE,
            completed_on=date(2022, 6, 15),
            title=f"Việc xong {name}",
        )
    return issued


def test_rollup_counts_a_plan_issued_on_the_day_but_not_the_day_after(plans):
    rollup = Assignment.objects.rollup(AS_OF)
    assert (rollup.total, rollup.done, rollup.open_overdue, rollup.extended) == (4, 2, 2, 2)
    day_after = Assignment.objects.rollup(AS_OF + timedelta(days=1))
    assert (day_after.total, day_after.done, day_after.open_overdue) == (6, 3, 3)


def test_report_lists_follow_the_same_rule(plans):
    filters = ReportFilters(as_of=AS_OF)
    stats = compute(assignments_for(None, filters), filters)
    assert sorted(a.task.title for a in stats.overdue) == ["Việc before", "Việc on"]
    assert sorted(a.task.title for a in stats.extended) == ["Việc xong before", "Việc xong on"]
    assert stats.months[-1].due == 4


def test_a_plan_without_an_issue_date_counts_from_its_year(stp):
    plan = make_plan("0/KH-UBND", year=2023, issued_on=None)
    make_assignment(plan=plan, agency=stp, due=date(2023, 3, 31))
    assert Assignment.objects.rollup(date(2022, 12, 31)).total == 0
    assert Assignment.objects.rollup(date(2023, 1, 1)).total == 1


def test_the_monthly_summary_leaves_out_plans_issued_later(plans):
    message = monthly_summary(["dieuphoi@snv.example"], today=AS_OF)
    assert "hoàn thành 2/4 nhiệm vụ" in message.subject
