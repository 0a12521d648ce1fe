"""Figures many people read, shared through the cache until the data changes.

The data *generation* is a token that changes whenever the tracked data
changes; every cached figure's key includes it, so a change to any assignment
makes every cached figure unreachable at once: nothing has to know which
entries a write affects, and no call site has to remember to invalidate.

The generation changes through the mechanism, never at call sites (see
config/caching/signals.py and `ChangeTrackingQuerySet` in config/caching/querysets.py):

1. A change inside a transaction registers one `transaction.on_commit` bump of
   the shared token per transaction (a hundred thousand deleted rows make one
   cache write, not a hundred thousand). Other processes cannot see the
   change before the commit, so they need nothing sooner; bumping *after* the
   commit also means that a request which computed its figures from the data
   before the commit cannot leave them under the new generation.
2. The transaction's own process can see its uncommitted changes, so until
   the commit its keys carry a process-local counter, moved by every change:
   it reads and writes its own entries, never the shared ones (tests, whose
   transactions never commit, rely on this).
3. Outside a transaction (autocommit), the change is committed already: the
   shared token is replaced at once.

The token is random (uuid4), not a counter: two processes bumping at the same
moment on a cache without atomic increments (the file cache) still end on a
value nobody has cached figures under.

Within one web request the shared token is read once (`request_started` to
`request_finished`, see config/caching/signals.py): the figures a page draws then
come from one generation, and a page with several cached parts makes one
cache round trip for it, not one per part. A bump by the request itself is
seen at once. Commands and queue workers, which run outside requests, read
it every time.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
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


_local_changes = itertools.count(1)
_local_state = {"changes": 0}


def _pending(connection) -> bool:
    """True when this transaction already holds a bump for its commit."""
    return connection.in_atomic_block and any(
        entry[1] is bump_generation for entry in connection.run_on_commit
    )


_request = threading.local()


def request_started(**kwargs) -> None:
    _request.active, _request.generation = True, None


def request_finished(**kwargs) -> None:
    _request.active, _request.generation = False, None


def _shared_generation() -> str:
    generation = getattr(_request, "generation", None)
    if generation is not None:
        return generation
    key = _generation_key()
    generation = cache.get(key)
    if generation is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        generation = cache.get(key) or "none"
    if getattr(_request, "active", False):
        _request.generation = generation
    return generation


def data_generation() -> str:
    """The current generation (created on first use, or after the cache was
    cleared); inside a transaction with uncommitted changes, a process-local one."""
    generation = _shared_generation()
    if _pending(connections[DEFAULT_DB_ALIAS]):
        return f"{_database_tag()}-{generation}-local{os.getpid()}.{_local_state['changes']}"
    return f"{_database_tag()}-{generation}"


def bump_generation() -> None:
    cache.set(_generation_key(), uuid.uuid4().hex, timeout=None)
    _request.generation = None  # this request's next read sees the new token


def data_changed(using: str | None = None) -> None:
    """Tracked data changed: see the module docstring for when the token moves."""
    connection = connections[using or DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        bump_generation()
        return
    _local_state["changes"] = next(_local_changes)
    if not _pending(connection):
        transaction.on_commit(bump_generation, using=using)


def _code_version() -> str:
    """Which code drew the cached fragments: a hash of the project's Python and
    template files, the same in every worker and on every machine of a release.

    Cached fragments are HTML drawn by templates; without this, a deployment that
    changes a template would serve the old drawing until the data next changed.
    """
    from django.conf import settings

    digest = hashlib.sha1(usedforsecurity=False)
    base = Path(settings.BASE_DIR)
    for folder in ("agencies", "planning", "notifications", "config", "templates"):
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in {".py", ".html"} and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


@functools.cache
def code_version() -> str:
    return _code_version()


def figures_key(name: str, *parts) -> str:
    """A cache key under the current code and data generation: name, then the parts
    that select the figures (filters, date, visibility scope)."""
    tail = ":".join(str(p) for p in parts).replace(" ", "_")
    return f"cchc:{name}:{code_version()}:{data_generation()}:{tail}"


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
