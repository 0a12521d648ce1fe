"""Changing a plan in the app: its sections, tasks, lead and coordinating agencies,
and a task's due phrase.

The same rules as the daily workflow (`services.py`): keyword-only, typed,
atomic functions that check the actor is a coordinator, refuse work on a
withdrawn plan, and record every change of an assignment as an
`AssignmentEvent`. A change of a task (its text, its coordinating agencies,
its deadline) is recorded on each of its assignments, since the assignment is
what the history page shows.

A due phrase means here what it means in an imported plan: it is read by the
parser's own function (`parsing.rows.read_due_column`, over
`planning.deadlines`), and the date it resolves to is shown to the coordinator
before it is saved (`read_due_phrase` gives both).

Nothing with a history is deleted: a task that was reported on is removed by
withdrawing its assignments (each with the reason); only a task nobody has
touched since it was given out (its only events are "giao nhiệm vụ") is
deleted outright, a typo undone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max

from agencies.models import Agency

from ..deadlines import due_label, recurring_periods, stated_due_label
from ..models import Assignment, AssignmentEvent, Plan, Section, Task
from ..parsing.rows import read_due_column
from ..services import TaskSpec, add_tasks
from .rules import (
    LIVE_STATUSES,
    Kind,
    Status,
    WorkflowError,
    _event,
    _events,
    _require_coordinator,
    _transition,
)
from .services import withdraw_many

DUE_EXAMPLES = (
    "“hoàn thành trong Quý III/2022”, “tháng 7/2022”, “trước ngày 15/8/2022” hoặc “Thường xuyên”"
)


# --- Due phrases ---------------------------------------------------------------------


@dataclass(frozen=True)
class DuePhrase:
    """A due phrase as the plan would state it, and what it resolves to."""

    text: str
    due_date: date | None
    periods: tuple[tuple[str, date], ...] = ()
    """Recurring work or several deliveries: one (label, due date) per assignment."""

    @property
    def label(self) -> str:
        """What the coordinator is shown before saving: "Quý III/2022 (30/09/2022)"."""
        if self.periods:
            return "; ".join(f"{label} ({due:%d/%m/%Y})" for label, due in self.periods)
        return stated_due_label(self.due_date, self.text)


def read_due_phrase(text: str, *, year: int) -> DuePhrase:
    """The phrase read as the parser reads a deadline column, in the plan's year.

    Raises `WorkflowError` (Vietnamese) when the words state no deadline.
    """
    text = " ".join((text or "").split())
    deadline, dues = read_due_column(text, year)
    if deadline is None:
        raise WorkflowError(f"Không hiểu thời hạn “{text}”. Hãy ghi ví dụ {DUE_EXAMPLES}.")
    if len(dues) > 1:
        periods = tuple((due_label(d), d) for d in dues)
    elif deadline.recurrence:
        periods = tuple(recurring_periods(deadline.recurrence, year))
    else:
        periods = ()
    return DuePhrase(text=text, due_date=None if periods else deadline.due_date, periods=periods)


# --- Shared checks and history -----------------------------------------------------------


def _require_editable(actor: User, plan: Plan) -> None:
    _require_coordinator(actor)
    if plan.status == Plan.Status.WITHDRAWN:
        raise WorkflowError("Kế hoạch đã bị hủy bỏ, không sửa được.")


def _record_on_task(
    task: Task, actor: User, kind: str, *, field: str, old: str, new: str, note: str = ""
) -> None:
    """One history row on each assignment of the task (a task's change is theirs)."""
    pks = task.assignments.values_list("pk", flat=True)
    _events(pks, actor, kind, field=field, old=old, new=new, note=note)


# --- Sections ----------------------------------------------------------------------------


@transaction.atomic
def add_section(*, plan: Plan, actor: User, code: str, title: str = "") -> Section:
    _require_editable(actor, plan)
    order = (plan.sections.aggregate(last=Max("order"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            return Section.objects.create(plan=plan, code=code, title=title, order=order)
    except IntegrityError:
        raise WorkflowError(f"Mục {code} đã có trong kế hoạch.") from None


@transaction.atomic
def update_section(*, section: Section, actor: User, code: str, title: str = "") -> Section:
    _require_editable(actor, section.plan)
    section.code, section.title = code, title
    try:
        with transaction.atomic():
            section.save(update_fields=["code", "title"])
    except IntegrityError:
        raise WorkflowError(f"Mục {code} đã có trong kế hoạch.") from None
    return section


@transaction.atomic
def remove_section(*, section: Section, actor: User) -> None:
    """Remove a section that holds no live work (its removed tasks keep their history)."""
    _require_editable(actor, section.plan)
    live = Assignment.objects.filter(task__section=section).exclude(status=Status.WITHDRAWN)
    if live.exists():
        raise WorkflowError(
            f"Mục {section.code} còn nhiệm vụ đang theo dõi; "
            "hãy xóa hoặc chuyển các nhiệm vụ đó trước."
        )
    section.delete()


# --- Tasks -------------------------------------------------------------------------------


@transaction.atomic
def add_task(
    *,
    plan: Plan,
    actor: User,
    title: str,
    due: DuePhrase,
    lead_agencies: Iterable[Agency],
    section: Section | None = None,
    deliverable: str = "",
    coordinating_agencies: Iterable[Agency] = (),
    coordination_text: str = "",
) -> Task:
    """A new task with one assignment per lead agency (per period for recurring
    work), built by `planning.services.add_tasks` as an imported plan's are."""
    _require_editable(actor, plan)
    leads = list(lead_agencies)
    if not leads:
        raise WorkflowError("Hãy chọn ít nhất một cơ quan chủ trì.")
    spec = TaskSpec(
        title=title,
        lead_agencies=leads,
        section_code=section.code if section else "",
        due_text=due.text,
        due_date=due.due_date,
        deliverable=deliverable,
        coordinating_agencies=list(coordinating_agencies),
        coordination_text=coordination_text,
        periods=list(due.periods),
    )
    return add_tasks(plan=plan, specs=[spec], actor=actor)[0]


TASK_FIELDS = {"title": "Nhiệm vụ", "deliverable": "Sản phẩm", "coordination_text": "Phối hợp"}


@transaction.atomic
def update_task(
    *,
    task: Task,
    actor: User,
    title: str,
    section: Section | None,
    deliverable: str = "",
    coordination_text: str = "",
) -> Task:
    """Edit a task's words and section; each changed field is one event per assignment."""
    _require_editable(actor, task.plan)
    if section is not None and section.plan_id != task.plan_id:
        raise WorkflowError("Mục không thuộc kế hoạch này.")
    values = {"title": title, "deliverable": deliverable, "coordination_text": coordination_text}
    changed = []
    for name, value in values.items():
        old = getattr(task, name)
        if old != value:
            changed.append(name)
            setattr(task, name, value)
            _record_on_task(
                task, actor, Kind.TASK, field=name, old=old, new=value, note=TASK_FIELDS[name]
            )
    if section != task.section:
        old = str(task.section) if task.section else "(không thuộc mục nào)"
        task.section = section
        changed.append("section")
        new = str(section) if section else "(không thuộc mục nào)"
        _record_on_task(task, actor, Kind.TASK, field="section", old=old, new=new, note="Mục")
    if changed:
        task.save(update_fields=changed)
    return task


@transaction.atomic
def set_coordinating_agencies(*, task: Task, actor: User, agencies: Iterable[Agency]) -> Task:
    _require_editable(actor, task.plan)
    new = sorted(agencies, key=lambda a: a.name)
    old = list(task.coordinating_agencies.order_by("name"))
    if {a.pk for a in old} == {a.pk for a in new}:
        return task
    task.coordinating_agencies.set(new)
    _record_on_task(
        task,
        actor,
        Kind.COORDINATION,
        field="coordinating_agencies",
        old="; ".join(a.name for a in old) or "(không có)",
        new="; ".join(a.name for a in new) or "(không có)",
    )
    return task


@transaction.atomic
def change_task_due(*, task: Task, actor: User, due: DuePhrase, reason: str = "") -> Task:
    """Give a task a new due phrase and the date it resolves to.

    1. recurring tasks (one assignment per period) and phrases naming several
       periods are refused: their assignments are per period, added as a task;
    2. the task's words and date change, and every live assignment's planned
       and current due date, each with an event ("Đổi hạn hoàn thành");
    3. an assignment extended past the new date keeps its extension; finished
       and withdrawn work keeps the deadline it was judged against.
    """
    _require_editable(actor, task.plan)
    if due.periods:
        raise WorkflowError(
            "Thời hạn định kỳ hoặc nhiều kỳ: hãy thêm nhiệm vụ mới với thời hạn này."
        )
    if task.assignments.exclude(period="").exists():
        raise WorkflowError("Nhiệm vụ định kỳ (mỗi kỳ một hạn): không đổi thời hạn chung được.")
    task.due_text, task.due_date = due.text[:255], due.due_date
    task.save(update_fields=["due_text", "due_date"])
    live = list(
        Assignment.objects.select_for_update()
        .select_related("task")
        .filter(task=task, status__in=LIVE_STATUSES)
        .order_by("pk")
    )
    for assignment in live:
        old = assignment.due_label
        current = due.due_date
        if assignment.is_extended and (current is None or assignment.due_date > current):
            current = assignment.due_date
        _transition(
            assignment,
            from_statuses=LIVE_STATUSES,
            expected_version=None,
            original_due_date=due.due_date,
            due_date=current,
        )
        _event(
            assignment,
            actor,
            Kind.DUE_DATE,
            field="due_date",
            old=old,
            new=assignment.due_label,
            note=reason or f"Thời hạn mới: “{due.text}”",
        )
    return task


def task_has_history(task: Task) -> bool:
    """Anything recorded on the task's assignments besides their creation."""
    return AssignmentEvent.objects.filter(assignment__task=task).exclude(kind=Kind.CREATED).exists()


@transaction.atomic
def remove_task(*, task: Task, actor: User, reason: str = "") -> int:
    """Remove a task from its plan; returns how many assignments were withdrawn.

    1. untouched since it was given out (`task_has_history` is false): deleted,
       with its assignments (a mistake undone, nothing to keep), returns 0;
    2. otherwise a reason is required, and every assignment is withdrawn
       (`withdraw_many`): the rows, reports and history stay.
    """
    _require_editable(actor, task.plan)
    if not task_has_history(task):
        task.delete()
        return 0
    if not reason.strip():
        raise WorkflowError("Nhiệm vụ đã có báo cáo hoặc thay đổi: hãy ghi lý do xóa.")
    return withdraw_many(
        task.assignments.all(), actor=actor, note=f"Xóa nhiệm vụ khỏi kế hoạch: {reason}"
    )


# --- Lead agencies ---------------------------------------------------------------------


@transaction.atomic
def add_lead_agency(*, task: Task, actor: User, agency: Agency) -> list[Assignment]:
    """One more lead agency: an assignment per period the task already has."""
    _require_editable(actor, task.plan)
    if task.assignments.filter(agency=agency).exists():
        raise WorkflowError(f"{agency.name} đã được giao nhiệm vụ này.")
    periods = list(
        task.assignments.exclude(status=Status.WITHDRAWN)
        .values_list("period", "original_due_date")
        .order_by("original_due_date", "period")
        .distinct()
    ) or [("", task.due_date)]
    created = [
        Assignment.objects.create(
            plan=task.plan,
            task=task,
            agency=agency,
            period=label,
            original_due_date=due,
            due_date=due,
        )
        for label, due in periods
    ]
    for assignment in created:
        assignment.task = task
        _event(assignment, actor, Kind.CREATED, new=assignment.due_label)
    return created
