"""The production cache: Django's Redis backend keeping one client per pool
(config/caching/redis_backend.py), against the Redis server on 127.0.0.1:6379.

Keys carry a random prefix, so nothing else in that Redis database is touched.
"""

import uuid
from datetime import date

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from tests.conftest import client_for
from tests.factories import make_assignment, make_plan

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"cchc-test-{uuid.uuid4().hex}"
    from django.conf import settings

    config = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.caching.redis_backend.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    with override_settings(CACHES=config):
        yield caches["default"]
    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def test_the_backend_keeps_one_client_and_works_as_django_s(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache.get("missing", "—") == "—"
    redis_cache.set("figures", {"ratio": "92,31%", "rows": [1, 2, 3]}, 60)
    assert redis_cache.get("figures") == {"ratio": "92,31%", "rows": [1, 2, 3]}
    assert redis_cache.add("figures", "other") is False
    assert redis_cache.add("new", "mới") is True
    assert redis_cache.get_many(["figures", "new", "missing"]) == {
        "figures": {"ratio": "92,31%", "rows": [1, 2, 3]},
        "new": "mới",
    }
    redis_cache.set("count", 1)
    assert redis_cache.incr("count", 2) == 3
    assert redis_cache.delete("new") is True
    assert redis_cache.get("new") is None
    assert redis_cache._cache.get_client() is client


def test_pages_sessions_and_cached_figures_on_redis(
    redis_cache, client, coordinator, stp, django_assert_max_num_queries
):
    plan = make_plan("192/KH-UBND", year=2022)
    assignment = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31))
    client_for(client, coordinator)
    for url in ("/bao-cao/", plan.get_absolute_url(), assignment.get_absolute_url()):
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(1):  # the user; the rest from Redis
            assert client.get(url).status_code == 200
