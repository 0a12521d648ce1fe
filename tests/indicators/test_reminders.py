"""Which measured targets are reminded about when their period closes without a value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from planning.indicators.reminders import last_closed_period, missing_results
from planning.indicators.services import record_result
from planning.models import Plan
from tests.factories import make_measured_target, make_plan


@pytest.mark.parametrize(
    ("frequency", "today", "closed"),
    [
        ("month", date(2022, 10, 1), date(2022, 9, 30)),  # first day after the month
        ("month", date(2022, 9, 30), date(2022, 8, 31)),  # the month's last day is still open
        ("month", date(2022, 1, 15), date(2021, 12, 31)),
        ("quarter", date(2022, 10, 1), date(2022, 9, 30)),
        ("quarter", date(2022, 9, 30), date(2022, 6, 30)),
        ("quarter", date(2022, 2, 1), date(2021, 12, 31)),
        ("year", date(2023, 1, 1), date(2022, 12, 31)),
    ],
)
def test_last_closed_period(frequency, today, closed):
    assert last_closed_period(frequency, today) == closed


@pytest.fixture
def measured(registry):
    """A plan's own target: online applications measured by quarter, led by Sở TT&TT."""
    return make_measured_target(make_plan("50/KH-UBND"), lead=registry["STTTT"])


def test_a_quarter_closed_without_a_value_reminds_its_lead(measured, registry):
    [missing] = missing_results(date(2022, 10, 1))
    assert (missing.indicator, missing.agency, missing.period_end) == (
        measured,
        registry["STTTT"],
        date(2022, 9, 30),
    )
    assert (missing.scope, missing.period) == (f"i:{measured.pk}", "2022-09-30")


def test_a_value_sent_for_the_quarter_stops_the_reminder(measured, officer_snv):
    record_result(
        indicator=measured,
        period_end=date(2022, 9, 30),
        value=Decimal("75"),
        by=officer_snv,
        evidence="BC quý III",
    )
    assert missing_results(date(2022, 10, 1)) == []


def test_published_yearly_indices_and_closed_plans_are_not_reminded(measured, kh192):
    Plan.objects.filter(pk=measured.indicator_set.plan_id).update(status=Plan.Status.CLOSED)
    assert missing_results(date(2023, 1, 2)) == []
