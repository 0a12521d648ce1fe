"""The reminder log page: what was sent to whom, when, and what failed; each
user's own notices ("Thông báo"); and "Đôn đốc", a reminder a coordinator
sends now (notifications/nudges.py).

The log is a 404 for everyone but coordinators; "Đôn đốc" on an assignment or
agency the user may see is a 403, on one they may not a 404.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from agencies import access
from agencies.models import Agency
from planning.access import get_assignment_or_404
from planning.listing import (
    OVERDUE,
    Listing,
    assignment_filters,
    choice_filter,
    due_period_filter,
    filter_choices,
    value_filter,
)
from planning.models import Assignment

from . import notices
from .candidates import remindable
from .models import Delivery, Notification
from .nudges import remind_now

NUDGE_HORIZON = timedelta(days=30)
"""An agency's "Đôn đốc" covers its overdue work and what falls due within this."""

PAGE_SIZE = 50


LOG = Listing(
    sorts={
        "tao": ("-created_at", "-pk"),
        "gui": ("-sent_at", "-pk"),
        "so_lan": ("-attempts", "-created_at", "-pk"),
        "co_quan": ("agency__name", "-created_at", "-pk"),
        "han": ("due_date", "-created_at", "-pk"),
    },
    default="tao",
    filters=[
        choice_filter("trang_thai", "status", Notification.Status.values),
        choice_filter("loai", "kind", Notification.Kind.values),
        value_filter("co_quan", "agency__code"),
        value_filter("ke_hoach", "assignment__plan_id", r"\d{1,10}"),
        due_period_filter("han", "due_date"),
        *(
            f
            for f in assignment_filters("assignment__", agency=False, plan=False)
            if f.param == OVERDUE
        ),
    ],
)


@login_required
def notification_log(request):
    """Every notice logged, newest first, filtered and sorted from the URL."""
    if not access.is_coordinator(request.user):
        raise Http404
    listing = LOG.read(request.GET, today=timezone.localdate())
    rows = listing.apply(
        Notification.objects.select_related(
            "agency", "assignment__task", "indicator"
        ).prefetch_related("deliveries")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/log.html",
        {
            "page": page,
            "listing": listing,
            "statuses": Notification.Status.choices,
            "kinds": Notification.Kind.choices,
            "failed_count": Notification.objects.filter(status=Notification.Status.FAILED).count(),
            "refused_count": Delivery.objects.filter(status__in=Delivery.UNSERVED).count(),
            **filter_choices(request.user),
        },
    )


@login_required
def notice_list(request):
    """The user's own notices, newest first; `?chua_doc=1` shows the unread only."""
    rows = notices.notices_of(request.user).select_related("assignment__plan", "agency")
    unread_only = request.GET.get("chua_doc") == "1"
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notices.html",
        {"page": page, "unread_only": unread_only},
    )


def _report_nudge(request, result) -> None:
    if result.queued:
        sent = (
            "đã gửi"
            if result.sent == len(result.queued)
            else "đã chuyển tới máy chủ thư (một phần chưa gửi được, hệ thống sẽ thử lại)"
        )
        messages.success(request, f"Đôn đốc {len(result.queued)} nhiệm vụ: {sent}.")
    if result.already:
        messages.info(
            request,
            f"{len(result.already)} nhiệm vụ đã được đôn đốc hôm nay; "
            "mỗi nhiệm vụ được đôn đốc nhiều nhất một lần mỗi ngày.",
        )
    if result.closed:
        messages.info(
            request,
            f"{len(result.closed)} nhiệm vụ đã hoàn thành, đã rút hoặc không thuộc kế hoạch "
            "đang thực hiện: không đôn đốc.",
        )
    if not (result.queued or result.already or result.closed):
        messages.info(request, "Không có nhiệm vụ nào cần đôn đốc.")


@login_required
@require_POST
def notice_read(request, pk):
    """Mark one of the user's notices read (someone else's: 404)."""
    if not notices.notices_of(request.user).filter(pk=pk).exists():
        raise Http404
    notices.mark_read(request.user, pk=pk)
    return redirect(_back(request))


@login_required
@require_POST
def notice_read_all(request):
    count = notices.mark_read(request.user)
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return redirect(_back(request))


def _back(request) -> str:
    """Back to the list page the form was on (only our own path, never another site)."""
    page = request.POST.get("page", "")
    return (
        f"{reverse('notifications:notices')}?page={page}"
        if page.isdigit()
        else reverse("notifications:notices")
    )


@login_required
@require_POST
def remind_assignment(request, pk):
    assignment = get_assignment_or_404(
        request.user, pk, Assignment.objects.select_related("agency")
    )
    if not access.is_coordinator(request.user):
        raise PermissionDenied
    _report_nudge(request, remind_now([assignment]))
    return redirect(assignment.get_absolute_url())


@login_required
@require_POST
def remind_agency(request, pk):
    agency = get_object_or_404(Agency, pk=pk)
    if not access.can_view_agency(request.user, agency):
        raise Http404
    if not access.is_coordinator(request.user):
        raise PermissionDenied
    horizon = timezone.localdate() + NUDGE_HORIZON
    work = list(
        remindable()
        .filter(agency=agency, due_date__lte=horizon)
        .select_related("agency")
        .order_by("due_date", "pk")
    )
    _report_nudge(request, remind_now(work))
    return redirect("planning:agency_detail", agency.code)
