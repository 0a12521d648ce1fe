"""Fetching plans and assignments through the access rules.

A view never calls `Assignment.objects.get(pk=...)`: it calls these, which
answer 404 for an object the user may not see, so its existence does not leak.
"""

from __future__ import annotations

from django.db.models import Case, Count, Q, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from agencies import access
from agencies.access import visibility_scope
from config.caching.generation import cached_figures, figures_key

from .models import NEWEST_PLANS_FIRST, Assignment, Plan, Task


def visible_plans(user):
    """Every plan for coordinators and viewers; for an officer, the plans that
    give the agency work (a coordinator's draft plans stay hidden from agencies)."""
    plans = Plan.objects.all()
    if access.is_coordinator(user):
        return plans
    plans = plans.exclude(status=Plan.Status.DRAFT)
    if access.sees_everything(user):
        return plans
    agency = access.agency_of(user)
    if agency is None:
        return plans.none()
    return plans.filter(assignments__agency=agency).distinct()


def get_plan_or_404(user, pk) -> Plan:
    return get_object_or_404(visible_plans(user), pk=pk)


def _plan_row(plans):
    # Pages show a plan's header, never its source text (the whole imported document).
    return plans.defer("source_text").first()


def cached_visible_plan(user, pk) -> Plan | None:
    """`get_plan_or_404` for pages that only show the plan: the row from the
    shared cache under the user's visibility scope and the data generation
    (config/caching/generation.py), None when the user may not see it (never cached).
    Not for changing the plan: writes fetch it with `get_plan_or_404`."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    key = figures_key("plan-row", visibility_scope(user), pk, scopes=[("plan", pk)])
    return cached_figures(key, lambda: _plan_row(visible_plans(user).filter(pk=pk)))


def cached_visible_plan_or_404(user, pk) -> Plan:
    plan = cached_visible_plan(user, pk)
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch.")
    return plan


def default_plans(user):
    """The plans a user may see, the one they most likely mean first: active
    plans before any other, drafts last, then by the number of assignments (an
    officer's own), then the newest. A bogus plan created yesterday with one
    task must not be what a leader sees first."""
    return (
        visible_plans(user)
        .annotate(
            is_active=Case(When(status=Plan.Status.ACTIVE, then=1), default=0),
            is_draft=Case(When(status=Plan.Status.DRAFT, then=1), default=0),
            assignment_count=Count(
                "assignments", filter=~Q(assignments__status=Assignment.Status.WITHDRAWN)
            ),
        )
        .order_by("-is_active", "is_draft", "-assignment_count", *NEWEST_PLANS_FIRST)
    )


def cached_default_plan(user) -> Plan | None:
    """The reports' default plan (`default_plans`), from the cache."""
    key = figures_key("default-plan", visibility_scope(user))
    return cached_figures(key, lambda: _plan_row(default_plans(user)))


def readable_assignments(user, queryset=None):
    """What a user may open: `visible_to`, plus, for an officer, read-only, the
    assignments of tasks on which the agency coordinates ("phối hợp"). Draft
    plans are the coordinators' alone (as in `visible_to`)."""
    queryset = queryset if queryset is not None else Assignment.objects.all()
    if access.is_coordinator(user):
        return queryset
    queryset = queryset.exclude(plan__status=Plan.Status.DRAFT)
    if access.sees_everything(user):
        return queryset
    agency = access.agency_of(user)
    if agency is None:
        return queryset.none()
    coordinated = Task.objects.filter(coordinating_agencies=agency).values("pk")
    return queryset.filter(Q(agency=agency) | Q(task__in=coordinated))


def may_read_assignment(user, assignment: Assignment, coordinating_ids) -> bool:
    """`readable_assignments` for one assignment already in hand (with the ids of
    its task's coordinating agencies): the same rule, without a query."""
    if access.is_coordinator(user):
        return True
    if assignment.plan.status == Plan.Status.DRAFT:
        return False
    if access.sees_everything(user):
        return True
    agency = access.agency_of(user)
    if agency is None:
        return False
    return assignment.agency_id == agency.pk or agency.pk in coordinating_ids


def get_assignment_or_404(user, pk, queryset=None) -> Assignment:
    return get_object_or_404(readable_assignments(user, queryset), pk=pk)
