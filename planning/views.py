"""Pages for plans and assignments: list, detail, one assignment.

Each view fetches through `planning.access` (404 for what the user may not
see), asks the querysets for roll-ups (one aggregate query each) and renders.
The number of queries a page runs does not grow with the number of rows.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

from agencies import access
from agencies.access import visibility_scope
from config.caching.generation import cached_figures, figures_key
from config.caching.pages import cached_page

from .access import (
    cached_visible_plan_or_404,
    may_read_assignment,
    visible_plans,
)
from .listing import Listing, assignment_filters
from .models import NEWEST_PLANS_FIRST, Assignment
from .paging import page_links
from .records import assignment_record

PAGE_SIZE = 50
AGENCY_PAGE_SIZE = 50
AGENCY_PAGE_PARAM = "trang_cq"
PLAN_TASKS = Listing(
    sorts={
        "muc": ("task__section__order", "task__order", "agency__name", "due_date", "pk"),
        "nhiem_vu": ("task__title", "agency__name", "pk"),
        "co_quan": ("agency__name", "task__section__order", "task__order", "pk"),
        "han": ("due_date", "task__section__order", "task__order", "pk"),
        "trang_thai": ("status", "due_date", "pk"),
    },
    default="muc",
    filters=assignment_filters(plan=False),
)
PLAN_FRAGMENT_PARAMS = (*PLAN_TASKS.params, "page", AGENCY_PAGE_PARAM)


def _attention(rollup) -> tuple:
    """Agencies needing attention first: most overdue, then lowest completion
    ratio (nothing to count last), then name."""
    ratio = rollup.ratio
    return (-rollup.open_overdue, ratio is None, ratio or 0, rollup.key["agency__name"])


def _agency_options(rollups, selected: str) -> SafeString:
    """The agency filter's <option>s, alphabetical, built in Python: a template
    loop over some 500 agencies was a good part of the plan page's time."""
    names = sorted((r.key["agency__name"], r.key["agency__code"]) for r in rollups)
    return mark_safe(  # noqa: S308 - codes and names are escaped
        "".join(
            f'<option value="{escape(code)}"{" selected" if code == selected else ""}>'
            f"{escape(name)}</option>"
            for name, code in names
        )
    )


@login_required
def home(request):
    """Officers land on their agency's inbox; everyone else on the plan list."""
    if not access.sees_everything(request.user) and access.agency_of(request.user) is not None:
        return redirect("workflow:inbox")
    return redirect("planning:plan_list")


@login_required
def plan_list(request):
    today = timezone.localdate()
    plans = visible_plans(request.user).order_by(*NEWEST_PLANS_FIRST)
    page = Paginator(plans, 25).get_page(request.GET.get("page"))
    rollups = {
        r.key["plan_id"]: r
        for r in Assignment.objects.visible_to(request.user)
        .filter(plan__in=[p.pk for p in page])
        .rollup_by("plan_id", today=today)
    }
    rows = [(plan, rollups.get(plan.pk)) for plan in page]
    return render(request, "planning/plan_list.html", {"page": page, "rows": rows, "today": today})


def _plan_figures(assignments, today) -> dict:
    """The plan's roll-ups: total, per agency (needing attention first), per section."""
    return {
        "total": assignments.rollup(today),
        "by_agency": sorted(
            assignments.rollup_by("agency__code", "agency__name", today=today), key=_attention
        ),
        "by_section": assignments.rollup_by("task__section__code", today=today),
    }


def _plan_scopes(request, pk):
    """A plan's page shows that plan alone (config/caching/generation.py)."""
    try:
        return [("plan", int(pk))]
    except (TypeError, ValueError):
        return None


@login_required
@cached_page(*PLAN_FRAGMENT_PARAMS, scopes=_plan_scopes)
def plan_detail(request, pk):
    """A plan: its roll-ups (total, per agency, per section) and its tasks, filtered.

    Below the plan's header, the page is a function of the plan, what the user
    may see, today, the data generation and the filter/page parameters: it is
    cached as a template fragment under that key, and the roll-ups behind it
    under the same key without the parameters (config/caching/generation.py). The context
    holds lazy values, so a cache hit computes none of them. The agency table
    is paginated, agencies needing attention first.
    """
    today = timezone.localdate()
    plan = cached_visible_plan_or_404(request.user, pk)
    assignments = Assignment.objects.visible_to(request.user).filter(plan=plan)
    key = figures_key(
        "plan",
        visibility_scope(request.user),
        plan.pk,
        today.isoformat(),
        scopes=[("plan", plan.pk)],
    )
    figures = SimpleLazyObject(
        lambda: cached_figures(key, lambda: _plan_figures(assignments, today))
    )

    listing = PLAN_TASKS.read(request.GET, today=today)
    agency_code = listing.values.get("co_quan", "")

    def task_page():
        listed = listing.apply(assignments).select_related("task", "task__section", "agency")
        return Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))

    agency_page = SimpleLazyObject(
        lambda: Paginator(figures["by_agency"], AGENCY_PAGE_SIZE).get_page(
            request.GET.get(AGENCY_PAGE_PARAM)
        )
    )
    context = {
        "plan": plan,
        "today": today,
        "figures_key": key,
        "figures_vary": urlencode(
            [(name, request.GET.get(name, "")) for name in PLAN_FRAGMENT_PARAMS]
        ),
        "total": SimpleLazyObject(lambda: figures["total"]),
        "by_agency": SimpleLazyObject(
            lambda: [
                {
                    "name": r.key["agency__name"],
                    "url": f"?co_quan={r.key['agency__code']}",
                    "rollup": r,
                }
                for r in agency_page.object_list
            ]
        ),
        "agency_page": agency_page,
        "agency_links": SimpleLazyObject(
            lambda: page_links(QueryDict(), agency_page, AGENCY_PAGE_PARAM, "co-quan")
        ),
        "agency_options": lambda: _agency_options(figures["by_agency"], agency_code),
        "by_section": SimpleLazyObject(
            lambda: [
                {"name": r.key["task__section__code"] or "—", "rollup": r}
                for r in figures["by_section"]
            ]
        ),
        "page": SimpleLazyObject(task_page),
        "status_choices": [*Assignment.Status.choices, ("qua_han", "Quá hạn")],
        "listing": listing,
    }
    return render(request, "planning/plan_detail.html", context)


@login_required
@cached_page(scopes=lambda request, pk: [("assignment", pk)])
def assignment_detail(request, pk):
    """One assignment: its facts, the actions panel and the history.

    The rows behind it come from the shared cache while the data are unchanged
    (`planning.records`); who may see them is checked here on every request.
    """
    today = timezone.localdate()
    record = assignment_record(pk)
    if record is None or not may_read_assignment(
        request.user, record.assignment, record.coordinating_ids
    ):
        raise Http404("Không tìm thấy nhiệm vụ.")
    assignment = record.assignment
    context = {
        "record": record,
        "assignment": assignment,
        "task": assignment.task,
        "today": today,
        "coordinating": record.coordinating,
        "events": record.events,
        "days_late": assignment.days_late(today),
        "days_left": assignment.days_left(today),
    }
    return render(request, "planning/assignment_detail.html", context)
