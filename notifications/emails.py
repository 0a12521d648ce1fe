"""The e-mails, rendered from templates: one helper, one small function per notice.

`make_message("overdue", to, ctx)` renders `emails/overdue-subject.txt`,
`emails/overdue-body.txt` and `emails/overdue-body.html` into a message with a
plain-text body and an HTML alternative. Each notice function only gathers
what its template needs; deciding who receives what is `notifications.recipients`' job.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from agencies.models import Agency
from planning.deadlines import due_label, month_end, month_label
from planning.models import Assignment, Indicator

ACTIVE_PLAN = "active"
CLOSED_STATUSES = (Assignment.Status.DONE, Assignment.Status.WITHDRAWN)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def message_id(notice_pk: int, address: str) -> str:
    """A Message-ID fixed by the notice's row and the recipient, the same on every retry.

    Not `make_msgid()`: that mixes in the time, a random number and the sending
    host, so a repeat after a lost reply would look like a new message. The
    domain is the site's, not the worker's host name, for the same reason.
    """
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:12]
    domain = urlsplit(settings.SITE_URL).hostname or "cchc.invalid"
    return f"<cchc-notice-{notice_pk}-{digest}@{domain}>"


def make_message(name: str, to: list[str], ctx: dict, *, connection=None) -> EmailMultiAlternatives:
    ctx = {"site_url": settings.SITE_URL, **ctx}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{name}-body.txt", ctx)
    html = render_to_string(f"emails/{name}-body.html", ctx)
    message = EmailMultiAlternatives(subject, text, to=to, connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def _item(assignment: Assignment, today: date) -> dict:
    return {
        "title": str(assignment.task.title),
        "plan": str(assignment.plan.number),
        "period": assignment.period,
        "due_label": assignment.due_label,  # as the plan states it: "Quý III/2022 (30/09/2022)"
        "due_date": assignment.due_date,
        "days_late": assignment.days_late(today),
        "days_left": assignment.days_left(today),
        "status": assignment.get_status_display(),
        "url": absolute_url(assignment.get_absolute_url()),
    }


def when_phrase(due: date) -> str:
    """ "trong tháng 7/2022" for a month's last day, else "ngày 15/08/2022"."""
    label = due_label(due)
    return f"trong {label}" if label.startswith("tháng") else f"ngày {label}"


def due_soon(assignments: list[Assignment], to: list[str], *, today: date, connection=None):
    due = assignments[0].due_date
    days_left = (due - today).days
    ctx = {
        "agency": assignments[0].agency,
        "count": len(assignments),
        "when": when_phrase(due),
        "days_left": days_left,
        "items": [_item(a, today) for a in assignments],
    }
    return make_message("due_soon", to, ctx, connection=connection)


def overdue(assignments: list[Assignment], to: list[str], *, today: date, connection=None):
    due = assignments[0].due_date
    ctx = {
        "agency": assignments[0].agency,
        "count": len(assignments),
        "due_label": due_label(due),
        "days_late": (today - due).days,
        "items": [_item(a, today) for a in assignments],
    }
    return make_message("overdue", to, ctx, connection=connection)


def nudge(assignments: list[Assignment], to: list[str], *, today: date, connection=None):
    """ "Đôn đốc": a coordinator asks the agency, now, to act on these assignments."""
    ctx = {
        "agency": assignments[0].agency,
        "count": len(assignments),
        "items": [_item(a, today) for a in assignments],
    }
    return make_message("nudge", to, ctx, connection=connection)


def escalation(
    assignments: list[Assignment], to: list[str], *, today: date, reminders: int, connection=None
):
    due = assignments[0].due_date
    ctx = {
        "agency": assignments[0].agency,
        "count": len(assignments),
        "due_label": due_label(due),
        "days_late": (today - due).days,
        "reminders": reminders,
        "items": [_item(a, today) for a in assignments],
    }
    return make_message("escalation", to, ctx, connection=connection)


def missing_result(
    agency: Agency, indicators: list[Indicator], to: list[str], *, period_end: date, connection=None
):
    """The measured targets an agency leads whose period ended on `period_end`
    without a value (`notifications.candidates.missing_result_candidates`)."""
    ctx = {
        "agency": agency,
        "count": len(indicators),
        "period": indicators[0].period_label(period_end),
        "period_end": period_end,
        "items": [
            {
                "code": i.code,
                "name": i.name,
                "plan": i.indicator_set.plan.number,
                "url": absolute_url(reverse("indicators:enter_result", args=[i.pk])),
            }
            for i in indicators
        ],
    }
    return make_message("missing_result", to, ctx, connection=connection)


def weekly_digest(
    agency: Agency, to: list[str], *, today: date, upcoming_days: int, connection=None
):
    """The agency's overdue, due-this-month and upcoming work (one query)."""
    last_of_month = month_end(today.year, today.month)
    horizon = max(today + timedelta(days=upcoming_days), last_of_month)
    rows = (
        Assignment.objects.filter(agency=agency, plan__status=ACTIVE_PLAN, due_date__lte=horizon)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("task", "plan")
        .order_by("due_date", "plan__number", "task__order", "pk")
    )
    overdue_items, this_month, upcoming = [], [], []
    for a in rows:
        item = _item(a, today)
        if a.due_date < today:
            overdue_items.append(item)
        elif a.due_date <= last_of_month:
            this_month.append(item)
        else:
            upcoming.append(item)
    monday = today - timedelta(days=today.weekday())
    ctx = {
        "agency": agency,
        "overdue": overdue_items,
        "this_month": this_month,
        "upcoming": upcoming,
        "month": month_label(today),
        "week": f"{monday:%d/%m}–{monday + timedelta(days=6):%d/%m/%Y}",
        "agency_url": absolute_url(reverse("planning:agency_detail", args=[agency.code])),
    }
    return make_message("weekly_digest", to, ctx, connection=connection)


def monthly_summary(to: list[str], *, today: date, connection=None):
    """The roll-up per agency over the active plans (two aggregate queries)."""
    active = Assignment.objects.filter(plan__status=ACTIVE_PLAN)
    rows = sorted(
        active.rollup_by("agency__code", "agency__name", today=today),
        key=lambda r: (-r.open_overdue, r.ratio or 0, r.key["agency__name"]),
    )
    ctx = {
        "today": today,
        "total": active.rollup(today),
        "rows": [r for r in rows if r.total],
        "month": month_label(today),
    }
    return make_message("monthly_summary", to, ctx, connection=connection)


def notice(notice, to: list[str], *, connection=None):
    """One in-app notice ("Thông báo"), e-mailed to the user who asked for it."""
    url = (
        notice.assignment.get_absolute_url()
        if notice.assignment_id
        else reverse("notifications:notices")
    )
    ctx = {"notice": notice, "kind": notice.get_kind_display(), "url": absolute_url(url)}
    return make_message("notice", to, ctx, connection=connection)
