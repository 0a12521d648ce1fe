"""The plan's "Chỉ tiêu" page, entering a result, reviewing an agency's value.

Views fetch through `planning.indicators.access` (404 for what the user may
not see or change), call one service, and redirect or render.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from agencies import access as roles
from planning.uploads import evidence_response

from .access import (
    get_enterable_indicator_or_404,
    get_indicator_plan_or_404,
    get_readable_result_or_404,
    get_reviewable_result_or_404,
)
from .charts import area_charts
from .forms import ResultForm, ResultsUploadForm, ReviewForm, TaskLinksForm
from .importing import import_results
from .links import attach_work, confirm_links, propose_links
from .models import IndicatorResult
from .services import ResultLocked, record_result, review_result
from .tables import indicator_tables

IMPORT_SALT = "indicators.import_results"


def _as_of(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def plan_indicators(request, pk):
    """The tree of a plan's indicators as of a day (?ngay=YYYY-MM-DD, default today)."""
    plan = get_indicator_plan_or_404(request.user, pk)
    as_of = _as_of(request)
    coordinator = roles.is_coordinator(request.user)
    tables = indicator_tables(plan, as_of, user=request.user)
    attach_work(tables, plan, as_of, user=request.user)
    pending = []
    if coordinator:
        pending = IndicatorResult.objects.filter(
            indicator__indicator_set__plan=plan, status=IndicatorResult.Status.SUBMITTED
        ).select_related("indicator", "indicator__lead", "entered_by")
    context = {
        "plan": plan,
        "as_of": as_of,
        "tables": tables,
        "sections": [(t, area_charts(t)) for t in tables],
        "pending": pending,
        "can_enter": coordinator or not roles.sees_everything(request.user),
        "coordinator": coordinator,
    }
    return render(request, "planning/indicators/plan_indicators.html", context)


@login_required
def enter_result(request, pk):
    indicator = get_enterable_indicator_or_404(request.user, pk)
    plan = indicator.indicator_set.plan
    coordinator = roles.is_coordinator(request.user)
    form = ResultForm(
        request.POST or None,
        request.FILES or None,
        evidence_required=not coordinator,
        indicator=indicator,
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_result(
                indicator=indicator,
                period_end=form.cleaned_data["period_end"],
                value=form.cleaned_data["value"],
                evidence=form.cleaned_data["evidence"],
                file=form.cleaned_data["file"],
                sniffed=form.sniffed,
                by=request.user,
            )
        except ResultLocked:
            form.add_error(
                None, "Kết quả kỳ này đã được duyệt; vui lòng liên hệ Sở Nội vụ nếu cần sửa."
            )
        else:
            messages.success(
                request,
                "Đã ghi kết quả."
                if coordinator
                else "Đã gửi kết quả; Sở Nội vụ sẽ xem xét và duyệt.",
            )
            return redirect("indicators:plan_indicators", plan.pk)
    recent = indicator.results.select_related("entered_by").prefetch_related("events__by")[:10]
    return render(
        request,
        "planning/indicators/enter_result.html",
        {"indicator": indicator, "plan": plan, "form": form, "recent": recent},
    )


@login_required
def evidence_download(request, pk):
    """A result's evidence file, for whoever may read that criterion (else 404)."""
    return evidence_response(get_readable_result_or_404(request.user, pk))


@login_required
@require_POST
def review(request, pk):
    result = get_reviewable_result_or_404(request.user, pk)
    plan = result.indicator.indicator_set.plan
    form = ReviewForm(request.POST)
    if form.is_valid():
        review_result(
            result=result,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
        messages.success(request, "Đã ghi ý kiến duyệt.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("indicators:plan_indicators", plan.pk)


@login_required
def import_results_page(request, pk):
    """Upload a sheet of published results, see the preview, confirm: all or nothing.

    The preview hands the checked rows back signed (django.core.signing), so the
    confirm step saves exactly what was previewed and nobody can alter it.
    """
    plan = get_indicator_plan_or_404(request.user, pk)
    if not roles.is_coordinator(request.user):
        raise Http404("Không tìm thấy trang.")
    form = ResultsUploadForm(request.POST or None, request.FILES or None)
    preview = None
    token = ""
    if request.method == "POST" and "xac_nhan" in request.POST:
        try:
            rows = signing.loads(request.POST["xac_nhan"], salt=IMPORT_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, "Bản xem trước đã hết hạn; vui lòng tải tệp lên lại.")
            return redirect("indicators:import_results", plan.pk)
        done = import_results(plan=plan, rows=rows, by=request.user, dry_run=False)
        if done.saved:
            messages.success(request, f"Đã nhập {len(done.rows)} kết quả.")
            return redirect("indicators:plan_indicators", plan.pk)
        preview = done
    elif request.method == "POST" and form.is_valid():
        rows = form.cleaned_data["rows"]
        preview = import_results(plan=plan, rows=rows, by=request.user, dry_run=True)
        if not preview.errors:
            token = signing.dumps(rows, salt=IMPORT_SALT)
    return render(
        request,
        "planning/indicators/import_results.html",
        {"plan": plan, "form": form, "preview": preview, "token": token},
    )


@login_required
def task_links(request, pk):
    """The coordinator's page of tasks and the criteria they serve: the rule's
    proposals with their reasons, kept or removed, and criteria added by code."""
    plan = get_indicator_plan_or_404(request.user, pk)
    if not roles.is_coordinator(request.user):
        raise Http404("Không tìm thấy trang.")
    if request.method == "POST" and "de_xuat" in request.POST:
        waiting = propose_links(plan=plan)
        messages.success(request, f"Đã đề xuất {waiting} liên kết chờ xác nhận.")
        return redirect("indicators:task_links", plan.pk)
    form = TaskLinksForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        confirm_links(plan=plan, kept=form.cleaned_data["kept"], added=form.cleaned_data["added"])
        messages.success(request, "Đã lưu các nhiệm vụ phục vụ chỉ tiêu.")
        return redirect("indicators:task_links", plan.pk)
    return render(request, "planning/indicators/task_links.html", {"plan": plan, "form": form})
