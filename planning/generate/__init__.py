"""A realistic, deterministic data set for benchmarks and load tests.

`generate(agencies=600, plans=50, assignments=100_000, seed=1)` builds a
province's worth of agencies (sở, quận/huyện/thị xã, xã/phường), plans with
sections and tasks, and assignments in every state a report counts: done on
time, done late, open and not yet due, overdue, ongoing ("thường xuyên"),
extended, withdrawn; with "created", progress, extension and completion
events. Everything comes from `random.Random(seed)` and a fixed reference date,
so the same arguments give the same rows on SQLite and PostgreSQL.

Generated rows never clash with real or demo data: agency codes start with
"G-", plan numbers already taken in a year are skipped, a name already in use
gets the code appended, and generated plans carry `GENERATED_MARKER` in
`source_text` so `replace=True` can remove exactly what an earlier run made.

Rows are written with `bulk_create` in batches, never one query per row:
100,000 assignments take well under two minutes on PostgreSQL.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import date

from django.db import transaction

from agencies.models import Agency

from .agencies import make_agencies
from .builder import Builder
from .dataset import (
    CODE_PREFIX,
    DEFAULT_TODAY,
    GENERATED_MARKER,
    Summary,
    _historical_timestamps,
    fingerprint,
    generated_assignments,
    remove_generated,
)

__all__ = [
    "CODE_PREFIX",
    "DEFAULT_TODAY",
    "GENERATED_MARKER",
    "Summary",
    "fingerprint",
    "generate",
    "generated_assignments",
    "remove_generated",
]


def generate(
    *,
    agencies: int,
    plans: int,
    assignments: int,
    seed: int,
    today: date | None = None,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Build a data set; the same arguments always give the same rows.

    1. refuse (or, with `replace`, first delete) when an earlier run's rows exist,
       since codes and plan numbers would otherwise collide;
    2. agencies of every kind, communes under their district;
    3. plans over three years (today's and the two before), sections, tasks,
       some given to several agencies, some recurring each quarter;
    4. assignments with outcomes drawn as of `today`, then their events;
    5. a summary with the roll-up as of `today` and a fingerprint of the rows.
    All in one transaction: a failed run leaves nothing behind.
    """
    if min(plans, assignments) < 1:
        raise ValueError("plans and assignments must be at least 1")
    today = today or DEFAULT_TODAY
    progress = progress or (lambda message: None)
    started = time.monotonic()
    with transaction.atomic(), _historical_timestamps():
        if Agency.objects.filter(code__startswith=CODE_PREFIX).exists():
            if not replace:
                raise ValueError("generated data already exists; pass replace=True")
            remove_generated()
            progress("đã xoá dữ liệu sinh lần trước")
        builder = Builder(seed=seed, today=today, progress=progress)
        made_agencies, builder.coordinator, builder.officer_of = make_agencies(
            builder.rng, agencies, progress
        )
        made_plans = builder.plans(plans)
        n_sections, n_tasks, n_assignments, n_events = builder.build(
            agencies=made_agencies, plans=made_plans, total=assignments
        )
    summary = Summary(
        today=today,
        seed=seed,
        agencies=len(made_agencies),
        agencies_by_kind=dict(Counter(a.kind for a in made_agencies)),
        plans=len(made_plans),
        sections=n_sections,
        tasks=n_tasks,
        assignments=n_assignments,
        events=n_events,
        rollup=generated_assignments().rollup(today),
        fingerprint=fingerprint(),
    )
    summary.seconds = time.monotonic() - started
    return summary
