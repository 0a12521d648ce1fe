"""Agency pages: the list with each agency's figures (for those who see
everything), and one agency's work across plans.

They live with the plans rather than in `agencies/`: what they show is
assignments and their roll-ups, and `agencies` sits below `planning`
(docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import Agency

from .indicators.tables import criteria_led_by
from .listing import Listing, assignment_filters, choice_filter, filter_choices
from .models import Assignment


def _figure(name: str):
    def key(row):
        value = getattr(row[1], name, None) if row[1] else None
        return (value is not None, value or 0, row[0].name)

    return key


AGENCIES = Listing(
    # Some 600 agencies at most, their figures from one aggregate: sorted in Python.
    sorts={
        "ten": lambda row: row[0].name,
        "loai": lambda row: (row[0].kind, row[0].name),
        "tong": _figure("total"),
        "qua_han": _figure("open_overdue"),
        "ty_le": _figure("ratio"),
    },
    default="loai",
    filters=[
        choice_filter("loai", "kind", Agency.Kind.values),
        *(f for f in assignment_filters(agency=False) if f.param != "trang_thai"),
    ],
)
ASSIGNMENT_FILTERS = ("ke_hoach", "han", "qua_han")
"""Filters of the work counted; an agency with no such work is not listed."""


@login_required
def agency_list(request):
    """Every active agency with its figures, filtered by kind and by the work
    counted (plan, due period, overdue only), sorted by any column."""
    if not access.sees_everything(request.user):
        raise Http404
    today = timezone.localdate()
    listing = AGENCIES.read(request.GET, today=today)
    counted = listing.filter(Assignment.objects.visible_to(request.user), only=ASSIGNMENT_FILTERS)
    rollups = {r.key["agency_id"]: r for r in counted.rollup_by("agency_id", today=today)}
    agencies = listing.filter(Agency.objects.active(), only=("loai",))
    if set(listing.values) & set(ASSIGNMENT_FILTERS):
        agencies = agencies.filter(pk__in=list(rollups))
    rows = listing.sorted([(agency, rollups.get(agency.pk)) for agency in agencies])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": page.object_list,
        "listing": listing,
        "kinds": Agency.Kind.choices,
        "plans": filter_choices(request.user)["plans"],
    }
    return render(request, "planning/agency_list.html", context)


@login_required
def agency_detail(request, code):
    agency = get_object_or_404(Agency, code=code)
    if not access.can_view_agency(request.user, agency):
        raise Http404
    today = timezone.localdate()
    assignments = (
        Assignment.objects.visible_to(request.user)
        .filter(agency=agency)
        .exclude(status=Assignment.Status.WITHDRAWN)
    )
    listed = assignments.select_related("task", "task__section", "plan").order_by(
        "due_date", "plan__number", "task__order"
    )
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    context = {
        "agency": agency,
        "today": today,
        "total": assignments.rollup(today),
        "by_plan": [
            {
                "name": f"Kế hoạch {r.key['plan__number']}",
                "url": reverse("planning:plan_detail", args=[r.key["plan_id"]]),
                "rollup": r,
            }
            for r in assignments.rollup_by("plan__number", "plan_id", today=today)
        ],
        "page": page,
        # The criteria the agency leads (planning/indicators/_agency_criteria.html).
        "led_criteria": criteria_led_by(agency, today, user=request.user),
    }
    return render(request, "planning/agency_detail.html", context)
