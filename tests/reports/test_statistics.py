"""Report statistics: update rate window, section filter, monthly series."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from planning.models import Assignment, Section
from planning.reports.statistics import ReportFilters, assignments_for, compute
from tests.factories import make_agency, make_assignment, make_plan

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = date(2022, 9, 30)


def stats_for(plan, **extra):
    filters = ReportFilters(as_of=AS_OF, plan=plan, **extra)
    return compute(assignments_for(None, filters), filters)


def test_update_rate_counts_open_work_updated_in_the_30_days_ending_on_the_date():
    plan, agency = make_plan(), make_agency()
    stamps = [
        datetime(2022, 9, 1, 0, 0, tzinfo=HANOI),  # first day of the window
        datetime(2022, 9, 30, 23, 59, tzinfo=HANOI),  # last minute of D
        datetime(2022, 8, 31, 23, 59, tzinfo=HANOI),  # one minute too early
        datetime(2022, 10, 1, 0, 0, tzinfo=HANOI),  # after D
    ]
    for stamp in stamps:
        a = make_assignment(plan=plan, agency=agency, due=date(2022, 12, 31))
        Assignment.objects.filter(pk=a.pk).update(last_progress_at=stamp)
    total = stats_for(plan).total
    assert (total.updated_recently, total.rollup.open) == (2, 4)
    assert total.update_rate_display == "50,00%"


def test_section_filter_keeps_only_that_sections_work():
    plan, agency = make_plan(), make_agency()
    s1 = Section.objects.create(plan=plan, code="1.3")
    s2 = Section.objects.create(plan=plan, code="III.2")
    make_assignment(plan=plan, agency=agency, section=s1)
    make_assignment(plan=plan, agency=agency, section=s2)
    make_assignment(plan=plan, agency=agency, section=s2)
    assert stats_for(plan, section="III.2").total.rollup.total == 2
    assert [r.name for r in stats_for(plan).by_section] == ["1.3", "III.2"]


def test_monthly_series_is_cumulative_up_to_the_date():
    plan, agency = make_plan(), make_agency()
    done = Assignment.Status.DONE
    make_assignment(
        plan=plan, agency=agency, due=date(2022, 7, 31), status=done, completed_on=date(2022, 7, 20)
    )
    make_assignment(
        plan=plan, agency=agency, due=date(2022, 8, 31), status=done, completed_on=date(2022, 10, 5)
    )  # after D: not done yet
    make_assignment(plan=plan, agency=agency, due=date(2022, 9, 30))
    points = stats_for(plan).months
    assert [(p.label, p.done, p.due) for p in points] == [
        ("7/2022", 1, 1),
        ("8/2022", 1, 2),
        ("9/2022", 1, 3),
    ]


def test_monthly_series_ends_where_the_work_ends_not_at_a_far_later_date():
    plan, agency = make_plan(), make_agency()
    make_assignment(
        plan=plan,
        agency=agency,
        due=date(2022, 7, 31),
        status=Assignment.Status.DONE,
        completed_on=date(2022, 8, 10),
    )
    make_assignment(plan=plan, agency=agency, due=date(2022, 12, 31))
    filters = ReportFilters(as_of=date(2026, 11, 21), plan=plan)
    points = compute(assignments_for(None, filters), filters).months
    assert [p.label for p in points] == [f"{m}/2022" for m in range(7, 13)]
    assert (points[-1].done, points[-1].due) == (1, 2)
