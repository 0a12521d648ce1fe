"""The reminder log page: what was sent to whom, when, and what failed.

Coordinators only; everyone else gets a 404, as for any object they may not see.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from agencies import access

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
