"""The "due and done" ratio ("Tỷ lệ hoàn thành nhiệm vụ đến hạn"): one test per boundary.

As of D: done with a due date on or before D, or overdue, has fallen due;
an open assignment due on D itself has not (it is still within its deadline).
"""

from datetime import date

import pytest

from planning.models import Assignment
from tests.factories import make_agency, make_assignment, make_plan

pytestmark = pytest.mark.django_db
D = date(2022, 9, 30)
DONE = Assignment.Status.DONE


def rollup_of(**kwargs):
    plan = make_plan()
    make_assignment(plan=plan, agency=make_agency(), **kwargs)
    return Assignment.objects.filter(plan=plan).rollup(D)


def parts(r):
    return (r.fallen_due, r.due_done_on_time, r.done_late, r.open_overdue, r.due_later)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"due": date(2022, 9, 29)}, (1, 0, 0, 1, 0)),  # overdue: due the day before D
        ({"due": D}, (0, 0, 0, 0, 1)),  # open, due on D: not yet fallen due
        ({"due": D, "status": DONE, "completed_on": D}, (1, 1, 0, 0, 0)),  # done on its due day
        (
            {"due": date(2022, 9, 20), "status": DONE, "completed_on": date(2022, 9, 21)},
            (1, 0, 1, 0, 0),
        ),  # done a day late
        (
            {"due": date(2022, 10, 31), "status": DONE, "completed_on": date(2022, 9, 1)},
            (0, 0, 0, 0, 1),
        ),  # done ahead of a later due date: not due yet
        (
            {"due": date(2022, 9, 20), "status": DONE, "completed_on": date(2022, 10, 1)},
            (1, 0, 0, 1, 0),
        ),  # completed after D: overdue as of D
        ({"due": None}, (0, 0, 0, 0, 0)),  # ongoing ("thường xuyên"): never due
        ({"due": date(2022, 9, 1), "status": Assignment.Status.WITHDRAWN}, (0, 0, 0, 0, 0)),
    ],
)
def test_each_boundary_of_fallen_due(kwargs, expected):
    assert parts(rollup_of(**kwargs)) == expected


def test_not_yet_due_work_does_not_lower_the_due_ratio():
    plan, agency = make_plan(), make_agency()
    for _ in range(3):
        make_assignment(
            plan=plan,
            agency=agency,
            due=date(2022, 8, 31),
            status=DONE,
            completed_on=date(2022, 8, 1),
        )
    make_assignment(plan=plan, agency=agency, due=date(2022, 9, 1))  # overdue
    for _ in range(4):
        make_assignment(plan=plan, agency=agency, due=date(2022, 12, 31))
    r = Assignment.objects.filter(plan=plan).rollup(D)
    assert (r.ratio_display, r.due_summary) == ("37,50%", "3/4 (75,00%)")
    assert Assignment.objects.filter(plan=plan).fallen_due(D).count() == 4
    assert r.due_sentence == (
        "4 nhiệm vụ đến hạn phải hoàn thành, trong đó 3 nhiệm vụ đã hoàn thành "
        "(đúng hạn 3, quá hạn 0), đạt 75,00%; còn 1 nhiệm vụ quá hạn chưa hoàn thành; "
        "4 nhiệm vụ chưa đến hạn"
    )


def test_nothing_due_reads_as_no_ratio():
    r = rollup_of(due=date(2022, 12, 31))
    assert r.due_ratio is None
