"""The audit trail's page and its CSV: coordinators only; everyone else gets a 404,
as for any page they may not see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agencies import access

from ..formatting import spreadsheet_safe
from ..spreadsheets.writers import CONTENT_TYPES, write_csv
from .trail import CSV_HEADERS, NOBODY, TrailFilter, csv_rows, describe

PAGE_SIZE = 50


def _coordinator_only(request) -> None:
    if not access.is_coordinator(request.user):
        raise Http404


@login_required
def trail(request):
    _coordinator_only(request)
    form = TrailFilter(request.GET)
    page = Paginator(form.entries(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": describe(page.object_list),
        "nobody": NOBODY,
        "csv_query": query.urlencode(),
    }
    return render(request, "planning/audit/trail.html", context)


@login_required
def trail_csv(request):
    _coordinator_only(request)
    form = TrailFilter(request.GET)
    rows = ([spreadsheet_safe(cell) for cell in row] for row in csv_rows(form.entries()))
    response = HttpResponse(write_csv(CSV_HEADERS, rows), content_type=CONTENT_TYPES["csv"])
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-thay-doi-{stamp}.csv"'
    return response
