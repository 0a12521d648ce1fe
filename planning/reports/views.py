"""The report pages: the dashboard and its downloads (PDF, Excel, CSV).

Who sees what: coordinators and viewers everything; an officer only the own
agency's assignments (`Assignment.objects.visible_to`), in the dashboard and
in every download; a filter naming a plan or agency the user may not see is an
invalid form, answered with 404 for downloads. Every page runs a constant
number of queries whatever the size of the data.
"""

from __future__ import annotations

import re
import uuid
from html import escape

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from planning.paging import page_links

from . import charts, forms
from .document import build_report, expected_rows
from .output import CONTENT_TYPES, filename
from .output import render as render_output
from .statistics import as_of_rows, cached_statistics, period_choices
from .tables import build_tables, table_csv
from .tasks import EXTENSIONS, render_report_file, report_dir

LIST_PAGE_SIZE = 25
AGENCY_PAGE_SIZE = 50
AGENCY_PAGE_PARAM = "trang_cq"
CHART_AGENCIES = 10
"""The chart shows this many best and this many worst agencies (all when few)."""
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def sync_max_rows() -> int:
    return getattr(settings, "REPORT_SYNC_MAX_ROWS", 1000)


def _agency_options(form) -> SafeString:
    """The agency filter's <option>s, built here: the form widget's template
    rendering costs ~20 ms for 600 agencies, on every dashboard view."""
    selected = form.data.get("co_quan") or ""
    agencies = form.fields["co_quan"].queryset.values_list("code", "name")
    options = [f'<option value=""{_sel(not selected)}>Tất cả cơ quan</option>']
    options += [
        f'<option value="{escape(code)}"{_sel(code == selected)}>{escape(name)}</option>'
        for code, name in agencies
    ]
    return mark_safe("".join(options))  # noqa: S308 - codes and names are escaped


def _sel(selected: bool) -> str:
    return " selected" if selected else ""


@login_required
def dashboard(request):
    """The figures as of a date, for what the user may see.

    The aggregates come from the shared cache (`cached_statistics`: keyed by
    filters, date, visibility and data generation); the agency ranking is
    paginated (AGENCY_PAGE_SIZE rows) and its chart shows the best and the
    worst agencies, so the page stays small whatever the number of agencies;
    the PDF and Excel downloads keep every agency.
    """
    form = forms.bind(request.GET, user=request.user)
    context = {"form": form, "agency_options": _agency_options(form)}
    if form.is_valid():
        filters = form.filters()
        stats = cached_statistics(request.user, filters)
        overdue_paginator = Paginator(stats.overdue, LIST_PAGE_SIZE)
        overdue_paginator.count = stats.total.rollup.open_overdue  # the same Q, already counted
        overdue_page = overdue_paginator.get_page(request.GET.get("page"))
        overdue_page.object_list = as_of_rows(overdue_page.object_list, filters.as_of)
        extended = as_of_rows(stats.extended[:LIST_PAGE_SIZE], filters.as_of)
        agency_page = Paginator(stats.by_agency, AGENCY_PAGE_SIZE).get_page(
            request.GET.get(AGENCY_PAGE_PARAM)
        )
        query = request.GET.copy()
        query.pop("page", None)
        query.pop(AGENCY_PAGE_PARAM, None)
        if "ke_hoach" not in query and filters.plan is not None:
            query["ke_hoach"] = str(filters.plan.pk)
        context.update(
            filters=filters,
            stats=stats,
            total=stats.total,
            overdue_page=overdue_page,
            extended=extended,
            extended_more=stats.total.rollup.extended > len(extended),
            agency_page=agency_page,
            agency_links=page_links(request, agency_page, AGENCY_PAGE_PARAM, "xep-hang"),
            agency_rank_start=agency_page.start_index() if stats.by_agency else 1,
            agency_chart=charts.agency_extremes(
                stats.by_agency,
                shown=CHART_AGENCIES,
                title="Kết quả thực hiện theo cơ quan chủ trì",
            ),
            month_chart=charts.completion_over_time(
                stats.months, title="Tiến độ hoàn thành theo tháng (lũy kế)"
            ),
            query=query.urlencode(),
            period_options=period_choices(
                filters.plan.year if filters.plan else filters.as_of.year
            ),
        )
    return render(request, "reports/dashboard.html", context)


def _report_or_404(request):
    form = forms.bind(request.GET, user=request.user)
    if not form.is_valid():
        raise Http404("Bộ lọc báo cáo không hợp lệ.")
    return form


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_pdf(request):
    """Rendered now when short; queued (django-q2) when longer than REPORT_SYNC_MAX_ROWS."""
    form = _report_or_404(request)
    filters = form.filters()
    if expected_rows(user=request.user, filters=filters) > sync_max_rows():
        from django_q.tasks import async_task

        token = uuid.uuid4().hex
        async_task(render_report_file, request.user.pk, request.GET.urlencode(), "pdf", token)
        return render(request, "reports/queued.html", {"token": token, "fmt": "pdf"}, status=202)
    report = build_report(user=request.user, filters=filters)
    return _download(render_output(report, "pdf"), "pdf", filename(report, "pdf"))


@login_required
def report_xlsx(request):
    form = _report_or_404(request)
    report = build_report(user=request.user, filters=form.filters())
    return _download(render_output(report, "xlsx"), "xlsx", filename(report, "xlsx"))


@login_required
def report_csv(request):
    """?bang=tong-hop (default: the summary contract of the command), or one of
    the workbook's tables with Vietnamese headers: theo-muc, qua-han, gia-han."""
    form = _report_or_404(request)
    report = build_report(user=request.user, filters=form.filters())
    slug = request.GET.get("bang", "")
    if not slug:
        text = render_output(report, "csv").decode("utf-8")
    else:
        table = next((t for t in build_tables(report) if t.slug == slug), None)
        if table is None:
            raise Http404("Không có bảng này.")
        text = table_csv(table)
    return _download(("\ufeff" + text).encode("utf-8"), "csv", filename(report, "csv", slug))


@login_required
def report_file(request, token: str, fmt: str):
    """A queued report, from the requesting user's own folder only."""
    if not TOKEN.match(token) or fmt not in EXTENSIONS:
        raise Http404
    path = report_dir(request.user.pk) / f"{token}.{fmt}"
    if not path.exists():
        return render(request, "reports/queued.html", {"token": token, "fmt": fmt}, status=202)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"bao-cao-{token[:8]}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
