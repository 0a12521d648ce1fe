"""Small builders for test data; plain functions, no magic."""

from __future__ import annotations

import itertools
from datetime import date

from django.contrib.auth.models import User

from agencies.models import Agency, Membership
from planning.models import Assignment, Plan, Section, Task

_seq = itertools.count(1)


def make_agency(code: str | None = None, name: str | None = None, **extra) -> Agency:
    n = next(_seq)
    code = code or f"A{n}"
    return Agency.objects.create(code=code, name=name or f"Cơ quan {code}", **extra)


def make_user(username: str, *, agency: Agency | None = None, role: str | None = None) -> User:
    user = User.objects.create_user(username=username, password="mat-khau-thu-2022")
    if agency is not None:
        Membership.objects.create(user=user, agency=agency, role=role or Membership.Role.OFFICER)
    return user


def make_plan(number: str | None = None, *, year: int = 2022, **extra) -> Plan:
    n = next(_seq)
    extra.setdefault("title", f"Kế hoạch thử {n}")
    extra.setdefault("issued_on", date(year, 1, 10))
    return Plan.objects.create(number=number or f"{n}/KH-UBND", year=year, **extra)


def make_assignment(
    *,
    plan: Plan | None = None,
    agency: Agency | None = None,
    due: date | None = date(2022, 7, 31),
    status: str = Assignment.Status.NOT_STARTED,
    completed_on: date | None = None,
    title: str | None = None,
    section: Section | None = None,
    original_due: date | None = None,
) -> Assignment:
    plan = plan or make_plan()
    agency = agency or make_agency()
    task = Task.objects.create(
        plan=plan, section=section, title=title or f"Nhiệm vụ {next(_seq)}", due_date=due
    )
    return Assignment.objects.create(
        plan=plan,
        task=task,
        agency=agency,
        due_date=due,
        original_due_date=original_due if original_due is not None else due,
        status=status,
        completed_on=completed_on,
    )


def make_measured_target(
    plan: Plan,
    *,
    lead: Agency | None,
    name: str = "Tỷ lệ hồ sơ trực tuyến",
    target: str = "80",
    code: str = "1",
    **extra,
):
    """One of the plan's own measured targets (percent, by quarter unless told),
    in the plan's "measured" set (created the first time)."""
    from decimal import Decimal

    from planning.indicators.models import Indicator, IndicatorSet

    indicator_set, _ = IndicatorSet.objects.get_or_create(
        plan=plan, kind=IndicatorSet.Kind.MEASURED
    )
    extra.setdefault("frequency", Indicator.Frequency.QUARTER)
    return Indicator.objects.create(
        indicator_set=indicator_set,
        code=code,
        name=name,
        unit=Indicator.Unit.PERCENT,
        target=Decimal(target),
        lead=lead,
        **extra,
    )
