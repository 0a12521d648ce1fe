"""The writes of the daily workflow: report, submit, review, extend, withdraw.

Every function here is keyword-only, typed and atomic, checks the actor's
role itself (views check too: this is the second lock), and records each change
of status, due date, lead agency or evidence as an `AssignmentEvent`.

Races are settled by the database, not by Python: a state change is one
conditional UPDATE on (pk, status[, version]); when it touches no row, someone
else changed the assignment first and the caller gets `StaleAssignment`, whose
message the view shows as it is. A double-submitted form hits either that
condition or a unique constraint (one pending submission / extension request
per assignment, one progress note per form token), so it never makes two rows.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from agencies.audit import record_bulk, record_changes, signed
from agencies.models import Agency, Membership

from ..models import (
    Assignment,
    AssignmentEvent,
    CompletionSubmission,
    ExtensionRequest,
    Plan,
    ProgressNote,
    Reply,
)
from ..uploads import SniffedType, attach_evidence
from .rules import (  # noqa: F401  (callers read these as workflow.X)
    LIVE_STATUSES,
    OPEN_STATUSES,
    STALE_MESSAGE,
    Kind,
    StaleAssignment,
    Status,
    WorkflowError,
    _date,
    _event,
    _reported_words,
    _require_completion_date,
    _require_coordinator,
    _require_lead_officer,
    _status_label,
    _transition,
    allowed_actions,
    completion_date_error,
    is_lead_officer,
)

logger = logging.getLogger(__name__)

# --- Agency side ----------------------------------------------------------------


@signed
@transaction.atomic
def report_progress(
    *,
    assignment: Assignment,
    actor: User,
    note: str,
    token: uuid.UUID | None = None,
    file: UploadedFile | None = None,
    sniffed: SniffedType | None = None,
) -> ProgressNote:
    """Add a progress note (with a file, checked as evidence is); the first one
    moves "not started" to "in progress".

    1. the note is inserted first, keyed by the form's token: a double-submit
       finds the token taken and returns the first note, recording nothing more
       (and the second upload is removed);
    2. `last_progress_at` is bumped without touching `version` (a note is not a
       change of state, so it must not invalidate a reviewer's open page);
    3. the status change is conditional, so it never overwrites a decision.
    """
    _require_lead_officer(actor, assignment)
    if assignment.status not in LIVE_STATUSES:
        raise WorkflowError("Nhiệm vụ đã hoàn thành hoặc đã rút, không báo cáo tiến độ được nữa.")
    progress = ProgressNote(
        assignment=assignment, author=actor, note=note, token=token or uuid.uuid4()
    )
    if file is not None:
        attach_evidence(progress, file, sniffed, stem="progress")
    try:
        with transaction.atomic():
            progress.save(force_insert=True)
    except IntegrityError:
        if progress.file:
            progress.file.delete(save=False)
        return ProgressNote.objects.get(token=progress.token)
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(last_progress_at=now)
    assignment.last_progress_at = now
    attached = f"tệp {progress.original_filename}" if progress.file else ""
    _event(assignment, actor, Kind.PROGRESS, new=attached, note=note)
    moved = Assignment.objects.filter(pk=assignment.pk, status=Status.NOT_STARTED).update(
        status=Status.IN_PROGRESS, version=F("version") + 1, updated_at=now
    )
    assignment.refresh_from_db()
    if moved:
        _event(
            assignment,
            actor,
            Kind.STATUS,
            field="status",
            old=_status_label(Status.NOT_STARTED),
            new=_status_label(Status.IN_PROGRESS),
        )
        record_changes(assignment, {"status": [Status.NOT_STARTED, Status.IN_PROGRESS]})
    return progress


@signed
@transaction.atomic
def submit_completion(
    *,
    assignment: Assignment,
    actor: User,
    completed_on: date,
    document_number: str,
    document_date: date,
    note: str = "",
    file: UploadedFile | None = None,
    sniffed: SniffedType | None = None,
    expected_version: int | None = None,
) -> CompletionSubmission:
    """Send the assignment for review with its evidence.

    1. the status moves to "submitted" conditionally; a second click of the
       same form finds it already submitted and is told so, nothing is added;
    2. the file (already checked by `uploads.validate_evidence`) is stored
       under a random name; if the row cannot be saved the file is removed.
    """
    _require_lead_officer(actor, assignment)
    _require_completion_date(assignment, completed_on)
    old_status = assignment.status
    try:
        _transition(
            assignment,
            from_statuses=OPEN_STATUSES,
            expected_version=expected_version,
            status=Status.SUBMITTED,
            last_progress_at=timezone.now(),
        )
    except StaleAssignment:
        if assignment.submissions.filter(status=CompletionSubmission.Status.PENDING).exists():
            raise WorkflowError(
                "Nhiệm vụ đã có báo cáo hoàn thành đang chờ Sở Nội vụ duyệt; không gửi lại."
            ) from None
        raise
    submission = CompletionSubmission(
        assignment=assignment,
        submitted_by=actor,
        completed_on=completed_on,
        note=note,
        document_number=document_number.strip(),
        document_date=document_date,
    )
    if file is not None:
        attach_evidence(submission, file, sniffed)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        if submission.file:
            submission.file.delete(save=False)
        raise WorkflowError(
            "Nhiệm vụ đã có báo cáo hoàn thành đang chờ Sở Nội vụ duyệt; không gửi lại."
        ) from None
    _event(
        assignment,
        actor,
        Kind.SUBMITTED,
        field="status",
        old=_status_label(old_status),
        new=f"{_status_label(Status.SUBMITTED)} (hoàn thành ngày {_date(completed_on)}, "
        f"{_reported_words(submission.reported_on, assignment.due_date)})",
        note=note,
    )
    evidence = submission.evidence_label
    if submission.original_filename:
        evidence += f" (tệp {submission.original_filename})"
    _event(assignment, actor, Kind.EVIDENCE, field="evidence", new=evidence)
    return submission


@signed
@transaction.atomic
def request_extension(
    *, assignment: Assignment, actor: User, requested_due_date: date, reason: str
) -> ExtensionRequest:
    """Ask for a later due date; one pending request per assignment."""
    _require_lead_officer(actor, assignment)
    if assignment.status not in LIVE_STATUSES:
        raise WorkflowError("Nhiệm vụ đã hoàn thành hoặc đã rút, không đề nghị gia hạn được.")
    if assignment.due_date and requested_due_date <= assignment.due_date:
        raise WorkflowError(f"Hạn đề nghị phải sau hạn hiện tại ({_date(assignment.due_date)}).")
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                assignment=assignment,
                requested_by=actor,
                current_due_date=assignment.due_date,
                requested_due_date=requested_due_date,
                reason=reason,
            )
    except IntegrityError:
        raise WorkflowError(
            "Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định; không gửi thêm."
        ) from None
    _event(
        assignment,
        actor,
        Kind.EXTENSION_REQUESTED,
        field="due_date",
        old=_date(assignment.due_date),
        new=_date(requested_due_date),
        note=reason,
    )
    return request


@transaction.atomic
def reply(
    *,
    assignment: Assignment,
    actor: User,
    text: str,
    progress_note: ProgressNote | None = None,
    submission: CompletionSubmission | None = None,
    token: uuid.UUID | None = None,
) -> Reply:
    """Write in the assignment's thread, under a progress note or a returned report.

    The lead agency's officers and Sở Nội vụ may (`allowed_actions` "reply");
    the reply is also an event ("Trao đổi"), so the history shows the thread.
    A double-submitted form finds its token taken and adds nothing.
    """
    if "reply" not in allowed_actions(actor, assignment):
        raise PermissionDenied("Chỉ cán bộ cơ quan chủ trì và Sở Nội vụ mới trao đổi được.")
    parent = progress_note or submission
    if parent is None or parent.assignment_id != assignment.pk or (progress_note and submission):
        raise WorkflowError("Hãy trả lời dưới một báo cáo tiến độ hoặc một lần trả lại.")
    if submission is not None and submission.status != CompletionSubmission.Status.RETURNED:
        raise WorkflowError("Chỉ trả lời được dưới báo cáo hoàn thành đã bị trả lại.")
    row = Reply(
        assignment=assignment,
        author=actor,
        text=text,
        progress_note=progress_note,
        submission=submission,
        token=token or uuid.uuid4(),
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return Reply.objects.get(token=row.token)
    if progress_note is not None:
        about = (
            f"về báo cáo tiến độ lúc {timezone.localtime(progress_note.created_at):%H:%M %d/%m/%Y}"
        )
    else:
        about = f"về lần trả lại lúc {timezone.localtime(submission.decided_at):%H:%M %d/%m/%Y}"
    _event(assignment, actor, Kind.REPLY, new=about, note=text)
    return row


# --- Sở Nội vụ side ---------------------------------------------------------------


@signed
@transaction.atomic
def accept_completion(
    *,
    submission: CompletionSubmission,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """Accept: the assignment is done, on the completion date the agency gave."""
    _require_coordinator(actor)
    assignment = submission.assignment
    _transition(
        assignment,
        from_statuses=[Status.SUBMITTED],
        expected_version=expected_version,
        status=Status.DONE,
        completed_on=submission.completed_on,
        completion_reported_on=submission.reported_on,
    )
    _decide_submission(submission, actor, CompletionSubmission.Status.ACCEPTED, note)
    _event(
        assignment,
        actor,
        Kind.ACCEPTED,
        field="status",
        old=_status_label(Status.SUBMITTED),
        new=f"{_status_label(Status.DONE)} ngày {_date(submission.completed_on)} "
        f"({_reported_words(submission.reported_on, assignment.due_date)})",
        note=note,
    )
    return assignment


@signed
@transaction.atomic
def return_completion(
    *,
    submission: CompletionSubmission,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    notify: bool = True,
) -> Assignment:
    """Return: back to "in progress" with a reason; the agency is told by e-mail
    (unless `notify` is False: the demo loader, whose addresses are examples)."""
    _require_coordinator(actor)
    assignment = submission.assignment
    _transition(
        assignment,
        from_statuses=[Status.SUBMITTED],
        expected_version=expected_version,
        status=Status.IN_PROGRESS,
    )
    _decide_submission(submission, actor, CompletionSubmission.Status.RETURNED, reason)
    _event(
        assignment,
        actor,
        Kind.RETURNED,
        field="status",
        old=_status_label(Status.SUBMITTED),
        new=_status_label(Status.IN_PROGRESS),
        note=reason,
    )
    if notify:
        transaction.on_commit(lambda: notify_returned(submission_id=submission.pk))
    return assignment


def _decide_submission(
    submission: CompletionSubmission, actor: User, status: str, note: str
) -> None:
    decided = CompletionSubmission.objects.filter(
        pk=submission.pk, status=CompletionSubmission.Status.PENDING
    ).update(status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note)
    if decided != 1:
        raise StaleAssignment()
    submission.refresh_from_db()


@signed
@transaction.atomic
def mark_done(
    *,
    assignment: Assignment,
    actor: User,
    completed_on: date,
    note: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """A coordinator records completion directly (e.g. a report came on paper).

    A submission still pending is closed as accepted, so the queue empties.
    """
    _require_coordinator(actor)
    _require_completion_date(assignment, completed_on)
    old_status = assignment.status
    _transition(
        assignment,
        from_statuses=LIVE_STATUSES,
        expected_version=expected_version,
        status=Status.DONE,
        completed_on=completed_on,
        completion_reported_on=timezone.localdate(),
    )
    assignment.submissions.filter(status=CompletionSubmission.Status.PENDING).update(
        status=CompletionSubmission.Status.ACCEPTED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=note or "Sở Nội vụ xác nhận hoàn thành trực tiếp.",
    )
    _event(
        assignment,
        actor,
        Kind.STATUS,
        field="status",
        old=_status_label(old_status),
        new=f"{_status_label(Status.DONE)} ngày {_date(completed_on)} "
        f"({_reported_words(timezone.localdate(), assignment.due_date)})",
        note=note,
    )
    return assignment


@signed
@transaction.atomic
def decide_extension(
    *, request: ExtensionRequest, actor: User, approve: bool, note: str = ""
) -> ExtensionRequest:
    """Approve (the due date moves; the original is kept) or reject a request.

    1. the request is claimed with a conditional UPDATE pending → decided, so
       two coordinators deciding at once cannot both act;
    2. on approval the assignment's due date moves only if it is still live.
    """
    _require_coordinator(actor)
    status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REJECTED
    claimed = ExtensionRequest.objects.filter(
        pk=request.pk, status=ExtensionRequest.Status.PENDING
    ).update(status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note)
    if claimed != 1:
        raise StaleAssignment("Đề nghị gia hạn này vừa được người khác xử lý.")
    request.refresh_from_db()
    assignment = request.assignment
    if approve:
        old_due = assignment.due_date
        _transition(
            assignment,
            from_statuses=LIVE_STATUSES,
            expected_version=None,
            due_date=request.requested_due_date,
        )
        _event(
            assignment,
            actor,
            Kind.EXTENSION_APPROVED,
            field="due_date",
            old=_date(old_due),
            new=_date(request.requested_due_date),
            note=note,
        )
    else:
        _event(
            assignment,
            actor,
            Kind.EXTENSION_REJECTED,
            field="due_date",
            old=_date(assignment.due_date),
            new=_date(assignment.due_date),
            note=note,
        )
    return request


def _close_pending(assignment_ids: list[int], actor: User, note: str) -> None:
    now = timezone.now()
    CompletionSubmission.objects.filter(
        assignment_id__in=assignment_ids, status=CompletionSubmission.Status.PENDING
    ).update(
        status=CompletionSubmission.Status.RETURNED,
        decided_by=actor,
        decided_at=now,
        decision_note=note,
    )
    ExtensionRequest.objects.filter(
        assignment_id__in=assignment_ids, status=ExtensionRequest.Status.PENDING
    ).update(
        status=ExtensionRequest.Status.REJECTED,
        decided_by=actor,
        decided_at=now,
        decision_note=note,
    )


@signed
@transaction.atomic
def withdraw_assignment(
    *, assignment: Assignment, actor: User, reason: str, expected_version: int | None = None
) -> Assignment:
    """Take an assignment out of the plan: never deleted, status "withdrawn"."""
    _require_coordinator(actor)
    old_status = assignment.status
    _transition(
        assignment,
        from_statuses=[s for s in Status.values if s != Status.WITHDRAWN],
        expected_version=expected_version,
        status=Status.WITHDRAWN,
    )
    _close_pending([assignment.pk], actor, f"Nhiệm vụ đã rút khỏi kế hoạch: {reason}")
    _event(
        assignment,
        actor,
        Kind.WITHDRAWN,
        field="status",
        old=_status_label(old_status),
        new=_status_label(Status.WITHDRAWN),
        note=reason,
    )
    return assignment


def withdraw_many(assignments, *, actor: User, note: str) -> int:
    """Withdraw every assignment of `assignments` not withdrawn yet; returns how many.

    1. the rows are locked (PostgreSQL) and withdrawn in one UPDATE;
    2. their pending reports and requests are closed with `note`;
    3. each gets a "rút khỏi kế hoạch" event with its former status.
    """
    rows = list(
        assignments.select_for_update()
        .exclude(status=Status.WITHDRAWN)
        .order_by("pk")
        .values_list("pk", "status")
    )
    ids = [pk for pk, _ in rows]
    Assignment.objects.filter(pk__in=ids).update(
        status=Status.WITHDRAWN, version=F("version") + 1, updated_at=timezone.now()
    )
    _close_pending(ids, actor, note)
    old_status = dict(rows)  # the update sent no signal: the audit trail is told here
    record_bulk(
        Assignment.objects.select_related("task", "agency").filter(pk__in=ids),
        action=LogEntry.Action.UPDATE,
        changes=lambda a: {"status": [old_status[a.pk], Status.WITHDRAWN.value]},
    )
    AssignmentEvent.objects.bulk_create(
        AssignmentEvent(
            assignment_id=pk,
            actor=actor,
            kind=Kind.WITHDRAWN,
            field="status",
            old_value=_status_label(status),
            new_value=_status_label(Status.WITHDRAWN),
            note=note,
        )
        for pk, status in rows
    )
    return len(ids)


@signed
@transaction.atomic
def change_lead_agency(
    *,
    assignment: Assignment,
    actor: User,
    agency: Agency,
    reason: str,
    expected_version: int | None = None,
) -> Assignment:
    """Give the assignment to another lead agency, keeping its history."""
    _require_coordinator(actor)
    if agency.pk == assignment.agency_id:
        raise WorkflowError("Cơ quan mới trùng với cơ quan chủ trì hiện tại.")
    clash = Assignment.objects.filter(
        task_id=assignment.task_id, agency=agency, period=assignment.period
    ).exists()
    if clash:
        raise WorkflowError(f"{agency.name} đã được giao nhiệm vụ này.")
    old_name = assignment.agency.name
    try:
        with transaction.atomic():
            _transition(
                assignment,
                from_statuses=LIVE_STATUSES,
                expected_version=expected_version,
                agency=agency,
            )
    except IntegrityError:
        raise WorkflowError(f"{agency.name} đã được giao nhiệm vụ này.") from None
    _event(
        assignment, actor, Kind.AGENCY, field="agency", old=old_name, new=agency.name, note=reason
    )
    return assignment


# --- Acting on many ------------------------------------------------------------------


@dataclass
class BulkOutcome:
    """What a bulk action did: the items it changed, and each refusal with its reason."""

    done: list = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)


def _each(items: Iterable, act) -> BulkOutcome:
    """`act(item)` for each item in its own transaction: a refusal (a race lost,
    a rule) rolls back that item alone and is reported, never skipped silently."""
    outcome = BulkOutcome()
    for item in items:
        try:
            with transaction.atomic():
                outcome.done.append(act(item))
        except WorkflowError as error:
            outcome.refused.append((item, error.message))
    return outcome


def accept_many(*, picks: Iterable[tuple[int, int]], actor: User, note: str = "") -> BulkOutcome:
    """Accept several completion reports, each by `accept_completion`'s rules.

    `picks` are (submission id, the assignment's version the queue showed); a
    report decided, withdrawn or changed since is refused with the reason.
    """
    _require_coordinator(actor)
    picks = list(picks)
    found = CompletionSubmission.objects.select_related(
        "assignment__task", "assignment__agency", "assignment__plan"
    ).in_bulk([pk for pk, _ in picks])

    def accept(pick):
        submission = found.get(pick[0])
        if submission is None or submission.status != CompletionSubmission.Status.PENDING:
            raise WorkflowError("Báo cáo này đã được xử lý hoặc không còn.")
        return accept_completion(
            submission=submission, actor=actor, note=note, expected_version=pick[1]
        )

    outcome = _each(picks, accept)
    outcome.refused = [
        (str(found[pk].assignment) if pk in found else f"Báo cáo số {pk}", message)
        for (pk, _), message in outcome.refused
    ]
    return outcome


def change_lead_agency_many(
    *, picks: Iterable[tuple[Assignment, int]], actor: User, agency: Agency, reason: str
) -> BulkOutcome:
    """Give each (assignment, version shown) to `agency` by `change_lead_agency`'s rules."""
    _require_coordinator(actor)
    outcome = _each(
        list(picks),
        lambda pick: change_lead_agency(
            assignment=pick[0],
            actor=actor,
            agency=agency,
            reason=reason,
            expected_version=pick[1],
        ),
    )
    outcome.refused = [(str(pick[0]), message) for pick, message in outcome.refused]
    return outcome


# --- Plans -------------------------------------------------------------------------

PLAN_FIELDS = ("number", "title", "issuing_body", "place", "issued_on", "signer", "year", "status")


@signed
@transaction.atomic
def create_plan(*, actor: User, data: dict) -> Plan:
    """A coordinator creates an (empty) plan; tasks come from the plan import."""
    _require_coordinator(actor)
    return Plan.objects.create(**{k: data[k] for k in PLAN_FIELDS if k in data})


@signed
@transaction.atomic
def update_plan(*, plan: Plan, actor: User, data: dict) -> Plan:
    _require_coordinator(actor)
    if plan.status == Plan.Status.WITHDRAWN:
        raise WorkflowError("Kế hoạch đã bị hủy bỏ, không sửa được.")
    if data.get("status") == Plan.Status.WITHDRAWN:
        raise WorkflowError("Dùng chức năng “Hủy bỏ kế hoạch” để hủy kế hoạch.")
    fields = [k for k in PLAN_FIELDS if k in data]
    for name in fields:
        setattr(plan, name, data[name])
    plan.save(update_fields=[*fields, "updated_at"])
    return plan


@signed
@transaction.atomic
def withdraw_plan(*, plan: Plan, actor: User, reason: str) -> int:
    """Withdraw a plan and every live assignment in it; returns how many.

    1. the plan row is locked (PostgreSQL) and must not be withdrawn already;
    2. its assignments are withdrawn together (`withdraw_many`), each with an
       event, so the history of every assignment says when and why it left.
    """
    _require_coordinator(actor)
    locked = (
        Plan.objects.select_for_update().filter(pk=plan.pk).exclude(status=Plan.Status.WITHDRAWN)
    )
    if not locked.exists():
        raise WorkflowError("Kế hoạch đã bị hủy bỏ trước đó.")
    count = withdraw_many(
        Assignment.objects.filter(plan=plan),
        actor=actor,
        note=f"Hủy bỏ kế hoạch {plan.number}: {reason}",
    )
    plan.status = Plan.Status.WITHDRAWN
    plan.save(update_fields=["status", "updated_at"])
    return count


# --- Notices -----------------------------------------------------------------------


def notify_returned(*, submission_id: int) -> None:
    """Tell the lead agency its completion report was returned (after commit)."""
    submission = (
        CompletionSubmission.objects.select_related("assignment__agency", "assignment__task")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        return
    assignment = submission.assignment
    recipients = set(assignment.agency.email_list)
    recipients |= set(
        Membership.objects.filter(agency=assignment.agency, role=Membership.Role.OFFICER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return
    from django.conf import settings

    body = (
        f"Sở Nội vụ đã trả lại báo cáo hoàn thành nhiệm vụ:\n{assignment.task.title}\n\n"
        f"Lý do: {submission.decision_note}\n\n"
        f"Xem chi tiết: {settings.SITE_URL}{assignment.get_absolute_url()}\n"
    )
    try:
        send_mail(
            "Báo cáo hoàn thành nhiệm vụ bị trả lại",
            body,
            None,
            sorted(recipients),
        )
    except OSError:
        logger.exception("could not send the 'returned' notice for submission %s", submission_id)
