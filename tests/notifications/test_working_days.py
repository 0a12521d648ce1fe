"""A reminder or escalation that falls on a non-working day goes out on the working day before.

Personas: an officer of Sở Tư pháp receives the agency's reminders.
"""

from datetime import date, timedelta

import pytest

from notifications.models import Notification
from planning.models import DeclaredDay

from .conftest import sweep_at

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
DUE = date(2022, 11, 27)  # a Sunday: its 7-day reminder falls on Sunday 20/11


def due_soon_steps() -> list[int]:
    return sorted(Notification.objects.filter(kind=Kind.DUE_SOON).values_list("step", flat=True))


def test_a_reminder_due_on_sunday_goes_out_on_the_friday_before(stp, officer_stp, assignment_for):
    assignment_for(stp, DUE)
    sweep_at(date(2022, 11, 17))  # Thursday: nothing yet
    assert due_soon_steps() == []
    sweep_at(date(2022, 11, 18))  # Friday: the weekend's 7-day reminder
    assert due_soon_steps() == [7]
    sweep_at(date(2022, 11, 19))  # Saturday: nothing new, and nothing twice
    sweep_at(date(2022, 11, 20))
    assert due_soon_steps() == [7]
    # The 1-day reminder (Saturday 26/11) goes out on Friday 25/11.
    sweep_at(date(2022, 11, 25))
    assert due_soon_steps() == [1, 7]


def test_an_overdue_reminder_during_tet_goes_out_before_it(stp, officer_stp, assignment_for):
    # Due Thursday 19/1/2023: overdue reminder 1 falls on 20/1, the first day of the Tết break.
    assignment_for(stp, date(2023, 1, 19))
    sweep_at(date(2023, 1, 19))
    row = Notification.objects.get(kind=Kind.OVERDUE)
    assert (row.step, row.due_on) == (1, date(2023, 1, 20))


def test_a_declared_day_off_moves_the_reminder_to_the_day_before(stp, officer_stp, assignment_for):
    due = date(2022, 11, 30)  # Wednesday; its 7-day reminder falls on Wednesday 23/11
    DeclaredDay.objects.create(day=due - timedelta(days=7), note="Nghỉ bù")
    assignment_for(stp, due)
    sweep_at(due - timedelta(days=8))
    assert due_soon_steps() == [7]
