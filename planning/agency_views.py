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

from .models import Assignment


@login_required
def agency_list(request):
    if not access.sees_everything(request.user):
        raise Http404
    today = timezone.localdate()
    rollups = {
        r.key["agency_id"]: r
        for r in Assignment.objects.visible_to(request.user).rollup_by("agency_id", today=today)
    }
    agencies = Agency.objects.active().order_by("kind", "name")
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    rows = [(agency, rollups.get(agency.pk)) for agency in page]
    return render(request, "planning/agency_list.html", {"page": page, "rows": rows})


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
    }
    return render(request, "planning/agency_detail.html", context)
