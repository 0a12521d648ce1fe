"""Roll-up over 100,000 assignments on PostgreSQL: ORM vs a hand-written SQL aggregate.

    .venv/bin/python bench/bench_rollup.py

Target (docs/REPORTS.md): the report's aggregate (the roll-up plus the update
count, as the dashboard runs it) at most 1.5x the hand-written SQL computing the
same numbers, measured in the same run; and the dashboard's query count at
100,000 assignments (the tests check it is constant from small data up).
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from _setup import ensure_data, setup

setup("cchc_bench_reports")

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from planning.models import Assignment  # noqa: E402
from planning.reports.statistics import report_aggregates, update_window  # noqa: E402

N = 100_000
AS_OF = date(2024, 6, 30)
ensure_data(agencies=120, plans=12, assignments=N, seed=6)

SQL = """
SELECT
  COUNT(*) FILTER (WHERE status <> 'withdrawn') AS total,
  COUNT(*) FILTER (WHERE status = 'done' AND completed_on <= %(d)s) AS done,
  COUNT(*) FILTER (WHERE status = 'done' AND completed_on <= %(d)s
                   AND (due_date IS NULL OR completed_on <= due_date)) AS done_on_time,
  COUNT(*) FILTER (WHERE status = 'done' AND completed_on <= %(d)s
                   AND completed_on > due_date) AS done_late,
  COUNT(*) FILTER (WHERE status <> 'withdrawn' AND NOT (status = 'done' AND completed_on <= %(d)s)
                   AND due_date >= %(d)s) AS open_not_due,
  COUNT(*) FILTER (WHERE status <> 'withdrawn' AND NOT (status = 'done' AND completed_on <= %(d)s)
                   AND due_date < %(d)s) AS open_overdue,
  COUNT(*) FILTER (WHERE status <> 'withdrawn' AND NOT (status = 'done' AND completed_on <= %(d)s)
                   AND due_date IS NULL) AS ongoing,
  COUNT(*) FILTER (WHERE status <> 'withdrawn' AND original_due_date IS NOT NULL
                   AND due_date > original_due_date) AS extended,
  COUNT(*) FILTER (WHERE status <> 'withdrawn' AND NOT (status = 'done' AND completed_on <= %(d)s)
                   AND last_progress_at >= %(start)s AND last_progress_at < %(end)s)
                   AS updated_recently
FROM planning_assignment
"""
KEYS = ["total", "done", "done_on_time", "done_late", "open_not_due", "open_overdue",
        "ongoing", "extended", "updated_recently"]  # fmt: skip


def hand_sql() -> dict:
    start, end = update_window(AS_OF)
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"d": AS_OF, "start": start, "end": end})
        return dict(zip(KEYS, cursor.fetchone(), strict=True))


def orm() -> dict:
    row = Assignment.objects.aggregate(**report_aggregates(AS_OF))
    return {k: row[k] for k in KEYS}


def timed(fn, runs=7):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return result, statistics.median(samples)


hand_sql(), orm()  # warm the cache
(sql_row, sql_t), (orm_row, orm_t) = timed(hand_sql), timed(orm)
assert sql_row == orm_row, (sql_row, orm_row)
print(f"assignments: {Assignment.objects.count()}  as of {AS_OF}")
print(f"figures: {orm_row}")
print(f"hand-written SQL: {sql_t * 1000:.1f} ms (median of 7)")
print(f"ORM report aggregate: {orm_t * 1000:.1f} ms (median of 7)  ratio {orm_t / sql_t:.2f}x")

user, _ = User.objects.get_or_create(username="bench.coordinator", defaults={"is_superuser": True})
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
with CaptureQueriesContext(connection) as ctx:
    start = time.perf_counter()
    response = client.get("/bao-cao/", {"ke_hoach": "", "ngay": "30/06/2024"})
    elapsed = time.perf_counter() - start
assert response.status_code == 200
print(f"dashboard, all plans: {len(ctx.captured_queries)} queries, {elapsed * 1000:.0f} ms")
