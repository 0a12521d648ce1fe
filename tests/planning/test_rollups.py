"""Roll-ups: counts by category, Vietnamese ratios, one query each."""

from datetime import date

import pytest

from planning.models import Assignment
from planning.querysets import Rollup
from tests.factories import make_agency, make_assignment, make_plan

TODAY = date(2022, 12, 15)
DONE = Assignment.Status.DONE


@pytest.mark.django_db
def test_24_of_26_reads_92_31_percent(django_assert_num_queries):
    plan = make_plan()
    agency = make_agency()
    for i in range(26):
        make_assignment(
            plan=plan,
            agency=agency,
            due=date(2022, 7, 31),
            status=DONE if i < 24 else Assignment.Status.IN_PROGRESS,
            completed_on=date(2022, 7, 20) if i < 24 else None,
        )
    with django_assert_num_queries(1):
        rollup = Assignment.objects.filter(plan=plan).rollup(TODAY)
    assert (rollup.done, rollup.total) == (24, 26)
    assert rollup.ratio_display == "92,31%"
    assert rollup.summary == "24/26 (92,31%)"
    assert rollup.sentence == "hoàn thành 24/26 nhiệm vụ (đạt 92,31%)"
    assert rollup.open_overdue == 2


@pytest.mark.django_db
def test_grouped_counts_match_a_hand_count(django_assert_num_queries):
    plan = make_plan()
    a, b = make_agency("A"), make_agency("B")
    # Agency A: on time, late, overdue, not yet due, ongoing.
    make_assignment(
        plan=plan, agency=a, due=date(2022, 7, 31), status=DONE, completed_on=date(2022, 7, 31)
    )
    make_assignment(
        plan=plan, agency=a, due=date(2022, 7, 31), status=DONE, completed_on=date(2022, 8, 1)
    )
    make_assignment(plan=plan, agency=a, due=date(2022, 12, 14))
    make_assignment(plan=plan, agency=a, due=date(2022, 12, 15))
    make_assignment(plan=plan, agency=a, due=None)
    # Agency B: one done, one withdrawn (outside every count).
    make_assignment(
        plan=plan, agency=b, due=date(2022, 9, 30), status=DONE, completed_on=date(2022, 9, 1)
    )
    make_assignment(plan=plan, agency=b, status=Assignment.Status.WITHDRAWN)

    with django_assert_num_queries(1):
        rows = {
            r.key["agency__code"]: r
            for r in Assignment.objects.filter(plan=plan).rollup_by("agency__code", today=TODAY)
        }
    assert rows["A"] == Rollup(
        total=5,
        done=2,
        done_on_time=1,
        done_late=1,
        open_not_due=1,
        open_overdue=1,
        ongoing=1,
        fallen_due=3,
        due_done_on_time=1,
        due_later=1,
    )
    assert rows["A"].summary == "2/5 (40,00%)"
    assert rows["B"] == Rollup(total=1, done=1, done_on_time=1, fallen_due=1, due_done_on_time=1)
    assert rows["B"].summary == "1/1 (100,00%)"


@pytest.mark.django_db
def test_as_of_date_counts_later_completion_as_open():
    a = make_assignment(due=date(2022, 9, 30), status=DONE, completed_on=date(2022, 10, 5))
    qs = Assignment.objects.filter(pk=a.pk)
    before = qs.rollup(date(2022, 9, 30))
    after = qs.rollup(date(2022, 10, 31))
    assert (before.done, before.open_not_due, before.open_overdue) == (0, 1, 0)
    assert (after.done, after.done_late) == (1, 1)


def test_empty_rollup_has_no_ratio():
    assert Rollup().ratio is None
    assert Rollup().summary == "0/0 (—)"


def test_ratio_rounds_half_up():
    assert Rollup(total=3, done=2).ratio_display == "66,67%"
    assert Rollup(total=8, done=1).ratio_display == "12,50%"


def test_spreadsheet_safe_neutralises_formulas():
    from planning.formatting import spreadsheet_safe

    assert spreadsheet_safe('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert spreadsheet_safe("-1+2") == "'-1+2"
    assert spreadsheet_safe("Sở Tư pháp") == "Sở Tư pháp"
    assert spreadsheet_safe(12) == 12
