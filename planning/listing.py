"""Filters and sorting of a list page, read from the URL, written once.

Each list (the plan page's tasks, the agency list, the inbox, the review
queue, the reminder log) declares what may be filtered and sorted:

    LISTING = Listing(
        sorts={"han": ("due_date", "pk"), "co_quan": ("agency__name", "pk")},
        default="han",
        filters=[agency_filter("co_quan"), due_period_filter("han", "due_date")],
    )
    state = LISTING.read(request.GET, today=today)
    rows = state.apply(queryset)

`?sap_xep=han` sorts by a declared key, `?sap_xep=-han` the other way; a key
not declared is ignored (the default applies), so the URL never reaches
`order_by` unchecked. A filter whose value does not parse is ignored the same
way. `state.query` is the query string of the filters and sort (never the
page), for pagination and bookmarks; `state.sort_link(key)` is a column
header's link; `state.values` the valid filter values (`listing.values.co_quan`
in templates). Filters are small objects turning one GET value into a `Q`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.http import QueryDict

from .deadlines import month_end

SORT_PARAM = "sap_xep"


@dataclass(frozen=True)
class Filter:
    """One GET parameter → a condition; `parse` returns None for a value to ignore."""

    param: str
    parse: Callable[[str, date], Q | None]


def choice_filter(param: str, field_name: str, choices: Iterable[str]) -> Filter:
    allowed = set(choices)
    return Filter(param, lambda v, today: Q(**{field_name: v}) if v in allowed else None)


def value_filter(param: str, field_name: str, pattern: str = r"[\w.-]{1,60}") -> Filter:
    """An exact value that looks like one (a code, a number): `?co_quan=STP`."""
    return Filter(
        param, lambda v, today: Q(**{field_name: v}) if re.fullmatch(pattern, v) else None
    )


def due_period_filter(param: str, field_name: str) -> Filter:
    """ "2022" (the year), "2022-q3" (a quarter) or "2022-07" (a month) → a date range."""

    def parse(value: str, today: date) -> Q | None:
        match = re.fullmatch(r"(\d{4})(?:-(?:q([1-4])|(\d{2})))?", value.lower())
        if not match:
            return None
        year = int(match[1])
        if match[2]:
            first_month = 3 * int(match[2]) - 2
            start, end = date(year, first_month, 1), month_end(year, first_month + 2)
        elif match[3]:
            month = int(match[3])
            if not 1 <= month <= 12:
                return None
            start, end = date(year, month, 1), month_end(year, month)
        else:
            start, end = date(year, 1, 1), date(year, 12, 31)
        return Q(**{f"{field_name}__gte": start, f"{field_name}__lte": end})

    return Filter(param, parse)


def flag_filter(param: str, condition: Callable[[date], Q]) -> Filter:
    """A checkbox: `?qua_han=1` applies `condition(today)`."""
    return Filter(param, lambda v, today: condition(today) if v == "1" else None)


@dataclass
class ListState:
    """What one request asked of a list: the valid filters and the sort."""

    listing: Listing
    values: dict[str, str]
    conditions: dict[str, Q]
    sort: str
    descending: bool
    kept: dict[str, str] = field(default_factory=dict)
    """Other parameters of the page that links keep (the inbox's group)."""

    def filter(self, queryset, only: Iterable[str] | None = None):
        """The queryset under the valid filters (or those of `only`)."""
        for param, condition in self.conditions.items():
            if only is None or param in only:
                queryset = queryset.filter(condition)
        return queryset

    def apply(self, queryset):
        """Filtered and sorted in the database (sorts declared as field names)."""
        return self.filter(queryset).order_by(*self.order_by)

    def sorted(self, rows: list) -> list:
        """Rows sorted in Python, for lists of bounded size whose sort keys are
        figures computed beside the query (sorts declared as functions)."""
        return sorted(rows, key=self.listing.sorts[self.sort], reverse=self.descending)

    @property
    def order_by(self) -> tuple[str, ...]:
        fields = self.listing.sorts[self.sort]
        if not self.descending:
            return fields
        return tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)

    @property
    def sort_param(self) -> str:
        """The `sap_xep` value, "" for the default sort."""
        return self.params.get(SORT_PARAM, "")

    @property
    def params(self) -> QueryDict:
        query = QueryDict(mutable=True)
        for name, value in {**self.kept, **self.values}.items():
            query[name] = value
        if self.sort != self.listing.default or self.descending:
            query[SORT_PARAM] = f"-{self.sort}" if self.descending else self.sort
        return query

    @property
    def query(self) -> str:
        """ "co_quan=STP&sap_xep=-han": the filters and sort, without the page."""
        return self.params.urlencode()

    @property
    def filter_query(self) -> str:
        """`query` without the kept parameters: for links that set those themselves."""
        query = self.params
        for name in self.kept:
            query.pop(name, None)
        return query.urlencode()

    def sort_link(self, key: str) -> dict:
        """A column header: its URL (this key, the other way if already sorted by
        it) and, when sorted by it, "ascending"/"descending" for aria-sort."""
        query = self.params
        active = key == self.sort
        query[SORT_PARAM] = f"-{key}" if active and not self.descending else key
        state = ("descending" if self.descending else "ascending") if active else ""
        return {"url": f"?{query.urlencode()}", "sort": state}

    @property
    def sort_links(self) -> dict[str, dict]:
        return {key: self.sort_link(key) for key in self.listing.sorts}


@dataclass
class Listing:
    sorts: dict[str, tuple[str, ...] | Callable]
    """URL key → `order_by` fields (`apply`), or a Python sort key (`sorted`)."""
    default: str
    filters: list[Filter] = field(default_factory=list)

    @property
    def params(self) -> tuple[str, ...]:
        """Every GET parameter this list reads (for `cached_page`)."""
        return (SORT_PARAM, *(f.param for f in self.filters))

    def read(self, get: QueryDict, *, today: date, keep: Iterable[str] = ()) -> ListState:
        values, conditions = {}, {}
        for spec in self.filters:
            raw = get.get(spec.param, "").strip()
            condition = spec.parse(raw, today) if raw else None
            if condition is not None:
                values[spec.param] = raw
                conditions[spec.param] = condition
        asked = get.get(SORT_PARAM, "")
        descending = asked.startswith("-")
        key = asked.lstrip("-")
        if key not in self.sorts:
            key, descending = self.default, False
        kept = {name: get[name] for name in keep if get.get(name)}
        return ListState(self, values, conditions, key, descending, kept)


# --- The filters of lists of assignments -------------------------------------------
# The same five filters wherever assignments are listed, directly or through
# a row that points at one (`path="assignment__"`: a report, a reminder).

OVERDUE = "qua_han"


def _status_filter(param: str, path: str) -> Filter:
    from .models import Assignment

    def parse(value: str, today: date) -> Q | None:
        if value == OVERDUE:
            return _overdue(path, today)
        if value in Assignment.Status.values:
            return Q(**{f"{path}status": value})
        return None

    return Filter(param, parse)


def _overdue(path: str, today: date) -> Q:
    from .models import Assignment
    from .querysets import q_overdue

    if not path:
        return q_overdue(today)
    return Q(**{f"{path}in": Assignment.objects.filter(q_overdue(today)).values("pk")})


def assignment_filters(path: str = "", *, agency: bool = True, plan: bool = True) -> list[Filter]:
    """`co_quan` (agency code), `trang_thai` (a status, or "qua_han"), `han`
    (due year, quarter or month), `ke_hoach` (plan id), `qua_han=1` (overdue only)."""
    filters = [
        _status_filter("trang_thai", path),
        due_period_filter("han", f"{path}due_date"),
        flag_filter(OVERDUE, lambda today: _overdue(path, today)),
    ]
    if agency:
        filters.insert(0, value_filter("co_quan", f"{path}agency__code"))
    if plan:
        filters.insert(0, value_filter("ke_hoach", f"{path}plan_id", r"\d{1,10}"))
    return filters


def filter_choices(user) -> dict:
    """The plan and agency choices of a filter form (`_list_filters.html`): two
    small queries, the plans the user may see and the active agencies."""
    from agencies.models import Agency

    from .access import visible_plans
    from .models import NEWEST_PLANS_FIRST

    return {
        "plans": visible_plans(user).order_by(*NEWEST_PLANS_FIRST).values_list("pk", "number"),
        "agencies": Agency.objects.active().order_by("name").values_list("code", "name"),
    }
