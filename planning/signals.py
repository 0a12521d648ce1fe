"""The data *generation*: a token that changes whenever the tracked data changes.

Figures that thousands of users read in the same week (the dashboard's
statistics) are cached in the shared cache under a key that includes the
generation, so a change to any assignment makes every cached figure
unreachable at once: nothing has to know which cache entries a write affects,
and no call site has to remember to invalidate.

The generation changes through the mechanism, never at call sites:
- `post_save` / `post_delete` of Assignment (and of the Agency, Plan, Section
  and Task rows whose names and codes the figures show), wired in
  `PlanningConfig.ready()`;
- `AssignmentQuerySet.update()`, `bulk_create()` and `bulk_update()`, which
  send no signals (planning/querysets.py).

Each change bumps twice: at once, and again when the transaction commits
(`transaction.on_commit`). The second bump is the one that matters: a request
that read the new generation after the first bump but computed its figures
from the database before the commit (so without the change) would otherwise
store stale figures under the current generation. The first bump keeps tests
(whose transactions never commit) and code running outside a transaction
honest.

The token is random (uuid4), not a counter: two processes bumping at the same
moment on a cache without atomic increments (the file cache) still end on a
value nobody has cached figures under.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "cchc:data-generation"


def data_generation() -> str:
    """The current generation; created on first use (or after the cache was cleared)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY) or "none"
    return generation


def bump_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def data_changed(using: str | None = None) -> None:
    """Tracked data changed: bump now and again when the transaction commits."""
    bump_generation()
    transaction.on_commit(bump_generation, using=using)


def _on_change(sender, instance=None, using=None, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures load before anything is cached
    data_changed(using)


def connect() -> None:
    """Called once from PlanningConfig.ready()."""
    from django.db.models.signals import post_delete, post_save

    from agencies.models import Agency

    from .models import Assignment, Plan, Section, Task

    for model in (Assignment, Plan, Section, Task, Agency):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"cchc-generation-save-{model}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"cchc-generation-delete-{model}"
        )
