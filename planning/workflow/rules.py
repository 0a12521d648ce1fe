"""The rules every workflow write shares: who may act, which completion dates
are acceptable, the statuses that count as open, and how a change is made and
recorded (one conditional UPDATE, one history row). `services` builds on them;
views and templates ask `allowed_actions` and `is_lead_officer` to mirror them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from agencies import access
from agencies.audit import record_update
from agencies.models import Membership

from ..models import Assignment, AssignmentEvent
from ..signals import announce

Status = Assignment.Status
Kind = AssignmentEvent.Kind
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)
LIVE_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.SUBMITTED)

STALE_MESSAGE = (
    "Nhiệm vụ vừa được người khác cập nhật, thao tác của bạn chưa được ghi nhận. "
    "Vui lòng xem trạng thái mới nhất bên dưới rồi thao tác lại nếu cần."
)


class WorkflowError(Exception):
    """A refusal to show the user as it is (Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleAssignment(WorkflowError):
    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message)


# --- Who may do what --------------------------------------------------------


def is_lead_officer(user, assignment: Assignment) -> bool:
    """An officer of the assignment's lead agency (the one who reports on it)."""
    if access.role_of(user) != Membership.Role.OFFICER:
        return False
    agency = access.agency_of(user)
    return agency is not None and agency.pk == assignment.agency_id


def allowed_actions(user, assignment: Assignment) -> set[str]:
    """The actions the user may take on this assignment now (menus and views)."""
    actions: set[str] = set()
    status = assignment.status
    if is_lead_officer(user, assignment):
        if status != Status.WITHDRAWN:
            actions.add("reply")
        if status in LIVE_STATUSES:
            actions |= {"progress", "extension_request"}
        if status in OPEN_STATUSES:
            actions.add("submit")
    elif access.is_coordinator(user):
        if status == Status.SUBMITTED:
            actions |= {"accept", "return"}
        if status in LIVE_STATUSES:
            actions |= {"mark_done", "extension_decide", "change_agency", "remind"}
        if status != Status.WITHDRAWN:
            actions |= {"withdraw", "reply"}
    return actions


def _require_lead_officer(actor: User, assignment: Assignment) -> None:
    if not is_lead_officer(actor, assignment):
        raise PermissionDenied("Chỉ cán bộ của cơ quan chủ trì mới thực hiện được thao tác này.")


def _require_coordinator(actor: User) -> None:
    if not access.is_coordinator(actor):
        raise PermissionDenied("Chỉ Sở Nội vụ mới thực hiện được thao tác này.")


# --- Completion dates ------------------------------------------------------------


def completion_date_error(*, assignment: Assignment, completed_on: date, today: date) -> str:
    """Why `completed_on` cannot be the completion date of `assignment`, or "".

    Work cannot be finished before its plan was issued nor after today; without
    these bounds a date typed years back turned a late task into "đúng hạn".
    The day of the report is kept apart (`Assignment.completion_reported_on`,
    `CompletionSubmission.reported_on`), so a late report stays visible.
    """
    issued_on = assignment.plan.issued_on
    if issued_on and completed_on < issued_on:
        return (
            "Ngày hoàn thành không được trước ngày ban hành kế hoạch "
            f"({_date(issued_on)}). Vui lòng kiểm tra lại."
        )
    if completed_on > today:
        return f"Ngày hoàn thành không được sau ngày hôm nay ({_date(today)})."
    return ""


def _require_completion_date(assignment: Assignment, completed_on: date) -> None:
    error = completion_date_error(
        assignment=assignment, completed_on=completed_on, today=timezone.localdate()
    )
    if error:
        raise WorkflowError(error)


# --- Small helpers ------------------------------------------------------------


def _status_label(value: str) -> str:
    return str(Status(value).label)


def _date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _reported_words(reported_on: date, due_date: date | None) -> str:
    """ "báo cáo ngày 05/08/2022, báo cáo sau hạn": the history keeps both dates."""
    late = ", báo cáo sau hạn" if due_date and reported_on > due_date else ""
    return f"báo cáo ngày {_date(reported_on)}{late}"


def _event(
    assignment: Assignment,
    actor: User | None,
    kind: str,
    *,
    field: str = "",
    old: str = "",
    new: str = "",
    note: str = "",
) -> AssignmentEvent:
    event = AssignmentEvent.objects.create(
        assignment=assignment,
        actor=actor,
        kind=kind,
        field=field,
        old_value=old,
        new_value=new,
        note=note,
    )
    announce([event])  # the notices of those concerned (planning/signals.py)
    return event


def _events(
    assignment_ids: Iterable[int],
    actor: User | None,
    kind: str,
    *,
    field: str = "",
    old: str = "",
    new: str = "",
    note: str = "",
) -> None:
    """`_event` for many assignments at once (one INSERT): a change of their task."""
    AssignmentEvent.objects.bulk_create(
        AssignmentEvent(
            assignment_id=pk,
            actor=actor,
            kind=kind,
            field=field,
            old_value=old,
            new_value=new,
            note=note,
        )
        for pk in assignment_ids
    )


def _transition(
    assignment: Assignment,
    *,
    from_statuses: Iterable[str],
    expected_version: int | None,
    **changes,
) -> None:
    """Apply `changes` only if the row is still in one of `from_statuses`
    (and at `expected_version`, the version the user's page showed).

    1. one UPDATE ... WHERE pk AND status IN (...) [AND version = v]: on
       PostgreSQL a concurrent writer blocks on the row lock, then re-checks the
       WHERE against the committed row, so exactly one of two racers matches;
    2. no row matched: raise StaleAssignment (the transaction rolls back);
    3. refresh the instance so the caller sees the new status and version;
    4. the UPDATE sent no signal, so the audit trail's entry is written here,
       from the values the row held just before (read under the row's lock on
       PostgreSQL: the caller's copy of the assignment may be older).
    """
    rows = Assignment.objects.filter(pk=assignment.pk, status__in=list(from_statuses))
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    before = rows.select_for_update().first()
    if (
        before is None
        or rows.update(version=F("version") + 1, updated_at=timezone.now(), **changes) != 1
    ):
        raise StaleAssignment()
    assignment.refresh_from_db()
    record_update(assignment, before)
