"""Where a page's time goes: one request at a time through django.test.Client.

Same data and settings as the load test (run it after `bash bench/load/run.sh`
has generated the data set), no server and no concurrency:

    DJANGO_ENV=production SECRET_KEY=... ALLOWED_HOSTS=127.0.0.1 \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_load \
      .venv/bin/python bench/load/profile_pages.py [--profile PAGE] [--repeat N]

For each page: median and best wall time over N requests (after one warm-up
request, so a cache filled by the first one is what later readers get), the
SQL queries and their time, the HTML size. `--cold` changes the data
generation before each request (as any write does), so the cached figures and
fragments are recomputed: the cost of a cache miss. `--profile dashboard` prints the
cProfile functions with the most cumulative time for that page
(PROFILE_SORT=tottime for the most time spent in the function itself).
`--sql assignment` prints each query of one (warm) request of that page: its
time and the start of its SQL.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from agencies.models import Agency  # noqa: E402
from config.caching.generation import bump_generation  # noqa: E402
from planning.generate import CODE_PREFIX  # noqa: E402
from planning.models import Assignment, Plan  # noqa: E402


def clients():
    coordinator = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    coordinator.force_login(User.objects.get(username="g.dieuphoi"))
    busiest = (
        Agency.objects.filter(code__startswith=CODE_PREFIX, kind="district")
        .annotate(n=Count("assignments"))
        .order_by("-n")
        .first()
    )
    officer = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    officer.force_login(User.objects.get(username=f"{busiest.code.lower()}.canbo"))
    plan = (
        Plan.objects.filter(assignments__agency__code__startswith=CODE_PREFIX)
        .annotate(n=Count("assignments"))
        .order_by("-n")
        .first()
    )
    assignment = Assignment.objects.filter(agency=busiest).order_by("pk").first()
    return {
        "floor": (Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1"), "/healthz"),
        "ping": (Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1"), "/ping"),
        "dashboard": (coordinator, "/bao-cao/"),
        "plan": (coordinator, f"/ke-hoach/{plan.pk}/"),
        "inbox": (officer, "/viec-cua-don-vi/"),
        "assignment": (officer, f"/nhiem-vu/{assignment.pk}/"),
    }


def measure(client, path, repeat, cold=False):
    client.get(path)  # warm-up
    times, size, queries = [], 0, None
    for _ in range(repeat):
        if cold:
            bump_generation()  # as after any write: every cached figure is recomputed
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.content)
        queries = ctx.captured_queries
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    return statistics.median(times), min(times), len(queries), sql_ms, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--profile", default="")
    parser.add_argument("--sql", default="", help="print the queries of one request of PAGE")
    parser.add_argument(
        "--cold", action="store_true", help="change the data generation before each request"
    )
    args = parser.parse_args()
    pages = clients()
    heads = ("median ms", "best ms", "queries", "SQL ms", "HTML KB")
    print(f"{'page':<11} " + " ".join(f"{h:>9}" for h in heads))
    for name, (client, path) in pages.items():
        median, best, n, sql_ms, size = measure(client, path, args.repeat, args.cold)
        print(f"{name:<11} {median:9.1f} {best:9.1f} {n:9d} {sql_ms:9.1f} {size / 1024:9.1f}")
    if args.sql:
        client, path = pages[args.sql]
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        print(f"\n{args.sql}: {len(ctx.captured_queries)} queries")
        for query in ctx.captured_queries:
            print(f"{float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")
    if args.profile:
        client, path = pages[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            if args.cold:
                bump_generation()
            client.get(path)
        profiler.disable()
        order = os.environ.get("PROFILE_SORT", "cumulative")
        pstats.Stats(profiler).sort_stats(order).print_stats(35)


if __name__ == "__main__":
    main()
