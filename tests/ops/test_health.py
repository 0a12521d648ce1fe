"""/healthz for machines and /he-thong/ for coordinators.

Who may see what:
- anyone (no login): /healthz, which names no host, password or version;
- `coordinator`: the status page "Tình trạng hệ thống";
- `officer_stp`, `viewer`, anonymous visitors: 404 on the status page.
"""

from datetime import UTC, datetime
from unittest import mock

import pytest
import redis
from django.db import OperationalError
from django.urls import reverse
from django_q.models import Schedule, Task

from config.health import SWEEP_FUNC, SWEEP_SCHEDULE
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/15"


def record_task(*, func=SWEEP_FUNC, success=True, stopped):
    return Task.objects.create(
        id=f"{func}-{stopped.timestamp()}-{success}"[-32:],
        name=f"task-{stopped.timestamp()}",
        func=func,
        started=stopped,
        stopped=stopped,
        success=success,
    )


def test_healthz_answers_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "orm",
        "last_sweep": None,
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_shows_the_last_successful_sweep(client):
    record_task(stopped=datetime(2026, 11, 1, 1, 0, tzinfo=UTC))
    record_task(stopped=datetime(2026, 11, 2, 1, 0, tzinfo=UTC))
    record_task(stopped=datetime(2026, 11, 3, 1, 0, tzinfo=UTC), success=False)
    record_task(stopped=datetime(2026, 11, 4, 1, 0, tzinfo=UTC), func="other.task")
    body = client.get("/healthz").json()
    assert datetime.fromisoformat(body["last_sweep"]) == datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def test_healthz_is_503_with_the_reason_when_the_database_fails(client):
    error = OperationalError('connection to server at "10.0.0.5", port 5432 failed: password')
    with mock.patch("config.health.connection.cursor", side_effect=error):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["reasons"] == ["database: OperationalError"]
    assert "10.0.0.5" not in response.content.decode()
    assert "password" not in response.content.decode()


def test_healthz_is_503_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["reasons"] == ["broker: ConnectionError"]
    assert response.json()["broker"] == "redis"


def test_healthz_pings_redis_when_it_is_the_broker(client, settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.REDIS_URL = REDIS_URL
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "redis"


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_status_page_shows_the_sweep_to_coordinators(
    client, coordinator, django_assert_max_num_queries
):
    record_task(stopped=datetime(2026, 11, 2, 1, 30, tzinfo=UTC))  # 08:30 in Hà Nội
    Schedule.objects.create(
        name=SWEEP_SCHEDULE,
        func=SWEEP_FUNC,
        schedule_type=Schedule.DAILY,
        next_run=datetime(2026, 11, 3, 1, 30, tzinfo=UTC),
    )
    client_for(client, coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("system_status"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tình trạng hệ thống" in html
    assert "Hoạt động bình thường" in html
    assert "08:30 02/11/2026" in html
    assert "08:30 03/11/2026" in html
    assert 'href="/he-thong/"' in html  # the menu line


def test_status_page_says_when_no_sweep_has_run(client, coordinator):
    client_for(client, coordinator)
    html = client.get(reverse("system_status")).content.decode()
    assert "Chưa có" in html
    assert "Chưa lập lịch" in html


@pytest.mark.parametrize("persona", ["officer_stp", "viewer"])
def test_status_page_is_404_for_everyone_else(client, request, persona):
    client_for(client, request.getfixturevalue(persona))
    assert client.get(reverse("system_status")).status_code == 404
    assert 'href="/he-thong/"' not in client.get(reverse("planning:plan_list")).content.decode()


def test_status_page_is_404_for_anonymous_visitors(client):
    assert client.get(reverse("system_status")).status_code == 404


class FakeCluster:
    """What django-q2's Stat.get_all() returns for one running qcluster."""

    host = "may-chu-1"
    pid = 12397
    status = "Idle"  # django-q2's own word (Conf.IDLE): it has no Vietnamese catalogue
    workers = [1, 2]

    def uptime(self):
        return 2 * 86400 + 3 * 3600 + 5 * 60 + 9


def test_status_page_speaks_vietnamese_about_the_clusters(client, coordinator):
    with mock.patch("django_q.status.Stat.get_all", return_value=[FakeCluster()]):
        html = client_for(client, coordinator).get(reverse("system_status")).content.decode()
    assert "<td>12397</td>" in html  # a process id, never "12.397"
    assert "12.397" not in html
    assert "Đang chờ việc" in html
    assert "2 ngày 3 giờ 5 phút" in html
    for english in ("Idle", "PID", "worker", "day,", "qcluster)"):
        assert english not in html


def test_status_page_names_a_failed_part_in_vietnamese(client, coordinator):
    with mock.patch("config.health.check_database", return_value="database: OperationalError"):
        html = client_for(client, coordinator).get(reverse("system_status")).content.decode()
    assert "Có sự cố" in html
    assert "Cơ sở dữ liệu không phản hồi (OperationalError)" in html
    assert "database:" not in html
