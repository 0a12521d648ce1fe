"""Plan documents in: upload or paste, review the draft, confirm.

Coordinators only; everyone else gets 404. A long file is read in the queue
(`tasks.draft_task`) while the job page shows progress. The draft is kept in the session
(JSON) between requests, so nothing reaches the database until "Xác nhận lưu",
which saves the plan, the agencies the reviewer accepted, its tasks and
assignments in one transaction (`planning.parsing.importing.save_plan`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render

from agencies import access
from agencies.matching import AgencyDirectory
from agencies.models import Agency

from ... import jobs
from ...indicators.prose import ProseTarget
from ..importing import PlanExists, ReviewedRow, save_plan
from . import tasks
from .forms import (
    NEW_PREFIX,
    PlanHeaderForm,
    RowFormSet,
    UploadForm,
    agency_choices,
    draft_from_text,
)

DRAFT_KEY = "plan_import_draft"
ROW_FIELDS = [
    "line",
    "section",
    "section_title",
    "title",
    "agency",
    "due_text",
    "due_date",
    "coordination",
    "deliverable",
    "warnings",
]


def kept_targets(draft: dict, kept: list[str]) -> list[ProseTarget]:
    """The measured targets the reviewer left ticked (by their place in the draft)."""
    proposed = draft.get("measured", [])
    return [
        ProseTarget.from_json(proposed[int(n)])
        for n in sorted({n for n in kept if n.isdigit() and int(n) < len(proposed)}, key=int)
    ]


def _require_coordinator(user) -> None:
    if not access.is_coordinator(user):
        raise Http404


@login_required
def upload(request):
    _require_coordinator(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["plan_text"] is None:
            job_id = jobs.create_job(
                user=request.user,
                task=tasks.TASK,
                content=data["queued_file"],
                total=tasks.STEPS,
                name=data["file"].name if data.get("file") else "van-ban-dan.txt",
                year=data.get("year"),
            )
            jobs.start(job_id, inline=False)
            return redirect("plan_import:job", job_id=job_id)
        request.session[DRAFT_KEY] = draft_from_text(data["plan_text"], year=data.get("year"))
        return redirect("plan_import:review")
    return render(request, "planning/review/upload.html", {"form": form})


def _job_or_404(request, job_id) -> dict:
    _require_coordinator(request.user)
    state = jobs.get_job(job_id, user=request.user)
    if state is None or state["task"] != tasks.TASK:
        raise Http404
    return state


@login_required
def job(request, job_id):
    """Progress while the queue reads the file; then the review page (or the upload
    page with the reason the file was refused)."""
    state = _job_or_404(request, job_id)
    if state["state"] != "done":
        return render(request, "planning/review/job.html", {"job": state})
    result = state["result"]
    if "error" in result:
        messages.error(request, result["error"])
        return redirect("plan_import:upload")
    request.session[DRAFT_KEY] = result["draft"]
    return redirect("plan_import:review")


@login_required
def job_progress(request, job_id):
    return JsonResponse(jobs.progress_of(_job_or_404(request, job_id)))


def _posted_rows(formset) -> list[dict]:
    """The rows as the reviewer left them (valid or not), without the removed ones."""
    rows = []
    for form in formset.forms:
        if form["DELETE"].value():
            continue
        rows.append({name: form[name].value() or "" for name in ROW_FIELDS})
    return rows


def _reviewed_rows(formset) -> list[ReviewedRow]:
    ids = [
        int(f.cleaned_data["agency"])
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
        if not f.cleaned_data["agency"].startswith(NEW_PREFIX)
    ]
    agencies = Agency.objects.in_bulk(ids)
    directory = AgencyDirectory()
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        choice = data["agency"]
        is_new = choice.startswith(NEW_PREFIX)
        coordination = data.get("coordination") or ""
        coordinating = [
            a for a in (directory.resolve(n) for n in coordination.split(";") if n.strip()) if a
        ]
        rows.append(
            ReviewedRow(
                title=data["title"],
                agency=None if is_new else agencies.get(int(choice)),
                new_agency_name=choice[len(NEW_PREFIX) :] if is_new else "",
                section=data.get("section") or "",
                section_title=data.get("section_title") or "",
                due_text=data.get("due_text") or "",
                due_date=data.get("due_date"),
                line=data.get("line"),
                coordinating=coordinating,
                coordination_text=coordination,
                deliverable=data.get("deliverable") or "",
            )
        )
    return rows


@login_required
def review(request):
    _require_coordinator(request.user)
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        messages.info(request, "Chưa có bản nháp: hãy tải lên hoặc dán văn bản kế hoạch.")
        return redirect("plan_import:upload")
    if request.method == "POST":
        header_form = PlanHeaderForm(request.POST, prefix="plan")
        formset = RowFormSet(
            request.POST, prefix="rows", form_kwargs={"choices": agency_choices(draft["rows"])}
        )
        action = request.POST.get("action")
        if action == "cancel":
            request.session.pop(DRAFT_KEY, None)
            messages.info(request, "Đã hủy bản nháp; chưa có gì được lưu.")
            return redirect("plan_import:upload")
        if action == "add":
            draft["header"] = {k: header_form[k].value() or "" for k in header_form.fields}
            draft["rows"] = [*_posted_rows(formset), {"warnings": "Dòng thêm tay."}]
            draft["kept"] = request.POST.getlist("giu_chi_tieu")
            request.session[DRAFT_KEY] = draft
            return redirect("plan_import:review")
        if header_form.is_valid() and formset.is_valid():
            header = header_form.cleaned_data
            rows = _reviewed_rows(formset)
            if not rows:
                messages.error(request, "Bản nháp không còn nhiệm vụ nào để lưu.")
            else:
                try:
                    plan = save_plan(
                        **header,
                        rows=rows,
                        source_text=draft.get("text", ""),
                        actor=request.user,
                        measured=kept_targets(draft, request.POST.getlist("giu_chi_tieu")),
                    )
                except PlanExists as exc:
                    header_form.add_error(None, str(exc))
                else:
                    request.session.pop(DRAFT_KEY, None)
                    messages.success(
                        request,
                        f"Đã lưu kế hoạch {plan.number}: {plan.tasks.count()} nhiệm vụ, "
                        f"{plan.assignments.count()} lượt giao việc.",
                    )
                    return redirect(plan.get_absolute_url())
    else:
        header_form = PlanHeaderForm(initial=draft["header"], prefix="plan")
        formset = RowFormSet(
            initial=draft["rows"],
            prefix="rows",
            form_kwargs={"choices": agency_choices(draft["rows"])},
        )
    return render(
        request,
        "planning/review/review.html",
        {
            "header_form": header_form,
            "formset": formset,
            "warnings": draft.get("warnings", []),
            "indicator_warnings": draft.get("indicator_warnings", []),
            "measured": draft.get("measured", []),
            "kept": set(
                request.POST.getlist("giu_chi_tieu")
                if request.method == "POST"
                else draft.get("kept", [str(n) for n in range(len(draft.get("measured", [])))])
            ),
            "row_count": len(formset.forms),
        },
    )
