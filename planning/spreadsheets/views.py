"""Spreadsheet pages: export for everyone who can see assignments; import for coordinators.

Import is upload → preview (a dry run: counts and every problem) → confirm (the
same file, saved in one transaction). Non-coordinators get 404 on every import
URL, and a job is only visible to the user who started it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from agencies import access
from planning.access import get_plan_or_404, visible_plans
from planning.jobs import progress_of
from planning.models import Assignment

from . import jobs, writers
from .columns import COLUMNS
from .forms import ConfirmForm, UploadForm
from .resources import AssignmentResource
from .services import ImportReport


def _coordinator_or_404(user) -> None:
    if not access.is_coordinator(user):
        raise Http404


def export_rows(queryset):
    """(headers, rows) of the tracker sheet for these assignments."""
    resource = AssignmentResource()
    dataset = resource.export(AssignmentResource.export_queryset(queryset))
    return COLUMNS, [list(row) for row in dataset]


@login_required
def index(request):
    plans = visible_plans(request.user).order_by("-year", "number")
    return render(
        request,
        "planning/spreadsheets/index.html",
        {"plans": plans, "can_import": access.is_coordinator(request.user)},
    )


@login_required
def export(request, fmt):
    """The user's visible assignments (of one plan with ?ke_hoach=pk) as CSV or XLSX."""
    queryset = Assignment.objects.visible_to(request.user)
    stem = "nhiem-vu"
    if request.GET.get("ke_hoach"):
        plan = get_plan_or_404(request.user, request.GET["ke_hoach"])
        queryset = queryset.filter(plan=plan)
        stem = f"nhiem-vu-{slugify(plan.number)}-{plan.year}"
    headers, rows = export_rows(queryset)
    response = HttpResponse(
        writers.write(fmt, headers, rows), content_type=writers.CONTENT_TYPES[fmt]
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{fmt}"'
    return response


@login_required
def template(request, fmt):
    response = HttpResponse(writers.template(fmt), content_type=writers.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-nhiem-vu.{fmt}"'
    return response


@login_required
def upload(request):
    _coordinator_or_404(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job_id = jobs.create_job(
            user=request.user,
            name=form.cleaned_data["file"].name,
            content=form.cleaned_data["content"],
            rows=form.cleaned_data["rows"],
            dry_run=True,
            allow_new_plans=True,
        )
        jobs.start(job_id)
        return redirect("spreadsheets:job", job_id=job_id)
    return render(request, "planning/spreadsheets/upload.html", {"form": form})


def _job_or_404(request, job_id) -> dict:
    _coordinator_or_404(request.user)
    state = jobs.get_job(job_id, user=request.user)
    if state is None:
        raise Http404
    return state


def _report_of(state: dict) -> ImportReport | None:
    return ImportReport.from_dict(state["result"]) if state["result"] else None


@login_required
def job(request, job_id):
    state = _job_or_404(request, job_id)
    report = _report_of(state)
    form = ConfirmForm(new_plans=report.new_plans) if report and state["dry_run"] else None
    return render(
        request, "planning/spreadsheets/job.html", {"job": state, "report": report, "form": form}
    )


@login_required
def job_progress(request, job_id):
    state = _job_or_404(request, job_id)
    return JsonResponse(progress_of(state))


@login_required
@require_POST
def confirm(request, job_id):
    state = _job_or_404(request, job_id)
    report = _report_of(state)
    if report is None:
        raise Http404
    form = ConfirmForm(request.POST, new_plans=report.new_plans)
    if not form.is_valid():
        return render(
            request,
            "planning/spreadsheets/job.html",
            {"job": state, "report": report, "form": form},
        )
    new_id = jobs.copy_job_for_confirm(
        job_id, user=request.user, new_plans=form.cleaned_data["new_plans"]
    )
    if new_id is None:
        raise Http404
    jobs.start(new_id)
    return redirect("spreadsheets:job", job_id=new_id)
