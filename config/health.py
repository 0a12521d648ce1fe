"""Is the service up? `/healthz` for machines, `/he-thong/` for coordinators.

`/healthz` answers 200 only when the database and the task broker both answer
(Redis PING when REDIS_URL is set; with the ORM broker the queue lives in the
database, so the database check covers it), else 503 naming the failed part.
It needs no login, so it names only the exception class, never a host, a
password or a version. It also reports when the reminder sweep last succeeded,
read from django-q2's own record of successful tasks.

The status page shows the same, plus the queue's length, the sweep schedule's
next run and the running qcluster instances; it is 404 for everyone but
coordinators.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from agencies import access
from planning.reports.fonts import pdf_font_problems

logger = logging.getLogger(__name__)

# Named by the reminders feature (notifications/): the scheduled function and its schedule.
SWEEP_FUNC = "notifications.tasks.run_sweep"
SWEEP_SCHEDULE = "cchc-reminder-sweep"
PROBE_TIMEOUT_SECONDS = 2

# django-q2's cluster states (django_q.conf.Conf) as the status page names them:
# django-q2 ships no Vietnamese catalogue, so its own words would show as "Idle".
CLUSTER_STATES = {
    "Starting": "Đang khởi động",
    "Working": "Đang xử lý",
    "Idle": "Đang chờ việc",
    "Stopping": "Đang dừng",
    "Stopped": "Đã dừng",
}
# What failed, for the page; /healthz keeps the machine-readable "database: …".
PROBLEM_PARTS = {"database": "Cơ sở dữ liệu không phản hồi", "broker": "Hàng đợi không phản hồi"}

_redis_clients: dict[str, redis.Redis] = {}


def _redis(url: str) -> redis.Redis:
    """One client (and connection pool) per process and URL, with short timeouts,
    so a hung Redis makes the probe fail fast instead of hanging the worker."""
    if url not in _redis_clients:
        _redis_clients[url] = redis.Redis.from_url(
            url,
            socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
            socket_timeout=PROBE_TIMEOUT_SECONDS,
        )
    return _redis_clients[url]


def broker_kind() -> str:
    return "redis" if settings.REDIS_URL else "orm"


def check_database() -> str | None:
    """None when the database answers, else the reason (an exception class)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.exception("health check: database")
        return f"database: {type(exc).__name__}"
    return None


def check_broker() -> str | None:
    """None when the broker answers. The ORM broker is the database: nothing more to ask."""
    if not settings.REDIS_URL:
        return None
    try:
        if not _redis(settings.REDIS_URL).ping():
            return "broker: no PONG"
    except Exception as exc:
        logger.exception("health check: broker")
        return f"broker: {type(exc).__name__}"
    return None


def last_sweep() -> datetime | None:
    """When the reminder sweep last finished successfully (None: never, or unknown)."""
    from django_q.models import Success

    try:
        return (
            Success.objects.filter(func=SWEEP_FUNC)
            .order_by("-stopped")
            .values_list("stopped", flat=True)
            .first()
        )
    except Exception:
        logger.exception("health check: last sweep")
        return None


@require_safe
@never_cache
def healthz(request):
    problems = [p for p in (check_database(), check_broker()) if p]
    sweep = last_sweep() if not problems else None
    body = {
        "status": "unavailable" if problems else "ok",
        "database": "error" if any(p.startswith("database") for p in problems) else "ok",
        "broker": broker_kind(),
        "last_sweep": sweep.isoformat() if sweep else None,
    }
    if problems:
        body["reasons"] = problems
    return JsonResponse(body, status=503 if problems else 200)


@dataclass
class SystemStatus:
    problems: list[str]
    broker: str
    last_sweep: datetime | None
    sweep_failures: int | None = None
    next_sweep: datetime | None = None
    queued: int | None = None
    clusters: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_labels(self) -> list[str]:
        """ "Cơ sở dữ liệu không phản hồi (OperationalError)" for "database: OperationalError"."""
        labels = []
        for problem in self.problems:
            part, _, detail = problem.partition(": ")
            labels.append(f"{PROBLEM_PARTS.get(part, part)} ({detail})" if detail else problem)
        return labels


def duration_label(seconds: int) -> str:
    """ "2 ngày 3 giờ 5 phút": how long a cluster has run, in the page's language."""
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if not (days or hours or minutes):
        return "dưới 1 phút"
    parts = [f"{days} ngày"] if days else []
    if days or hours:
        parts.append(f"{hours} giờ")
    parts.append(f"{minutes} phút")
    return " ".join(parts)


def system_status() -> SystemStatus:
    """Everything the status page shows; each part fails on its own, never the page."""
    from django_q.brokers import get_broker
    from django_q.models import Failure, Schedule
    from django_q.status import Stat

    status = SystemStatus(
        problems=[p for p in (check_database(), check_broker()) if p] + pdf_font_problems(),
        broker=broker_kind(),
        last_sweep=last_sweep(),
    )
    week_ago = timezone.now() - timedelta(days=7)
    try:
        status.sweep_failures = Failure.objects.filter(
            func=SWEEP_FUNC, stopped__gte=week_ago
        ).count()
        status.next_sweep = (
            Schedule.objects.filter(name=SWEEP_SCHEDULE).values_list("next_run", flat=True).first()
        )
    except Exception:
        logger.exception("status page: django-q tables")
    try:
        broker = get_broker()
        status.queued = broker.queue_size()
        status.clusters = [
            {
                "host": stat.host,
                "pid": stat.pid,
                "status": CLUSTER_STATES.get(str(stat.status), str(stat.status)),
                "workers": len(stat.workers),
                "uptime": duration_label(int(stat.uptime())),
            }
            for stat in Stat.get_all(broker)
        ]
    except Exception:
        logger.exception("status page: broker")
    return status


@never_cache
def status_page(request):
    """ "Tình trạng hệ thống": coordinators only (404 for anyone else)."""
    if not access.is_coordinator(request.user):
        raise Http404
    return render(request, "ops/status.html", {"status": system_status()})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("he-thong/", status_page, name="system_status"),
]
