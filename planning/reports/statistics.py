"""The figures of a compliance report, as of a date, in a constant number of queries.

Every category comes from `planning.querysets` (the q_* builders and
`rollup_aggregates`), so the dashboard, the PDF, the spreadsheets and the
plan pages can never disagree on what "done late" or "overdue" means.

What this module adds:
- the filters a report is cut by (plan, lead agency, section, month or
  quarter of the due date, and the "as of" date);
- the *update rate*: among the assignments open as of D, the share whose last
  progress report falls in the 30 days ending on D (from 00:00 of D-29 to the
  end of D, local time);
- completion over time, month by month (cumulative done vs. cumulative due);
- the overdue list (with days late as of D) and the extended list.

"As of D" means what was true on D: a completion dated after D is still open,
and a plan issued after D is not counted at all (`q_in_force`).
Known limit: an extension is read from the current `due_date` vs
`original_due_date`, so an extension granted after D already shows as of D
(and the overdue status as of D is judged against the extended date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from agencies.access import visibility_scope
from agencies.matching import fold
from agencies.models import Agency
from config.caching.generation import cached_figures, figures_key
from planning.deadlines import month_end, month_label, quarter_end, quarter_label
from planning.formatting import format_ratio
from planning.models import Assignment, Plan, ScoringRule
from planning.querysets import (
    Rollup,
    WindowCounts,
    q_done,
    q_extended,
    q_in_force,
    q_open,
    rollup_aggregates,
    window_aggregates,
)

from .periods import ReportingPeriod

UPDATE_WINDOW_DAYS = 30
MAX_CHART_MONTHS = 36

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[qQ]([1-4])$")


def period_range(period: str) -> tuple[date, date] | None:
    """ "2022-07" → (01/07/2022, 31/07/2022); "2022-q3" → (01/07/2022, 30/09/2022)."""
    if m := _MONTH.match(period or ""):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return date(year, month, 1), month_end(year, month)
    if m := _QUARTER.match(period or ""):
        year, quarter = int(m[1]), int(m[2])
        return date(year, quarter * 3 - 2, 1), quarter_end(year, quarter)
    return None


def period_label(period: str) -> str:
    """ "2022-07" → "tháng 7/2022"; "2022-q3" → "Quý III/2022"; else ""."""
    if m := _MONTH.match(period or ""):
        return month_label(date(int(m[1]), int(m[2]), 1))
    if m := _QUARTER.match(period or ""):
        return quarter_label(int(m[1]), int(m[2]))
    return ""


def period_choices(year: int) -> list[tuple[str, str]]:
    """The quarters then the months of a year, as (value, Vietnamese label)."""
    quarters = [(f"{year}-q{q}", quarter_label(year, q)) for q in range(1, 5)]
    months = [(f"{year}-{m:02d}", month_label(date(year, m, 1))) for m in range(1, 13)]
    return quarters + months


@dataclass(frozen=True)
class ReportFilters:
    as_of: date
    plan: Plan | None = None
    agency: Agency | None = None
    section: str = ""
    """A section code ("1.3", "III.2") of the plan; "" for all."""
    period: str = ""
    """ "YYYY-MM" (a month) or "YYYY-qN" (a quarter) of the due date; "" for all."""
    reporting: ReportingPeriod | None = None
    """The Nghị định 09 reporting period: `as_of` is its cut-off, and the
    window figures count within it (see `for_period`)."""
    compare: ReportingPeriod | None = None
    """The period the figures are compared with (the previous one by default)."""

    @classmethod
    def for_period(
        cls, reporting: ReportingPeriod, *, compare: ReportingPeriod | None = None, **kwargs
    ) -> ReportFilters:
        """As of the period's cut-off, compared with `compare` or the period before."""
        return cls(
            as_of=reporting.end,
            reporting=reporting,
            compare=compare or reporting.previous(),
            **kwargs,
        )

    @property
    def window(self) -> tuple[date, date] | None:
        return (self.reporting.start, self.reporting.end) if self.reporting else None

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    def apply(self, queryset):
        if self.plan is not None:
            queryset = queryset.filter(plan=self.plan)
        if self.agency is not None:
            queryset = queryset.filter(agency=self.agency)
        if self.section:
            queryset = queryset.filter(task__section__code=self.section)
        if bounds := period_range(self.period):
            queryset = queryset.filter(due_date__gte=bounds[0], due_date__lte=bounds[1])
        return queryset


def assignments_for(user, filters: ReportFilters):
    """What the report counts: what `user` may see (everything when None), filtered."""
    queryset = Assignment.objects.all() if user is None else Assignment.objects.visible_to(user)
    return filters.apply(queryset)


def update_window(as_of: date) -> tuple[datetime, datetime]:
    """[00:00 of D-29, 00:00 of D+1) local time: the 30 days ending on D."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(as_of - timedelta(days=UPDATE_WINDOW_DAYS - 1), time.min, tzinfo=tz)
    end = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def report_aggregates(as_of: date, window: tuple[date, date] | None = None) -> dict:
    """The roll-up's conditional counts plus open assignments updated in the
    last 30 days, and a reporting window's counts when there is one."""
    start, end = update_window(as_of)
    recent = Q(last_progress_at__gte=start, last_progress_at__lt=end)
    return {
        **rollup_aggregates(as_of),
        "updated_recently": Count("pk", filter=q_open(as_of) & recent),
        **(window_aggregates(*window) if window else {}),
    }


@dataclass(frozen=True)
class Row:
    """A Rollup with the update rate and a display name (agency, section, whole plan)."""

    name: str
    rollup: Rollup
    code: str = ""
    score: Decimal | None = None
    """The agency's points under the plan's scoring rule in force (None: no rule, no ratio)."""

    @property
    def updated_recently(self) -> int:
        return self.rollup.key.get("updated_recently") or 0

    @property
    def open_not_overdue(self) -> int:
        """Open and not overdue, ongoing work ("thường xuyên") included."""
        return self.rollup.open_not_due + self.rollup.ongoing

    @property
    def window(self) -> WindowCounts:
        """The reporting window's figures (zeros when the report has no window)."""
        return WindowCounts.from_row(self.rollup.key)

    @property
    def update_rate(self) -> Decimal | None:
        return Rollup._percent(self.updated_recently, self.rollup.open)

    @property
    def update_rate_display(self) -> str:
        return format_ratio(self.update_rate)


def _rank_key(row: Row):
    """Best first: completion ratio, then on-time ratio, then name."""
    r = row.rollup
    return (
        -(r.ratio if r.ratio is not None else Decimal(-1)),
        -(r.on_time_ratio if r.on_time_ratio is not None else Decimal(-1)),
        row.name,
    )


@dataclass(frozen=True)
class MonthPoint:
    month: date
    done: int
    """Assignments completed by the end of the month (cumulative, as of D)."""
    due: int
    """Assignments whose due date falls by the end of the month (cumulative)."""

    @property
    def label(self) -> str:
        return f"{self.month.month}/{self.month.year}"


@dataclass
class Statistics:
    filters: ReportFilters
    total: Row
    by_agency: list[Row]
    """Ranked: completion ratio, then on-time ratio, then name."""
    by_section: list[Row]
    months: list[MonthPoint]
    overdue: object
    """Queryset of assignments overdue as of D, most overdue first (not evaluated)."""
    extended: object
    """Queryset of extended assignments (not evaluated)."""
    agencies_alphabetical: list[Row] = field(default_factory=list)
    compared: Row | None = None
    """The whole total of the comparison period (`filters.compare`), as of its cut-off."""
    scoring_rule: ScoringRule | None = None
    """The plan's scoring rule in force on the as-of date, which gave `Row.score`."""

    @property
    def as_of(self) -> date:
        return self.filters.as_of


def _rows(queryset, filters: ReportFilters, *fields: str) -> list[dict]:
    """One grouped aggregate query (what `rollup_by` does, plus the update count)."""
    aggregates = report_aggregates(filters.as_of, filters.window)
    values = queryset.order_by().values(*fields).annotate(**aggregates)
    return list(values.order_by(*fields))


def _compared(queryset, filters: ReportFilters) -> Row | None:
    """The comparison period's total, as of its own cut-off and over its own window."""
    other = filters.compare
    if other is None:
        return None
    row = queryset.aggregate(**report_aggregates(other.end, (other.start, other.end)))
    return Row(name=other.label, rollup=Rollup.from_row(row))


def _months(queryset, as_of: date) -> list[MonthPoint]:
    """Cumulative done and due per month, up to D's month; two grouped queries."""
    done_rows = (
        queryset.filter(q_done(as_of))
        .order_by()
        .annotate(m=TruncMonth("completed_on"))
        .values("m")
        .annotate(n=Count("pk"))
    )
    due_rows = (
        queryset.filter(q_in_force(as_of), due_date__isnull=False)
        .order_by()
        .annotate(m=TruncMonth("due_date"))
        .values("m")
        .annotate(n=Count("pk"))
    )

    def as_month(value) -> date:
        value = value.date() if isinstance(value, datetime) else value
        return value.replace(day=1)

    done = {as_month(r["m"]): r["n"] for r in done_rows}
    due = {as_month(r["m"]): r["n"] for r in due_rows}
    last = as_of.replace(day=1)
    starts = [m for m in [*done, *due] if m <= last]
    if not starts:
        return []
    # The lines are flat after the last month anything was due or done: end there, so
    # a 2022 plan read in 2026 shows 2022, not three years of flat lines.
    last = max(starts)
    first = max(min(starts), _add_months(last, -(MAX_CHART_MONTHS - 1)))
    # Work done or due before the first month shown still counts in the totals.
    done_total = sum(n for m, n in done.items() if m < first)
    due_total = sum(n for m, n in due.items() if m < first)
    points = []
    month = first
    while month <= last:
        done_total += done.get(month, 0)
        due_total += due.get(month, 0)
        points.append(MonthPoint(month=month, done=done_total, due=due_total))
        month = _add_months(month, 1)
    return points


def _add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def compute(queryset, filters: ReportFilters) -> Statistics:
    """All figures for `queryset` (already filtered) as of `filters.as_of`.

    Five aggregate queries whatever the size of the data: the total, per agency,
    per section, and the two monthly series; a sixth for the comparison period
    when there is one. The overdue and extended lists are returned as
    querysets for the caller to paginate or read in full.
    """
    as_of = filters.as_of
    total_row = queryset.aggregate(**report_aggregates(as_of, filters.window))
    total = Row(name="Tổng cộng", rollup=Rollup.from_row(total_row))
    rule = ScoringRule.in_force(filters.plan, as_of)

    def agency_row(r: dict) -> Row:
        rollup = Rollup.from_row(r)
        score = rule.score(rule.ratio_of(rollup)) if rule else None
        return Row(name=r["agency__name"], code=r["agency__code"], rollup=rollup, score=score)

    agencies = [
        agency_row(r) for r in _rows(queryset, filters, "agency_id", "agency__code", "agency__name")
    ]
    sections = [
        Row(
            name=r["task__section__code"] or "—",
            code=r["task__section__code"] or "",
            rollup=Rollup.from_row(r),
        )
        for r in _rows(queryset, filters, "task__section__order", "task__section__code")
    ]
    alphabetical = sorted(agencies, key=lambda row: (fold(row.name), row.name))
    return Statistics(
        filters=filters,
        total=total,
        by_agency=sorted(agencies, key=_rank_key),
        by_section=sections,
        months=_months(queryset, as_of),
        overdue=overdue_list(queryset, as_of),
        extended=extended_list(queryset, as_of),
        agencies_alphabetical=alphabetical,
        compared=_compared(queryset, filters),
        scoring_rule=rule,
    )


def stats_cache_key(user, filters: ReportFilters) -> str:
    """The filters, the as-of date, the visibility scope and the data generation."""
    return figures_key(
        "stats",
        visibility_scope(user),
        filters.as_of.isoformat(),
        filters.plan.pk if filters.plan else "",
        filters.agency.pk if filters.agency else "",
        filters.section,
        filters.period,
        filters.reporting.code if filters.reporting else "",
        filters.compare.code if filters.compare else "",
    )


def cached_statistics(user, filters: ReportFilters, key: str | None = None) -> Statistics:
    """`compute` for what `user` may see, shared through the cache (config/caching/generation.py).

    1. The key (`stats_cache_key`, taken by the caller or here) holds the
       data generation read *before* computing.
    2. Only the aggregates are stored (five queries' worth: total, per
       agency, per section, per month); the overdue and extended lists stay
       lazy querysets, paginated by the caller.
    3. Exports (PDF, Excel, CSV) do not use this: they compute afresh.
    """
    key = key or stats_cache_key(user, filters)
    queryset = assignments_for(user, filters)

    def aggregates() -> dict:
        stats = compute(queryset, filters)
        return {
            "total": stats.total,
            "by_agency": stats.by_agency,
            "by_section": stats.by_section,
            "months": stats.months,
            "agencies_alphabetical": stats.agencies_alphabetical,
            "compared": stats.compared,
            "scoring_rule": stats.scoring_rule,
        }

    return Statistics(
        filters=filters,
        overdue=overdue_list(queryset, filters.as_of),
        extended=extended_list(queryset, filters.as_of),
        **cached_figures(key, aggregates),
    )


def overdue_list(queryset, as_of: date):
    return (
        queryset.overdue(as_of)
        .select_related("task", "task__section", "agency")
        .order_by("due_date", "agency__name", "task__order", "pk")
    )


def extended_list(queryset, as_of: date):
    return (
        queryset.filter(q_in_force(as_of) & q_extended())
        .select_related("task", "task__section", "agency")
        .order_by("agency__name", "due_date", "task__order", "pk")
    )


def as_of_rows(assignments, as_of: date) -> list[Assignment]:
    """Evaluate assignments, setting what was true on D: `.days_late_as_of` (days
    past the due date on D, 0 when not overdue) and `.done_as_of`."""
    rows = list(assignments)
    for a in rows:
        a.done_as_of = a.is_done and a.completed_on <= as_of
        late = (as_of - a.due_date).days if a.due_date else 0
        a.days_late_as_of = late if late > 0 and not a.done_as_of else 0
    return rows
