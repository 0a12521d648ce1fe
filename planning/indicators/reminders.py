"""Measured targets whose period closed without a value: whom to remind, and for what.

The reminder job (notifications) logs and sends these like an assignment's
reminder, exactly once per (scope, kind, period) in its Notification log:
`MissingResult.scope` ("i:42") and `.period` ("2022-09-30") are that key. This
module only answers the question, so the job stays one small loop.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q

from agencies.models import Agency
from planning.models import Plan

from .models import Indicator, IndicatorResult, IndicatorSet

Frequency = Indicator.Frequency


def last_closed_period(frequency: str, today: date) -> date:
    """The last day of the latest period that ended before `today`.

    Month: the day before the 1st of this month; quarter: the day before this
    quarter began; year: 31 December of last year. Today itself never counts
    as closed: the period's last day still belongs to the agency.
    """
    if frequency == Frequency.MONTH:
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    elif frequency == Frequency.QUARTER:
        first_month = 3 * ((today.month - 1) // 3) + 1
        year, month = (today.year, first_month - 1) if first_month > 1 else (today.year - 1, 12)
    else:
        year, month = today.year - 1, 12
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class MissingResult:
    indicator: Indicator
    agency: Agency
    period_end: date

    @property
    def scope(self) -> str:
        return f"i:{self.indicator.pk}"

    @property
    def period(self) -> str:
        return self.period_end.isoformat()


def missing_results(today: date) -> list[MissingResult]:
    """Every measured target of an active plan with a lead agency whose last closed
    period has no value (waiting, returned or approved all count as a value:
    a returned one is the reviewer's matter). One query per frequency.

    Published indices (PAR INDEX, SIPAS) are yearly and published by the
    ministry: only the plan's own measured targets and targets measured by
    month or quarter are reminded about.
    """
    missing: list[MissingResult] = []
    for frequency in Frequency.values:
        period_end = last_closed_period(frequency, today)
        recorded = IndicatorResult.objects.filter(indicator=OuterRef("pk"), period_end=period_end)
        due = (
            Indicator.objects.filter(
                frequency=frequency,
                lead__isnull=False,
                is_total=False,
                indicator_set__plan__status=Plan.Status.ACTIVE,
            )
            .filter(
                Q(indicator_set__kind=IndicatorSet.Kind.MEASURED) | ~Q(frequency=Frequency.YEAR)
            )
            .exclude(Exists(recorded))
            .select_related("lead")
            .order_by("pk")
        )
        missing += [MissingResult(i, i.lead, period_end) for i in due]
    return missing
