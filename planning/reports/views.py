"""The report pages: the dashboard and its downloads (PDF, Excel, CSV).

Who sees what: coordinators and viewers everything; an officer only the own
agency's assignments (`Assignment.objects.visible_to`), in the dashboard and
in every download; a filter naming a plan or agency the user may not see is an
invalid form, answered with 404 for downloads. Every page runs a constant
number of queries whatever the size of the data.
"""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from html import escape
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

from agencies.access import visibility_scope
from config.caching.generation import cached_figures, figures_key
from config.caching.pages import cached_page
from planning.access import cached_visible_plan
from planning.indicators.tables import indicator_summary
from planning.paging import page_links

from . import charts, forms
from .document import build_report, expected_rows
from .output import CONTENT_TYPES, filename
from .output import render as render_output
from .statistics import as_of_rows, cached_statistics, period_choices, stats_cache_key
from .tables import build_tables, period_table, table_csv
from .tasks import EXTENSIONS, render_report_file, report_dir

LIST_PAGE_SIZE = 25
AGENCY_PAGE_SIZE = 50
AGENCY_PAGE_PARAM = "trang_cq"
FRAGMENT_PARAMS = (
    "ke_hoach",
    "co_quan",
    "muc",
    "ky",
    "ky_bao_cao",
    "so_sanh",
    "ngay",
    "page",
    AGENCY_PAGE_PARAM,
)
CHART_AGENCIES = 10
"""The chart shows this many best and this many worst agencies (all when few)."""
TOKEN = re.compile(r"^[0-9a-f]{32}$")
SESSION_PLAN = "reports_plan"
"""The plan last chosen on the dashboard ("" for every plan), in the session."""


def sync_max_rows() -> int:
    return getattr(settings, "REPORT_SYNC_MAX_ROWS", 1000)


def _options(choices, empty_label: str) -> str:
    """<option>s for a filter, nothing selected (see `_selecting`)."""
    options = [f'<option value="">{escape(empty_label)}</option>']
    options += [
        f'<option value="{escape(str(value))}">{escape(label)}</option>' for value, label in choices
    ]
    return "".join(options)


def _selecting(options: str, value: str) -> SafeString:
    """`options` with the one whose value is `value` selected (the empty one if none)."""
    needle = f'<option value="{escape(value)}">'
    if value and needle in options:
        options = options.replace(needle, f'<option value="{escape(value)}" selected>', 1)
    else:
        options = options.replace('<option value="">', '<option value="" selected>', 1)
    return mark_safe(options)  # noqa: S308 - built by `_options`, every value and label escaped


def _filter_options(request, form) -> dict:
    """The plan and agency <select>s' options, written here (the form widget's
    template rendering cost ~20 ms for 600 agencies) and kept in the shared
    cache under the user's visibility scope and the data generation."""

    def build() -> dict:
        plans = form.fields["ke_hoach"].queryset.values_list("pk", "number")
        agencies = form.fields["co_quan"].queryset.values_list("code", "name")
        return {
            "plans": _options(((pk, f"Kế hoạch {n}") for pk, n in plans), "Tất cả kế hoạch"),
            "agencies": _options(agencies, "Tất cả cơ quan"),
        }

    options = cached_figures(figures_key("report-filters", visibility_scope(request.user)), build)
    return {
        "plan_options": _selecting(options["plans"], form.data.get("ke_hoach") or ""),
        "agency_options": _selecting(options["agencies"], form.data.get("co_quan") or ""),
    }


def _usable_choice(user, value) -> bool:
    """Every plan (""), or a plan the user may see now (it may have become a draft)."""
    return value == "" or cached_visible_plan(user, value) is not None


def remembers_plan(view):
    """The dashboard opens on the plan the user chose last.

    1. A request naming `ke_hoach` stores it in the session, only when it
       changed (a session write is a query) and only when usable.
    2. A request without it is redirected to the same page with the stored
       choice, so the page and its cache key (config/caching/pages.py, which
       knows nothing of sessions) always name the plan shown. With no choice
       stored, the form picks the default plan (`forms.bind`).
    Outside `cached_page`, so that a page served from the cache still counts
    as a choice.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        chosen = request.GET.get("ke_hoach")
        stored = request.session.get(SESSION_PLAN)
        if chosen is not None:
            if chosen != stored and _usable_choice(request.user, chosen):
                request.session[SESSION_PLAN] = chosen
        elif stored is not None:
            if _usable_choice(request.user, stored):
                query = request.GET.copy()
                query["ke_hoach"] = stored
                return redirect(f"{request.path}?{query.urlencode()}")
            del request.session[SESSION_PLAN]
        return view(request, *args, **kwargs)

    return wrapper


@login_required
@remembers_plan
@cached_page(*FRAGMENT_PARAMS)
def dashboard(request):
    """The figures as of a date, for what the user may see.

    Below the page's header, the dashboard is a function of the filter and
    page parameters, today's date, the user's visibility scope and the data
    generation: the view keeps it drawn in the shared cache under those
    (`figures_key`, config/caching/generation.py), so a hit binds no form and computes
    nothing. The aggregates behind it are cached too (`cached_statistics`),
    so paging through the lists does not recompute them. The agency ranking
    is paginated (AGENCY_PAGE_SIZE rows) and its chart shows the best and the
    worst agencies, so the page stays small whatever the number of agencies;
    the PDF and Excel downloads keep every agency.
    """
    key = figures_key(
        "dashboard-body",
        visibility_scope(request.user),
        timezone.localdate().isoformat(),
        _parameters_digest(request),
    )
    body = cached_figures(
        key,
        lambda: render_to_string(
            "reports/_dashboard_body.html", _dashboard_context(request), request=request
        ),
    )
    body = mark_safe(body)  # noqa: S308 - drawn by our template, which escapes
    return render(request, "reports/dashboard.html", {"body": body})


def _parameters_digest(request) -> str:
    """The parameters the body depends on, not any query string a visitor makes
    up (each would be a new entry), hashed to keep keys short."""
    params = urlencode([(name, request.GET.get(name, "")) for name in FRAGMENT_PARAMS])
    params += "&default" if "ke_hoach" not in request.GET else ""  # absent: the default plan
    return hashlib.sha256(params.encode()).hexdigest()[:32]


def _dashboard_context(request) -> dict:
    form = forms.bind(request.GET, user=request.user)
    context = {"form": form, **_filter_options(request, form)}
    if form.is_valid():
        filters = form.filters()
        key = stats_cache_key(request.user, filters)
        stats = SimpleLazyObject(lambda: cached_statistics(request.user, filters, key))
        query = request.GET.copy()
        query.pop("page", None)
        query.pop(AGENCY_PAGE_PARAM, None)
        if "ke_hoach" not in query and filters.plan is not None:
            query["ke_hoach"] = str(filters.plan.pk)

        def overdue_page():
            paginator = Paginator(stats.overdue, LIST_PAGE_SIZE)
            paginator.count = stats.total.rollup.open_overdue  # the same Q, already counted
            page = paginator.get_page(request.GET.get("page"))
            page.object_list = as_of_rows(page.object_list, filters.as_of)
            return page

        agency_page = SimpleLazyObject(
            lambda: Paginator(stats.by_agency, AGENCY_PAGE_SIZE).get_page(
                request.GET.get(AGENCY_PAGE_PARAM)
            )
        )
        context.update(
            filters=filters,
            stats=stats,
            total=SimpleLazyObject(lambda: stats.total),
            overdue_page=SimpleLazyObject(overdue_page),
            extended=SimpleLazyObject(
                lambda: as_of_rows(stats.extended[:LIST_PAGE_SIZE], filters.as_of)
            ),
            # Callables: the template calls them only when drawing the fragment.
            extended_more=lambda: stats.total.rollup.extended > LIST_PAGE_SIZE,
            agency_page=agency_page,
            agency_links=SimpleLazyObject(
                lambda: page_links(query, agency_page, AGENCY_PAGE_PARAM, "xep-hang")
            ),
            agency_rank_start=lambda: agency_page.start_index() if stats.by_agency else 1,
            agency_chart=lambda: charts.agency_extremes(
                stats.by_agency,
                shown=CHART_AGENCIES,
                title="Kết quả thực hiện theo cơ quan chủ trì",
            ),
            month_chart=lambda: charts.completion_over_time(
                stats.months, title="Tiến độ hoàn thành theo tháng (lũy kế)"
            ),
            # The plan's indicators (planning/indicators/_dashboard_summary.html).
            indicator_summary=lambda: (
                indicator_summary(filters.plan, filters.as_of, user=request.user)
                if filters.plan is not None
                else []
            ),
            query=query.urlencode(),
            period_options=period_choices(
                filters.plan.year if filters.plan else filters.as_of.year
            ),
            reporting_options=forms.reporting_choices(
                filters.plan.year if filters.plan else filters.as_of.year
            ),
            period_table=SimpleLazyObject(lambda: period_table(stats)),
        )
    return context


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
    """One of the workbook's tables, with its Vietnamese headers and columns:
    ?bang=tong-hop (the default, "Theo cơ quan"), theo-muc, qua-han, gia-han, and
    ky-bao-cao with a reporting period."""
    form = _report_or_404(request)
    report = build_report(user=request.user, filters=form.filters())
    slug = request.GET.get("bang") or "tong-hop"
    table = next((t for t in build_tables(report) if t.slug == slug), None)
    if table is None:
        raise Http404("Không có bảng này.")
    text = table_csv(table)
    suffix = "" if slug == "tong-hop" else slug
    return _download(("\ufeff" + text).encode("utf-8"), "csv", filename(report, "csv", suffix))


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
