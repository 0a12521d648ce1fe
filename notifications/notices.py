"""In-app notices ("Thông báo"): who is told what, read or not, e-mailed or not.

Planning announces the history events it records (`planning.signals`); this
module decides who each one concerns and writes one `Notice` per person:

- officers of the lead agency: a new assignment (created, or given to their
  agency), a return with its reason, an extension decision, an accepted
  completion, a changed deadline;
- coordinators: a new completion report or extension request;
- coordinators, from the reminder sweep: an agency escalated for overdue work.

Nobody is told about their own action, and officers are never told about a
draft plan (drafts are the coordinators' alone, `planning.access`). Users who
chose it on the account page also get each notice by e-mail, through the
exactly-once log (`Notification` of kind NOTICE, sent by the sweep's send
phase), except returns, which `planning.workflow.services.notify_returned`
already e-mails to every officer of the agency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from agencies.models import Membership
from config.caching.generation import bump_user_tokens, cached_figures, figures_key, user_token
from planning.models import Assignment, AssignmentEvent, Plan

from .models import Notice, Notification

EventKind = AssignmentEvent.Kind
Kind = Notice.Kind

FOR_OFFICERS = {
    EventKind.CREATED: Kind.ASSIGNED,
    EventKind.AGENCY: Kind.ASSIGNED,
    EventKind.RETURNED: Kind.RETURNED,
    EventKind.EXTENSION_APPROVED: Kind.EXTENSION_APPROVED,
    EventKind.EXTENSION_REJECTED: Kind.EXTENSION_REJECTED,
    EventKind.ACCEPTED: Kind.ACCEPTED,
    EventKind.DUE_DATE: Kind.DUE_CHANGED,
}
FOR_COORDINATORS = {
    EventKind.SUBMITTED: Kind.SUBMITTED,
    EventKind.EXTENSION_REQUESTED: Kind.EXTENSION_REQUESTED,
}
NOT_EMAILED = {Kind.RETURNED}
"""Already e-mailed to the agency's officers by the workflow itself."""


def _detail(event: AssignmentEvent, kind: str) -> str:
    """The line under the title: the reason, the new date, the new status."""
    if kind == Kind.RETURNED:
        return f"Lý do: {event.note}" if event.note else ""
    if kind in (Kind.DUE_CHANGED, Kind.EXTENSION_APPROVED, Kind.EXTENSION_REQUESTED):
        text = f"Hạn: {event.old_value} → {event.new_value}" if event.old_value else ""
        return f"{text}. {event.note}".strip(". ") if event.note else text
    if kind == Kind.ASSIGNED and event.kind == EventKind.CREATED:
        return f"Hạn: {event.new_value}" if event.new_value else ""
    return event.note


def _members(role: str, agency_ids: Iterable[int] | None = None) -> dict[int | None, list]:
    """{agency id: [(user id, e-mail, wants e-mail)]} of active members with `role`."""
    rows = Membership.objects.filter(role=role, user__is_active=True)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    found: dict[int | None, list] = defaultdict(list)
    for agency_id, user_id, email, wants in rows.values_list(
        "agency_id", "user_id", "user__email", "email_notices"
    ):
        found[agency_id].append((user_id, email, wants))
    return found


def notices_for_events(events: list[AssignmentEvent]) -> list[Notice]:
    """Write the notices these events call for; a constant number of queries.

    1. Keep the events someone is told about; read their assignments (task,
       plan status, agency) in one query.
    2. Read the officers of the agencies concerned, and the coordinators, in
       one query each.
    3. Insert the notices, skipping any already written for (user, source),
       then queue e-mails for those who want them.
    """
    wanted = [e for e in events if e.kind in FOR_OFFICERS or e.kind in FOR_COORDINATORS]
    if not wanted:
        return []
    assignments = Assignment.objects.select_related("task", "plan").in_bulk(
        {e.assignment_id for e in wanted}
    )
    officer_agencies = {
        assignments[e.assignment_id].agency_id for e in wanted if e.kind in FOR_OFFICERS
    }
    officers = _members(Membership.Role.OFFICER, officer_agencies) if officer_agencies else {}
    coordinators = (
        _members_all(Membership.Role.COORDINATOR)
        if any(e.kind in FOR_COORDINATORS for e in wanted)
        else []
    )
    notices, emails = [], {}
    for event in wanted:
        assignment = assignments[event.assignment_id]
        if event.kind in FOR_OFFICERS:
            if assignment.plan.status == Plan.Status.DRAFT:
                continue
            kind, people = FOR_OFFICERS[event.kind], officers.get(assignment.agency_id, [])
        else:
            kind, people = FOR_COORDINATORS[event.kind], coordinators
        for user_id, email, wants in people:
            if user_id == event.actor_id:
                continue
            notice = Notice(
                user_id=user_id,
                kind=kind,
                source=f"e:{event.pk}",
                assignment=assignment,
                agency_id=assignment.agency_id,
                summary=str(assignment.task.title)[:500],
                detail=_detail(event, kind),
            )
            notices.append(notice)
            if wants and email and kind not in NOT_EMAILED:
                emails[(user_id, notice.source)] = notice
    return _save(notices, emails)


def _members_all(role: str) -> list:
    return [m for members in _members(role).values() for m in members]


def notices_for_escalation(rows: list[Notification]) -> list[Notice]:
    """The coordinators' notice for one escalation e-mail (rows of one agency,
    due date and step); written once however often the e-mail is retried."""
    first = min(rows, key=lambda r: r.pk)
    agency = first.agency
    count = len(rows)
    notices, emails = [], {}
    for user_id, email, wants in _members_all(Membership.Role.COORDINATOR):
        notice = Notice(
            user_id=user_id,
            kind=Kind.ESCALATED,
            source=f"n:{first.pk}",
            assignment=first.assignment if count == 1 else None,
            agency=agency,
            summary=f"{agency.name}: {count} nhiệm vụ quá hạn sau {first.step} lần nhắc"[:500],
            detail=f"Hạn {first.due_date:%d/%m/%Y}." if first.due_date else "",
        )
        notices.append(notice)
        if wants and email:
            emails[(user_id, notice.source)] = notice
    return _save(notices, emails)


def _save(notices: list[Notice], emails: dict) -> list[Notice]:
    """Insert the notices, each (user, source) once, with their e-mails.

    1. Notices already written (a retried escalation, a repeated event) are
       left out.
    2. For those who want e-mail, one log row per notice under the log's unique
       (scope, kind, period), so the sweep's send phase claims and sends it
       once like any reminder; the notice points at it.
    3. The notices are inserted (a concurrent duplicate is ignored) and their
       users' tokens move, so headers and cached pages show the new count.
    """
    if not notices:
        return []
    existing = set(
        Notice.objects.filter(
            user_id__in={n.user_id for n in notices}, source__in={n.source for n in notices}
        ).values_list("user_id", "source")
    )
    fresh = [n for n in notices if (n.user_id, n.source) not in existing]
    to_mail = [n for n in fresh if (n.user_id, n.source) in emails]
    if to_mail:
        _attach_emails(to_mail)
    Notice.objects.bulk_create(fresh, ignore_conflicts=True)
    bump_user_tokens(n.user_id for n in fresh)
    return fresh


def _attach_emails(notices: list[Notice]) -> None:
    now = timezone.now()
    rows = [
        Notification(
            scope=f"u:{n.user_id}",
            kind=Notification.Kind.NOTICE,
            period=n.source,
            assignment=n.assignment,
            agency=n.agency,
            due_on=timezone.localdate(now),
            next_attempt_at=now,
        )
        for n in notices
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    logged = {
        (scope, period): pk
        for pk, scope, period in Notification.objects.filter(
            kind=Notification.Kind.NOTICE,
            scope__in={r.scope for r in rows},
            period__in={r.period for r in rows},
        ).values_list("pk", "scope", "period")
    }
    for notice in notices:
        notice.email_id = logged.get((f"u:{notice.user_id}", notice.source))


# --- Reading -------------------------------------------------------------------------


def notices_of(user) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user)


def unread_count(user) -> int:
    """The header's figure: from the cache under the user's token, else one query."""
    key = figures_key("unread-notices", user.pk, user_token(user.pk))
    return cached_figures(
        key, lambda: Notice.objects.filter(user=user, read_at__isnull=True).count()
    )


def mark_read(user, *, pk: int | None = None) -> int:
    """Mark one notice (or, without `pk`, all) of this user read; returns how many."""
    rows = Notice.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    changed = rows.update(read_at=timezone.now())
    if changed:
        bump_user_tokens([user.pk])
    return changed


def on_events_recorded(sender, *, events, **kwargs) -> None:
    """Receiver of `planning.signals.events_recorded` (connected in `apps.ready`)."""
    notices_for_events(events)
