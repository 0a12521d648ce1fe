"""Figures many people read, shared through the cache until the data changes.

The data *generation* is a token that changes whenever the tracked data
changes; every cached figure's key includes it, so a change to any assignment
makes every cached figure unreachable at once: nothing has to know which
entries a write affects, and no call site has to remember to invalidate.

The generation changes through the mechanism, never at call sites (see
planning/signals.py and `AssignmentQuerySet.update/bulk_create/bulk_update`).
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

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

GENERATION_KEY = "cchc:data-generation"
FIGURES_CACHE_SECONDS = 30 * 60
"""A backstop only: entries become unreachable as soon as the data changes."""

T = TypeVar("T")


def _database_tag() -> str:
    """Which database the figures come from: the file cache of a development
    machine is shared by `runserver` and test runs, which must not read each
    other's figures."""
    name = str(connections[DEFAULT_DB_ALIAS].settings_dict.get("NAME", ""))
    return hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:10]


def _generation_key() -> str:
    return f"{GENERATION_KEY}:{_database_tag()}"


def data_generation() -> str:
    """The current generation; created on first use (or after the cache was cleared)."""
    key = _generation_key()
    generation = cache.get(key)
    if generation is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        generation = cache.get(key) or "none"
    return f"{_database_tag()}-{generation}"


def bump_generation() -> None:
    cache.set(_generation_key(), uuid.uuid4().hex, timeout=None)


def data_changed(using: str | None = None) -> None:
    """Tracked data changed: bump now and again when the transaction commits."""
    bump_generation()
    transaction.on_commit(bump_generation, using=using)


def visibility_scope(user) -> str:
    """Who figures are for, as far as they differ: coordinators share one scope,
    viewers another (they see every agency but not draft plans), an officer's
    are the agency's."""
    from agencies import access

    if user is None or access.is_coordinator(user):
        return "all"
    if access.sees_everything(user):
        return "all-published"
    agency = access.agency_of(user)
    return f"agency-{agency.pk}" if agency is not None else "none"


def figures_key(name: str, *parts) -> str:
    """A cache key under the current generation: name, then the parts that
    select the figures (filters, date, visibility scope)."""
    tail = ":".join(str(p) for p in parts).replace(" ", "_")
    return f"cchc:{name}:v1:{data_generation()}:{tail}"


def cached_figures(key: str, compute: Callable[[], T], timeout: int = FIGURES_CACHE_SECONDS) -> T:
    """The value cached under `key` (from `figures_key`), computed and stored when missing.

    The key must be taken *before* computing (step 1 of the race described
    above): figures computed while a write commits land under the old
    generation, which nobody reads any more.
    """
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
