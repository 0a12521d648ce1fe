"""Who may see and enter which indicators, on top of agencies/access.py.

Coordinators and viewers read every indicator of the plans they may see; an
officer sees the criteria its agency leads (and the plans that have some);
a coordinator enters any result, an officer only those of its own criteria.
Everything else is a 404, so the existence of a criterion does not leak.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from agencies import access
from planning.access import visible_plans
from planning.models import Plan

from .models import Indicator, IndicatorResult


def indicator_plans(user):
    if access.sees_everything(user):
        return visible_plans(user)
    agency = access.agency_of(user)
    if agency is None:
        return Plan.objects.none()
    return (
        Plan.objects.exclude(status=Plan.Status.DRAFT)
        .filter(indicator_sets__indicators__lead=agency)
        .distinct()
    )


def get_indicator_plan_or_404(user, pk) -> Plan:
    return get_object_or_404(indicator_plans(user).defer("source_text"), pk=pk)


def visible_indicators(user, queryset=None):
    queryset = queryset if queryset is not None else Indicator.objects.all()
    if access.sees_everything(user):
        return queryset
    agency = access.agency_of(user)
    return queryset.led_by(agency) if agency is not None else queryset.none()


def enterable_indicators(user):
    """A coordinator enters any result; an officer those of the criteria it leads."""
    indicators = Indicator.objects.filter(indicator_set__plan__in=indicator_plans(user))
    if access.is_coordinator(user):
        return indicators
    if access.sees_everything(user):
        return indicators.none()  # viewers read, never write
    return visible_indicators(user, indicators)


def get_enterable_indicator_or_404(user, pk) -> Indicator:
    queryset = enterable_indicators(user).select_related("indicator_set__plan", "lead")
    return get_object_or_404(queryset, pk=pk)


def get_reviewable_result_or_404(user, pk) -> IndicatorResult:
    if not access.is_coordinator(user):
        raise_404 = IndicatorResult.objects.none()
        return get_object_or_404(raise_404, pk=pk)
    return get_object_or_404(
        IndicatorResult.objects.select_related("indicator__indicator_set__plan"), pk=pk
    )


def get_readable_result_or_404(user, pk) -> IndicatorResult:
    """A result of a criterion the user may read, in a plan the user may see:
    coordinators and viewers any, an officer those of the criteria its agency leads."""
    indicators = visible_indicators(user).filter(indicator_set__plan__in=indicator_plans(user))
    return get_object_or_404(IndicatorResult.objects.filter(indicator__in=indicators), pk=pk)
