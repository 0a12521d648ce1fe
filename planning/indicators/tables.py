"""A plan's indicators as rows to show: target against previous and actual, and the gap.

The page, the CSV/Excel/PDF report and the dashboard's summary all read these
rows, so "below target" and "the gap" are computed in one place. Two queries
whatever the number of indicators: the sets, then the indicators with their
latest approved result (`IndicatorQuerySet.with_actual`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from planning.models import Plan

from .access import indicator_plans, visible_indicators
from .models import Indicator, IndicatorSet
from .numbers import format_score

if TYPE_CHECKING:
    from .links import ServingWork


@dataclass
class IndicatorRow:
    indicator: Indicator
    actual: Decimal | None
    actual_period_end: date | None = None
    has_parts: bool = False
    """Whether the row is an area or group whose parts are rows of their own."""
    indicator_set: IndicatorSet | None = None
    work: ServingWork | None = None
    """Below target: the open and overdue tasks serving it (`links.attach_work`)."""

    @property
    def percent(self) -> bool:
        return self.indicator.unit == Indicator.Unit.PERCENT

    @property
    def standing(self) -> Decimal | None:
        """Where the criterion stands: this year's result, else last year's."""
        return self.actual if self.actual is not None else self.indicator.previous

    @property
    def based_on_previous(self) -> bool:
        return self.actual is None

    @property
    def below_target(self) -> bool:
        return not self.indicator.is_total and self.indicator.meets_target(self.standing) is False

    @property
    def gap(self) -> Decimal | None:
        """How far the standing is from the target (negative: below it)."""
        if self.standing is None or self.indicator.target is None:
            return None
        return self.standing - self.indicator.target

    @property
    def meets_target(self) -> bool:
        return not self.indicator.is_total and self.indicator.meets_target(self.standing) is True

    def show(self, value: Decimal | None) -> str:
        return format_score(value, percent=self.percent)

    @property
    def sign(self) -> str:
        """How the target is written before its number: "> ", "= ", or nothing for "≥"."""
        return {"gt": "> ", "eq": "= "}.get(self.indicator.comparison, "")

    @property
    def target_label(self) -> str:
        if self.indicator.target is None:
            return ""
        return self.sign + self.show(self.indicator.target)

    @property
    def code_label(self) -> str:
        """A total row has no code: its label ("Tổng điểm", "Chỉ số chung") leads the row…"""
        return self.indicator.name.capitalize() if self.indicator.is_total else self.indicator.code

    @property
    def name_label(self) -> str:
        """…and the set's name stands as the criterion."""
        if self.indicator.is_total and self.indicator_set is not None:
            return self.indicator_set.title
        return self.indicator.name

    @property
    def gap_label(self) -> str:
        gap = self.gap
        if gap is None:
            return ""
        return ("+" if gap > 0 else "") + self.show(gap)

    @property
    def cells(self) -> dict[str, str]:
        i = self.indicator
        return {
            "maximum": self.show(i.maximum),
            "previous": self.show(i.previous),
            "target": self.target_label,
            "actual": self.show(self.actual),
            "gap": self.gap_label,
        }


@dataclass
class SetTable:
    indicator_set: IndicatorSet
    rows: list[IndicatorRow] = field(default_factory=list)

    @property
    def below_target(self) -> list[IndicatorRow]:
        """The criteria below target, for "who leads each one": the parts, not
        the areas and groups that only add them up."""
        return [r for r in self.rows if r.below_target and not r.has_parts]

    @property
    def total(self) -> IndicatorRow | None:
        return next((r for r in self.rows if r.indicator.is_total), None)


def indicator_tables(plan: Plan, as_of: date, *, user=None) -> list[SetTable]:
    """The plan's indicator sets in plan order, each with its rows as of `as_of`;
    with `user`, only the rows that user may see (an officer: its own criteria)."""
    tables = {s.pk: SetTable(s) for s in IndicatorSet.objects.filter(plan=plan)}
    indicators = Indicator.objects.filter(indicator_set__plan=plan)
    if user is not None:
        indicators = visible_indicators(user, indicators)
    indicators = (
        indicators.with_actual(as_of)
        .select_related("lead")
        .order_by("indicator_set__order", "order")
    )
    indicators = list(indicators)
    parents = {i.parent_id for i in indicators}
    for indicator in indicators:
        tables[indicator.indicator_set_id].rows.append(
            IndicatorRow(
                indicator,
                indicator.actual,
                indicator.actual_period_end,
                has_parts=indicator.pk in parents,
                indicator_set=tables[indicator.indicator_set_id].indicator_set,
            )
        )
    return [t for t in tables.values() if t.rows or user is None]


@dataclass
class SetSummary:
    """One line of the dashboard: a set's total (or overall index), how many of
    its criteria reach their target and how many stand below it (the rest
    have no target or no figure yet)."""

    indicator_set: IndicatorSet
    total: IndicatorRow | None
    criteria: int
    below_target: int
    met: int = 0

    @property
    def unknown(self) -> int:
        return self.criteria - self.met - self.below_target


def indicator_summary(plan: Plan, as_of: date, *, user=None) -> list[SetSummary]:
    """The dashboard's indicator summary for a plan (the same two queries as the page)."""
    summaries = []
    for table in indicator_tables(plan, as_of, user=user):
        leaves = [r for r in table.rows if not r.indicator.is_total and not r.has_parts]
        summaries.append(
            SetSummary(
                indicator_set=table.indicator_set,
                total=table.total,
                criteria=len(leaves),
                below_target=len(table.below_target),
                met=len([r for r in leaves if r.meets_target]),
            )
        )
    return summaries


def criteria_led_by(agency, as_of: date, *, user=None) -> list[IndicatorRow]:
    """The criteria an agency leads, every plan, with their latest approved result
    (for the agency page): one query. With `user`, only those of the plans the
    user may see (`indicator_plans`: no draft for an officer)."""
    indicators = Indicator.objects.led_by(agency)
    if user is not None:
        indicators = visible_indicators(user, indicators).filter(
            indicator_set__plan__in=indicator_plans(user)
        )
    indicators = (
        indicators.with_actual(as_of)
        .select_related("indicator_set__plan")
        .order_by(
            "-indicator_set__plan__year", "indicator_set__plan_id", "indicator_set__order", "order"
        )
    )
    return [
        IndicatorRow(i, i.actual, i.actual_period_end, indicator_set=i.indicator_set)
        for i in indicators
    ]
