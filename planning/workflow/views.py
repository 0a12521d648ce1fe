"""Pages and actions of the workflow: the agency inbox, the review queue,
progress, completion, review, extensions, withdrawal, evidence downloads and
plan create/edit/withdraw.

Each view: fetch through `planning.access` (404 for what the user may not
see), check the role for the action (403: the user already sees the object),
call one function of `planning.workflow`, then redirect with a message. A
`WorkflowError` (a race lost, a double submit, a rule) is shown as it is.
"""

from __future__ import annotations

import calendar
import operator
from datetime import date, timedelta
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from agencies import access
from agencies.access import visibility_scope
from config.caching.generation import figures_key
from config.caching.pages import cached_page

from ..access import get_assignment_or_404, get_plan_or_404, readable_assignments
from ..listing import OVERDUE, Listing, assignment_filters, filter_choices
from ..models import Assignment, CompletionSubmission, ExtensionRequest, Task
from ..paging import page_links
from ..uploads import evidence_response
from . import services as workflow
from .forms import (
    AcceptForm,
    AcceptManyForm,
    ChangeAgencyForm,
    CompletionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    MarkDoneForm,
    PlanForm,
    ProgressForm,
    ReplyForm,
    ReturnForm,
    WithdrawForm,
    WithdrawPlanForm,
)
from .models import with_last_return

Status = Assignment.Status
DONE_SHOWN = 20
INBOX_GROUP_SHOWN = 25
COORDINATED_SHOWN = 50
INBOX = Listing(
    sorts={
        "han": ("due_date", "plan__number", "task__order", "pk"),
        "nhiem_vu": ("task__title", "due_date", "pk"),
        "ke_hoach": ("plan__number", "task__order", "due_date", "pk"),
        "trang_thai": ("status", "due_date", "pk"),
    },
    default="han",
    filters=assignment_filters(agency=False),
)
INBOX_PARAMS = ("nhom", "page", *INBOX.params)
"""The query parameters the inbox reads: the group and the page within it."""


def _assignment(request, pk) -> Assignment:
    return get_assignment_or_404(
        request.user, pk, Assignment.objects.select_related("task", "plan", "agency")
    )


def _lead_officer_only(request, assignment: Assignment) -> None:
    if not workflow.is_lead_officer(request.user, assignment):
        raise PermissionDenied


def _coordinator_only(request) -> None:
    if not access.is_coordinator(request.user):
        raise PermissionDenied


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _done(request, assignment: Assignment, message: str):
    messages.success(request, message)
    return redirect(assignment.get_absolute_url())


def act(request, back: str, form, action, success):
    """The POST-only actions: validate, run one workflow function, report, go back.

    `action(data)` receives the form's cleaned data; `success` is the message,
    or a function of the data giving it. A `WorkflowError` (a race lost, a
    double submit, a broken rule) is shown to the user as it is.
    """
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    try:
        action(data)
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, success(data) if callable(success) else success)
    return redirect(back)


def _act(request, assignment: Assignment, form, action, success: str):
    """`act` for an assignment's own actions: back to its page."""
    return act(request, assignment.get_absolute_url(), form, action, success)


# --- Pages --------------------------------------------------------------------------


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _inbox_groups(today: date) -> list[tuple[str, str, Q]]:
    """(anchor, title, condition) of the inbox's groups of live work."""
    month_end = _end_of_month(today)
    waiting = Q(status__in=[s for s in workflow.LIVE_STATUSES if s != Status.SUBMITTED])
    return [
        ("qua-han", "Quá hạn", waiting & Q(due_date__lt=today)),
        (
            "trong-thang",
            f"Đến hạn trong tháng {today.month}/{today.year}",
            waiting & Q(due_date__gte=today, due_date__lte=month_end),
        ),
        ("sap-toi", "Sắp tới", waiting & (Q(due_date__gt=month_end) | Q(due_date__isnull=True))),
        ("cho-duyet", "Đã gửi, chờ Sở Nội vụ duyệt", Q(status=Status.SUBMITTED)),
    ]


def _with_days(assignments, today: date) -> list:
    rows = list(assignments)
    for a in rows:
        a.days_left_value = a.days_left(today)
        a.days_late_value = a.days_late(today)
        # Returned and not sent again yet: the reason is what the officer must fix.
        a.was_returned = bool(getattr(a, "returned_at", None)) and a.status in (
            workflow.OPEN_STATUSES
        )
    return rows


def _inbox_lists(request, agency, today: date, chosen: str, listing) -> dict:
    """The inbox's lists (see `inbox`): a constant number of queries."""
    # A plan's source text (tens of KB for a real plan) is not shown here.
    mine = listing.filter(
        Assignment.objects.visible_to(request.user)
        .select_related("task", "plan")
        .defer("plan__source_text")
    )
    order = listing.order_by
    groups = _inbox_groups(today)
    counts = mine.aggregate(
        **{f"g{i}": Count("pk", filter=q) for i, (_, _, q) in enumerate(groups)}
    )
    index = [
        {"anchor": anchor, "title": title, "count": counts[f"g{i}"]}
        for i, (anchor, title, _) in enumerate(groups)
    ]
    sections = []
    for i, (anchor, _title, q) in enumerate(groups):
        if chosen and anchor != chosen:
            continue
        section = {**index[i], "page": None, "rows": []}
        rows = with_last_return(mine.filter(q).order_by(*order))
        if chosen:
            paginator = Paginator(rows, INBOX_GROUP_SHOWN)
            paginator.count = section["count"]  # counted above, with the same condition
            section["page"] = paginator.get_page(request.GET.get("page"))
            section["rows"] = _with_days(section["page"].object_list, today)
        elif section["count"]:
            section["rows"] = _with_days(rows[:INBOX_GROUP_SHOWN], today)
        section["more"] = not chosen and section["count"] > len(section["rows"])
        sections.append(section)
    if chosen:
        return {"index": index, "sections": sections, "done": [], "coordinated": []}
    done = mine.filter(status=Status.DONE).order_by("-completed_on", "-pk")
    done = _with_days(done[: DONE_SHOWN + 1], today)
    # Narrowed to the coordinated tasks first: the access rule alone is an OR
    # (own agency or coordinated task) that made PostgreSQL scan every live
    # assignment (~20 ms at 100,000 rows) to find a handful.
    coordinated_tasks = Task.objects.filter(coordinating_agencies=agency).values("pk")
    coordinated = (
        readable_assignments(request.user, Assignment.objects.filter(task__in=coordinated_tasks))
        .exclude(agency=agency)
        .filter(status__in=workflow.LIVE_STATUSES)
        .select_related("task", "plan", "agency")
        .defer("plan__source_text")
        .order_by("due_date", "pk")[:COORDINATED_SHOWN]
    )
    return {
        "index": index,
        "sections": sections,
        "done": done[:DONE_SHOWN],
        "more_done": len(done) > DONE_SHOWN,
        "coordinated": list(coordinated),
    }


def _inbox_scopes(request):
    """An inbox shows its agency's work and what it coordinates (planning/caching.py)."""
    agency = access.agency_of(request.user)
    return [("agency", agency.pk)] if agency is not None else None


@login_required
@cached_page(*INBOX_PARAMS, scopes=_inbox_scopes)
def inbox(request):
    """An officer's work, grouped: overdue, due this month, upcoming, submitted, done.

    Each group shows its first INBOX_GROUP_SHOWN assignments (soonest due
    first) and links to `?nhom=<group>`, which pages through that group alone:
    a district with a thousand live assignments gets a page of a readable
    size, and nothing becomes unreachable. A constant number of queries: the
    group counts (one aggregate), one slice per group, the recent completions
    and the coordinated work.

    The lists are a function of the agency, today, the data generation and
    `nhom`/`page`: every officer of the agency shares them as a cached
    fragment (config/caching/generation.py); the context holds lazy values, so a cache
    hit runs none of those queries.
    """
    agency = access.agency_of(request.user)
    if access.sees_everything(request.user) or agency is None:
        raise Http404
    today = timezone.localdate()
    chosen = request.GET.get("nhom", "")
    if chosen and chosen not in {anchor for anchor, _, _ in _inbox_groups(today)}:
        raise Http404
    listing = INBOX.read(request.GET, today=today, keep=("nhom",))
    lists = SimpleLazyObject(lambda: _inbox_lists(request, agency, today, chosen, listing))
    context = {
        "listing": listing,
        "plans": filter_choices(request.user)["plans"],
        "inbox_statuses": [
            *((s, Status(s).label) for s in workflow.LIVE_STATUSES),
            (OVERDUE, "Quá hạn"),
        ],
        "agency": agency,
        "today": today,
        "chosen": chosen,
        "figures_key": figures_key(
            "inbox",
            visibility_scope(request.user),
            today.isoformat(),
            scopes=[("agency", agency.pk)],
        ),
        "figures_vary": urlencode([(name, request.GET.get(name, "")) for name in INBOX_PARAMS]),
        **{
            name: SimpleLazyObject(partial(operator.getitem, lists, name))
            for name in ("index", "sections", "done", "coordinated")
        },
        "more_done": lambda: lists.get("more_done", False),
    }
    return render(request, "planning/workflow/inbox.html", context)


REVIEW_QUEUE = Listing(
    sorts={
        "gui": ("created_at", "pk"),
        "co_quan": ("assignment__agency__name", "created_at", "pk"),
        "han": ("assignment__due_date", "created_at", "pk"),
        "ke_hoach": ("assignment__plan__number", "created_at", "pk"),
    },
    default="gui",
    filters=assignment_filters("assignment__"),
)
REVIEW_PAGE_SIZE = 50
EXTENSION_PAGE_PARAM = "trang_gh"


@login_required
def review_queue(request):
    """Sở Nội vụ's queue: completions to review and extension requests to decide,
    both under the same filters and sort (agency, plan, due period, overdue),
    each paginated on its own parameter."""
    if not access.is_coordinator(request.user):
        raise Http404
    today = timezone.localdate()
    listing = REVIEW_QUEUE.read(request.GET, today=today)
    submissions = listing.apply(
        CompletionSubmission.objects.filter(status=CompletionSubmission.Status.PENDING)
    ).select_related("assignment__task", "assignment__agency", "assignment__plan", "submitted_by")
    extensions = listing.apply(
        ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
    ).select_related("assignment__task", "assignment__agency", "assignment__plan", "requested_by")
    submission_page = Paginator(submissions, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    extension_page = Paginator(extensions, REVIEW_PAGE_SIZE).get_page(
        request.GET.get(EXTENSION_PAGE_PARAM)
    )
    return render(
        request,
        "planning/workflow/review_queue.html",
        {
            "submissions": submission_page,
            "extensions": extension_page,
            "extension_links": page_links(
                listing.params, extension_page, EXTENSION_PAGE_PARAM, "gia-han"
            ),
            "listing": listing,
            "today": today,
            **filter_choices(request.user),
        },
    )


@login_required
def evidence_download(request, pk, submission_pk):
    """The evidence file, only for people who may see the assignment (else 404)."""
    assignment = _assignment(request, pk)
    submission = get_object_or_404(assignment.submissions, pk=submission_pk)
    return evidence_response(submission)


@login_required
def progress_file(request, pk, note_pk):
    """A progress note's file, for the same people as the evidence (else 404)."""
    assignment = _assignment(request, pk)
    note = get_object_or_404(assignment.progress_notes, pk=note_pk)
    return evidence_response(note, fallback="tep-tien-do")


# --- Agency actions -------------------------------------------------------------------


@login_required
@require_POST
def report_progress(request, pk):
    assignment = _assignment(request, pk)
    _lead_officer_only(request, assignment)
    form = ProgressForm(request.POST, request.FILES)
    return _act(
        request,
        assignment,
        form,
        lambda data: workflow.report_progress(
            assignment=assignment,
            actor=request.user,
            note=data["note"],
            token=data["token"],
            file=data["file"] or None,
            sniffed=form.sniffed,
        ),
        "Đã ghi nhận báo cáo tiến độ.",
    )


@login_required
@require_POST
def reply(request, pk):
    """A message in the thread, under a progress note or a returned report."""
    assignment = _assignment(request, pk)
    if "reply" not in workflow.allowed_actions(request.user, assignment):
        raise PermissionDenied
    form = ReplyForm(request.POST)

    def write(data):
        note = submission = None
        if data["progress_note"]:
            note = get_object_or_404(assignment.progress_notes, pk=data["progress_note"])
        if data["submission"]:
            submission = get_object_or_404(assignment.submissions, pk=data["submission"])
        workflow.reply(
            assignment=assignment,
            actor=request.user,
            text=data["text"],
            progress_note=note,
            submission=submission,
            token=data["token"],
        )

    return _act(request, assignment, form, write, "Đã gửi trả lời.")


@login_required
def submit_completion(request, pk):
    assignment = _assignment(request, pk)
    _lead_officer_only(request, assignment)
    if request.method == "POST":
        form = CompletionForm(request.POST, request.FILES, assignment=assignment)
        if form.is_valid():
            try:
                form.submit(actor=request.user)
            except workflow.WorkflowError as error:
                messages.error(request, error.message)
                return redirect(assignment.get_absolute_url())
            return _done(request, assignment, "Đã gửi báo cáo hoàn thành; chờ Sở Nội vụ duyệt.")
    else:
        if assignment.status not in workflow.OPEN_STATUSES:
            messages.info(request, "Nhiệm vụ này không ở trạng thái gửi hoàn thành được.")
            return redirect(assignment.get_absolute_url())
        form = CompletionForm(
            initial={"version": assignment.version, "completed_on": timezone.localdate()},
            assignment=assignment,
        )
    return render(
        request, "planning/workflow/submit.html", {"assignment": assignment, "form": form}
    )


@login_required
def request_extension(request, pk):
    assignment = _assignment(request, pk)
    _lead_officer_only(request, assignment)
    if request.method == "POST":
        form = ExtensionRequestForm(request.POST)
        if form.is_valid():
            try:
                workflow.request_extension(
                    assignment=assignment,
                    actor=request.user,
                    requested_due_date=form.cleaned_data["requested_due_date"],
                    reason=form.cleaned_data["reason"],
                )
            except workflow.WorkflowError as error:
                form.add_error(None, error.message)
            else:
                return _done(request, assignment, "Đã gửi đề nghị gia hạn tới Sở Nội vụ.")
    else:
        suggested = (assignment.due_date or timezone.localdate()) + timedelta(days=30)
        form = ExtensionRequestForm(initial={"requested_due_date": suggested})
    return render(
        request,
        "planning/workflow/extension_request.html",
        {"assignment": assignment, "form": form},
    )


# --- Sở Nội vụ actions ------------------------------------------------------------------


def _submission(assignment: Assignment, submission_pk) -> CompletionSubmission:
    submission = get_object_or_404(assignment.submissions, pk=submission_pk)
    submission.assignment = assignment
    return submission


@login_required
@require_POST
def accept_completion(request, pk, submission_pk):
    assignment = _assignment(request, pk)
    _coordinator_only(request)
    submission = _submission(assignment, submission_pk)
    return _act(
        request,
        assignment,
        AcceptForm(request.POST),
        lambda data: workflow.accept_completion(
            submission=submission,
            actor=request.user,
            note=data["note"],
            expected_version=data["version"],
        ),
        "Đã duyệt: nhiệm vụ được tính là hoàn thành.",
    )


def report_bulk(request, outcome, success: str) -> None:
    """A bulk action's result: how many were done, and each refusal with its reason."""
    if outcome.done:
        messages.success(request, success.format(count=len(outcome.done)))
    for label, message in outcome.refused:
        messages.error(request, f"Không thực hiện được với “{label}”: {message}")


@login_required
@require_POST
def accept_many(request):
    """Accept the reports checked in the queue, each by the rules of one acceptance."""
    _coordinator_only(request)
    form = AcceptManyForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        outcome = workflow.accept_many(
            picks=form.cleaned_data["picks"], actor=request.user, note=form.cleaned_data["note"]
        )
        report_bulk(request, outcome, "Đã duyệt {count} báo cáo hoàn thành.")
    return redirect("workflow:review_queue")


@login_required
@require_POST
def return_completion(request, pk, submission_pk):
    assignment = _assignment(request, pk)
    _coordinator_only(request)
    submission = _submission(assignment, submission_pk)
    return _act(
        request,
        assignment,
        ReturnForm(request.POST),
        lambda data: workflow.return_completion(
            submission=submission,
            actor=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        "Đã trả lại báo cáo; cơ quan chủ trì được thông báo.",
    )


@login_required
@require_POST
def mark_done(request, pk):
    assignment = _assignment(request, pk)
    _coordinator_only(request)
    return _act(
        request,
        assignment,
        MarkDoneForm(request.POST, assignment=assignment),
        lambda data: workflow.mark_done(
            assignment=assignment,
            actor=request.user,
            completed_on=data["completed_on"],
            note=data["note"],
            expected_version=data["version"],
        ),
        "Đã xác nhận hoàn thành.",
    )


@login_required
@require_POST
def decide_extension(request, pk, request_pk):
    assignment = _assignment(request, pk)
    _coordinator_only(request)
    extension = get_object_or_404(assignment.extension_requests, pk=request_pk)
    extension.assignment = assignment
    approve = request.POST.get("decision") == "approve"
    return _act(
        request,
        assignment,
        ExtensionDecisionForm(request.POST),
        lambda data: workflow.decide_extension(
            request=extension, actor=request.user, approve=approve, note=data["note"]
        ),
        "Đã chấp thuận gia hạn." if approve else "Đã từ chối đề nghị gia hạn.",
    )


@login_required
@require_POST
def withdraw_assignment(request, pk):
    assignment = _assignment(request, pk)
    _coordinator_only(request)
    return _act(
        request,
        assignment,
        WithdrawForm(request.POST),
        lambda data: workflow.withdraw_assignment(
            assignment=assignment,
            actor=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        "Đã rút nhiệm vụ khỏi kế hoạch (lịch sử vẫn được giữ).",
    )


@login_required
@require_POST
def change_agency(request, pk):
    assignment = _assignment(request, pk)
    _coordinator_only(request)
    return _act(
        request,
        assignment,
        ChangeAgencyForm(request.POST),
        lambda data: workflow.change_lead_agency(
            assignment=assignment,
            actor=request.user,
            agency=data["agency"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
        "Đã đổi cơ quan chủ trì.",
    )


# --- Plans ---------------------------------------------------------------------------


@login_required
def plan_create(request):
    if not access.is_coordinator(request.user):
        raise Http404
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        plan = workflow.create_plan(actor=request.user, data=form.cleaned_data)
        messages.success(request, f"Đã tạo kế hoạch {plan.number}.")
        return redirect(plan.get_absolute_url())
    return render(request, "planning/workflow/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_edit(request, pk):
    plan = get_plan_or_404(request.user, pk)
    if not access.is_coordinator(request.user):
        raise PermissionDenied
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_plan(plan=plan, actor=request.user, data=form.cleaned_data)
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Đã lưu kế hoạch.")
            return redirect(plan.get_absolute_url())
    return render(request, "planning/workflow/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_withdraw(request, pk):
    plan = get_plan_or_404(request.user, pk)
    if not access.is_coordinator(request.user):
        raise PermissionDenied
    form = WithdrawPlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            count = workflow.withdraw_plan(
                plan=plan, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Đã hủy bỏ kế hoạch {plan.number}; {count} nhiệm vụ được rút (lịch sử vẫn giữ).",
            )
            return redirect(plan.get_absolute_url())
    return render(request, "planning/workflow/plan_withdraw.html", {"form": form, "plan": plan})
