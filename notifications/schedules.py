"""The periodic jobs, declared in one place and installed by `setup_schedules`.

Each entry is created or updated by name; schedules this module does not name
(added by an admin at run time) are never touched.
"""

from __future__ import annotations

from django.utils import timezone
from django_q.models import Schedule

SWEEP_SCHEDULE = "cchc-reminder-sweep"

SCHEDULES: list[dict] = [
    {
        # The reminder sweep: queues new notices from 07:30 (the policy's send_after)
        # and retries pending ones; every 15 minutes so a retry waits at most that long.
        "name": SWEEP_SCHEDULE,
        "func": "notifications.tasks.run_sweep",
        "schedule_type": Schedule.CRON,
        "cron": "*/15 * * * *",
        "repeats": -1,
    },
    {
        # Evidence files left by a rolled-back submission (planning/evidence.py).
        "name": "cchc-orphan-evidence",
        "func": "planning.evidence.remove_orphan_evidence",
        "schedule_type": Schedule.CRON,
        "cron": "40 2 * * *",
        "repeats": -1,
    },
]


def ensure_schedules(declared: list[dict] | None = None) -> list[tuple[str, str]]:
    """Create or update each declared schedule; returns (name, "created"|"updated"|"unchanged").

    1. `update_or_create(name=...)`: idempotent, one row per name.
    2. A new schedule runs right away (next_run = now) so a fresh `make run`
       sends the demo's reminders without waiting for the first cron slot.
    3. When the cron string of an existing row changed, recompute next_run:
       `Schedule.save()` only does that on creation.
    """
    outcome = []
    for spec in declared if declared is not None else SCHEDULES:
        spec = dict(spec)
        name = spec.pop("name")
        before = Schedule.objects.filter(name=name).values("cron", *spec.keys()).first()
        schedule, created = Schedule.objects.update_or_create(name=name, defaults=spec)
        if created:
            Schedule.objects.filter(pk=schedule.pk).update(next_run=timezone.now())
            outcome.append((name, "created"))
            continue
        if before.get("cron") != schedule.cron:
            schedule.next_run = schedule.calculate_next_run()
            schedule.save(update_fields=["next_run"])
        changed = any(before.get(k) != getattr(schedule, k) for k in spec)
        outcome.append((name, "updated" if changed else "unchanged"))
    return outcome
