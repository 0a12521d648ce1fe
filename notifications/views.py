"""The reminder log page (coordinators only; everyone else gets a 404, as for
any object they may not see) and each user's own notices ("Thông báo").
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from agencies import access

from . import notices
from .models import Delivery, Notification

PAGE_SIZE = 50


@login_required
def notification_log(request):
    if not access.is_coordinator(request.user):
        raise Http404
    rows = (
        Notification.objects.select_related("agency", "assignment__task")
        .prefetch_related("deliveries")
        .order_by("-created_at", "-pk")
    )
    status = request.GET.get("trang_thai", "")
    if status in Notification.Status.values:
        rows = rows.filter(status=status)
    kind = request.GET.get("loai", "")
    if kind in Notification.Kind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/log.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "statuses": Notification.Status.choices,
            "kinds": Notification.Kind.choices,
            "failed_count": Notification.objects.filter(status=Notification.Status.FAILED).count(),
            "refused_count": Delivery.objects.filter(status__in=Delivery.UNSERVED).count(),
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
