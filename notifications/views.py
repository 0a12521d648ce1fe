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
from django.utils import timezone
from django.views.decorators.http import require_POST

from agencies import access
from planning.listing import (
    OVERDUE,
    Listing,
    assignment_filters,
    choice_filter,
    due_period_filter,
    filter_choices,
    value_filter,
)

from . import notices
from .models import Delivery, Notification

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
