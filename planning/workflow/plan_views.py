"""Pages that change a plan: its sections and tasks ("Mục và nhiệm vụ"), a task's
text, deadline and agencies, and moving many assignments to another lead agency.

Coordinators only: a plan the user may not see is a 404 (`get_plan_or_404`),
a plan they may see but not change is a 403. Each view validates a form and
calls one function of `editing` (or `services`); a `WorkflowError` is shown
as it is. A due phrase is saved only after its date was shown (plan_forms.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from agencies import access
from agencies.models import Agency

from ..access import get_plan_or_404
from ..models import Assignment, Plan, Section, Task
from . import editing
from . import services as workflow
from .forms import BulkAgencyForm, WithdrawForm
from .plan_forms import (
    LeadAgencyForm,
    SectionForm,
    TaskAddForm,
    TaskDueForm,
    TaskEditForm,
    TaskRemoveForm,
)
from .views import _form_errors, act, report_bulk

TASKS_SHOWN = 50


def _editable_plan(request, pk) -> Plan:
    plan = get_plan_or_404(request.user, pk)
    if not access.is_coordinator(request.user):
        raise PermissionDenied
    return plan


def _task(request, pk) -> Task:
    task = get_object_or_404(Task.objects.select_related("plan", "section"), pk=pk)
    _editable_plan(request, task.plan_id)
    return task


def _tasks_url(plan: Plan) -> str:
    return reverse("workflow:plan_tasks", args=[plan.pk])


def _task_url(task: Task) -> str:
    return reverse("workflow:task_edit", args=[task.pk])


def _run(request, action, success: str) -> bool:
    try:
        action()
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


@login_required
def plan_tasks(request, pk):
    """The plan's sections and tasks, each task with its lead agencies.

    A page of TASKS_SHOWN tasks; four queries whatever the plan's size (plan,
    sections, the page count and tasks, their assignments with agencies).
    """
    plan = _editable_plan(request, pk)
    assignments = Assignment.objects.select_related("agency").order_by("agency__name", "period")
    tasks = (
        plan.tasks.select_related("section")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .order_by("section__order", "order", "pk")
    )
    page = Paginator(tasks, TASKS_SHOWN).get_page(request.GET.get("page"))
    for task in page.object_list:
        task.leads = list(task.assignments.all())
        task.removed = bool(task.leads) and all(a.status == "withdrawn" for a in task.leads)
    return render(
        request,
        "planning/workflow/plan_tasks.html",
        {
            "plan": plan,
            "sections": list(plan.sections.order_by("order", "code")),
            "page": page,
            "section_form": SectionForm(),
        },
    )


# --- Sections -----------------------------------------------------------------------


@login_required
@require_POST
def section_add(request, pk):
    plan = _editable_plan(request, pk)
    return act(
        request,
        _tasks_url(plan),
        SectionForm(request.POST),
        lambda data: editing.add_section(
            plan=plan, actor=request.user, code=data["code"], title=data["title"]
        ),
        lambda data: f"Đã thêm mục {data['code']}.",
    )


@login_required
def section_edit(request, pk):
    section = get_object_or_404(Section.objects.select_related("plan"), pk=pk)
    plan = _editable_plan(request, section.plan_id)
    form = SectionForm(request.POST or None, initial={"code": section.code, "title": section.title})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            lambda: editing.update_section(
                section=section, actor=request.user, code=data["code"], title=data["title"]
            ),
            "Đã lưu mục.",
        )
        if done:
            return redirect(_tasks_url(plan))
    return render(
        request,
        "planning/workflow/section_form.html",
        {"plan": plan, "section": section, "form": form},
    )


@login_required
@require_POST
def section_remove(request, pk):
    section = get_object_or_404(Section.objects.select_related("plan"), pk=pk)
    plan = _editable_plan(request, section.plan_id)
    _run(
        request,
        lambda: editing.remove_section(section=section, actor=request.user),
        f"Đã xóa mục {section.code}.",
    )
    return redirect(_tasks_url(plan))


# --- Tasks --------------------------------------------------------------------------


@login_required
def task_add(request, pk):
    """A new task; the due date is shown, then saved (a second "Lưu")."""
    plan = _editable_plan(request, pk)
    form = TaskAddForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.confirmed:
        data = form.cleaned_data
        try:
            task = editing.add_task(
                plan=plan,
                actor=request.user,
                title=data["title"],
                due=form.due,
                lead_agencies=data["lead_agencies"],
                section=data["section"],
                deliverable=data["deliverable"],
                coordinating_agencies=data["coordinating_agencies"],
                coordination_text=data["coordination_text"],
            )
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            count = task.assignments.count()
            messages.success(request, f"Đã thêm nhiệm vụ: {count} nhiệm vụ được giao.")
            return redirect(_tasks_url(plan))
    return render(request, "planning/workflow/task_add.html", {"plan": plan, "form": form})


@login_required
def task_edit(request, pk):
    """A task's words, section and coordinating agencies; beside them its deadline
    (`task_due`), its lead agencies (add, withdraw) and its removal."""
    task = _task(request, pk)
    form = TaskEditForm.for_task(task, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save():
            editing.update_task(
                task=task,
                actor=request.user,
                title=data["title"],
                section=data["section"],
                deliverable=data["deliverable"],
                coordination_text=data["coordination_text"],
            )
            editing.set_coordinating_agencies(
                task=task, actor=request.user, agencies=data["coordinating_agencies"]
            )

        if _run(request, save, "Đã lưu nhiệm vụ."):
            return redirect(_task_url(task))
    return _task_page(request, task, form=form)


def _task_page(request, task: Task, *, form=None, due_form=None):
    leads = list(task.assignments.select_related("agency").order_by("agency__name", "period"))
    for a in leads:
        a.task = task
    return render(
        request,
        "planning/workflow/task_edit.html",
        {
            "plan": task.plan,
            "task": task,
            "form": form or TaskEditForm.for_task(task),
            "due_form": due_form
            or TaskDueForm(initial={"due_text": task.due_text}, plan=task.plan),
            "leads": leads,
            "lead_form": LeadAgencyForm(),
            "has_history": editing.task_has_history(task),
        },
    )


@login_required
@require_POST
def task_due(request, pk):
    task = _task(request, pk)
    form = TaskDueForm(request.POST, plan=task.plan)
    if form.confirmed:
        done = _run(
            request,
            lambda: editing.change_task_due(
                task=task, actor=request.user, due=form.due, reason=form.cleaned_data["reason"]
            ),
            f"Đã đổi thời hạn: {form.due.label}.",
        )
        if done:
            return redirect(_task_url(task))
    return _task_page(request, task, due_form=form)


@login_required
@require_POST
def task_lead_add(request, pk):
    task = _task(request, pk)
    return act(
        request,
        _task_url(task),
        LeadAgencyForm(request.POST),
        lambda data: editing.add_lead_agency(task=task, actor=request.user, agency=data["agency"]),
        lambda data: f"Đã giao nhiệm vụ cho {data['agency'].name}.",
    )


@login_required
@require_POST
def task_lead_remove(request, pk, assignment_pk):
    """Withdraw one lead agency's assignment (its history stays)."""
    task = _task(request, pk)
    assignment = get_object_or_404(task.assignments.select_related("agency"), pk=assignment_pk)
    return act(
        request,
        _task_url(task),
        WithdrawForm(request.POST),
        lambda data: workflow.withdraw_assignment(
            assignment=assignment,
            actor=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        f"Đã rút nhiệm vụ của {assignment.agency.name} (lịch sử vẫn được giữ).",
    )


@login_required
def task_remove(request, pk):
    task = _task(request, pk)
    needs_reason = editing.task_has_history(task)
    data = request.POST if request.method == "POST" else None  # an empty POST is an answer
    form = TaskRemoveForm(data, needs_reason=needs_reason)
    if request.method == "POST" and form.is_valid():
        plan = task.plan
        try:
            withdrawn = editing.remove_task(
                task=task, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            if withdrawn:
                message = (
                    f"Đã xóa nhiệm vụ khỏi kế hoạch: {withdrawn} nhiệm vụ được giao "
                    "đã rút, lịch sử vẫn giữ."
                )
            else:
                message = "Đã xóa nhiệm vụ (chưa có báo cáo nào)."
            messages.success(request, message)
            return redirect(_tasks_url(plan))
    return render(
        request,
        "planning/workflow/task_remove.html",
        {"plan": task.plan, "task": task, "form": form, "needs_reason": needs_reason},
    )


BULK_SHOWN = 100


@login_required
def plan_bulk_agency(request, pk):
    """Move checked assignments of one agency (`?co_quan=`) to another lead agency.

    The list is a page of that agency's live work in the plan; each move is
    `change_lead_agency` (its rules, its event), and a refusal is reported.
    A constant number of queries per page.
    """
    plan = _editable_plan(request, pk)
    agencies = Agency.objects.active().order_by("name")
    source = None
    if request.GET.get("co_quan"):
        try:
            source = agencies.get(pk=int(request.GET["co_quan"]))
        except (ValueError, Agency.DoesNotExist):
            raise Http404 from None
    form = BulkAgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = plan.assignments.select_related("task", "agency").in_bulk(
            [pk for pk, _ in data["picks"]]
        )
        picks = [(found[pk], version) for pk, version in data["picks"] if pk in found]
        outcome = workflow.change_lead_agency_many(
            picks=picks, actor=request.user, agency=data["agency"], reason=data["reason"]
        )
        missing = len(data["picks"]) - len(picks)
        if missing:
            outcome.refused.append((f"{missing} nhiệm vụ", "không thuộc kế hoạch này."))
        report_bulk(request, outcome, f"Đã chuyển {{count}} nhiệm vụ cho {data['agency'].name}.")
        return redirect(request.get_full_path())
    if request.method == "POST":
        _form_errors(request, form)
    page = None
    if source is not None:
        rows = (
            plan.assignments.filter(agency=source, status__in=workflow.LIVE_STATUSES)
            .select_related("task", "task__section")
            .order_by("task__order", "pk")
        )
        page = Paginator(rows, BULK_SHOWN).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/workflow/plan_bulk_agency.html",
        {
            "plan": plan,
            "agencies": list(agencies.values_list("pk", "name")),
            "source": source,
            "page": page,
            "form": form,
        },
    )
