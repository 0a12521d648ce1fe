"""Benchmark: importing a 10,000-row tracker sheet, dry run and real, on PostgreSQL.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--db postgres://postgres@127.0.0.1:5432/cchc_bench_import]

Creates (and afterwards drops) a scratch database, migrates it, loads the demo
agencies, then times against a floor measured in the same run:
- floor: reading the CSV only, and a bare bulk_create of as many tasks and assignments;
- the import: dry run of new rows, real import, dry run of the same file (all
  unchanged), real re-import with 10% of the statuses changed.
Results go to stdout; copy them into docs/SPREADSHEETS.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AGENCIES = ["STP", "STC", "SNV", "SKHDT", "STTTT", "VPUBND", "SKHCN"]
STATUSES = ["Chưa thực hiện", "Đang thực hiện", "Hoàn thành"]
DEADLINES = ["tháng 7/2022", "Quý III/2022", "31/10/2022", "7/2022", "2022-12-15", "Thường xuyên"]


def make_csv(rows: int, *, changed_every: int = 0) -> bytes:
    from planning.spreadsheets.columns import COLUMNS

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n in range(rows):
        status = STATUSES[n % 3]
        if changed_every and n % changed_every == 0:
            status = STATUSES[(n + 1) % 3]
        writer.writerow(
            [
                "999/KH-UBND",
                f"{n // 500 + 1}.{n // 50 % 10 + 1}",
                f"Nhiệm vụ thử số {n // len(AGENCIES)}: rà soát, đơn giản hóa thủ tục hành chính",
                AGENCIES[n % len(AGENCIES)],
                "Sở Tư pháp; Văn phòng UBND Thành phố",
                DEADLINES[n % len(DEADLINES)],
                status,
                "20/12/2022" if status == "Hoàn thành" else "",
                f"Báo cáo số {n}/BC" if status == "Hoàn thành" else "",
                "",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def timed(label, fn, results):
    start = time.perf_counter()
    value = fn()
    elapsed = time.perf_counter() - start
    results.append((label, elapsed))
    print(f"{label:<58} {elapsed:8.2f} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/cchc_bench_import")
    args = parser.parse_args()

    import psycopg

    name = args.db.rsplit("/", 1)[1]
    admin_url = args.db.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from agencies.models import Agency
    from planning.demo import load_agencies
    from planning.models import Assignment, Plan, Task
    from planning.spreadsheets.readers import read_upload
    from planning.spreadsheets.services import import_file

    call_command("migrate", verbosity=0)
    load_agencies()
    content = make_csv(args.rows)
    changed = make_csv(args.rows, changed_every=10)
    print(
        f"PostgreSQL {connection.pg_version}, {args.rows} rows, CSV {len(content) / 1e6:.2f} MB\n"
    )
    results: list[tuple[str, float]] = []

    timed("floor: read CSV only", lambda: read_upload(name="a.csv", data=content), results)

    def floor_bulk():
        with transaction.atomic():
            plan = Plan.objects.create(number="floor", year=2022, title="floor")
            agencies = list(Agency.objects.filter(code__in=AGENCIES))
            tasks = Task.objects.bulk_create(
                Task(plan=plan, title=f"t{n}", order=n) for n in range(args.rows)
            )
            Assignment.objects.bulk_create(
                Assignment(plan=plan, task=t, agency=agencies[n % len(agencies)])
                for n, t in enumerate(tasks)
            )
            transaction.set_rollback(True)

    timed("floor: bare bulk_create of tasks + assignments", floor_bulk, results)

    def run(data, dry_run):
        report = import_file(
            name="a.csv", content=data, user=None, dry_run=dry_run, allow_new_plans=True
        )
        assert report.ok, report.problems[:3]
        return report

    r = timed("import, dry run (all rows new)", lambda: run(content, True), results)
    print(f"   → {r.summary()}")
    r = timed("import, real (all rows new)", lambda: run(content, False), results)
    print(f"   → {r.summary()}")
    r = timed("re-import same file, dry run (all unchanged)", lambda: run(content, True), results)
    print(f"   → {r.summary()}")
    r = timed("re-import same file, real (all unchanged)", lambda: run(content, False), results)
    print(f"   → {r.summary()}")
    r = timed("re-import, 10% statuses changed, dry run", lambda: run(changed, True), results)
    print(f"   → {r.summary()}")
    r = timed("re-import, 10% statuses changed, real", lambda: run(changed, False), results)
    print(f"   → {r.summary()}")

    connection.close()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
