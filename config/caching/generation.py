"""Figures many people read, shared through the cache until the data changes.

The data *generation* is made of tokens that change whenever the tracked data
changes; every cached figure's key includes them, so a change makes the
figures that depend on it unreachable at once: no call site has to remember to
invalidate.

Which figures a change makes stale depends on its *scope*, which the models
give (`cache_scopes`, planning/caching.py): a progress note on one assignment
touches that assignment, its plan, its lead agency and the agencies that
coordinate its task. The tokens:

- `any` moves on every change: the key of figures over all the data (the
  all-plans dashboard) includes it;
- one token per scope ("plan:12", "agency:3", "assignment:981") moves when a
  change touches it; a scoped key (`figures_key(..., scopes=[("plan", 12)])`,
  the plan page) includes the tokens of its scopes and
- `epoch`, which moves on a change of unknown scope (a plan's or an agency's
  own row, users, a bulk write of many rows): scoped keys survive changes
  elsewhere, never a change they cannot rule out.

After a write every worker misses the same keys at once; `cached_figures` lets
one of them compute an entry (a lock in the cache) while the others wait for
it, or, for figures over all the data, serve the value from before the write
meanwhile: a write costs one computation per entry, not one per worker, and
nobody waits for the all-plans figures.

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
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

GENERATION_KEY = "cchc:data-generation"
FIGURES_CACHE_SECONDS = 30 * 60
"""A backstop only: entries become unreachable as soon as the data changes."""
COMPUTE_LOCK_SECONDS = 30
"""How long a worker holds the right to compute a missing entry (a crash frees it then)."""
COMPUTE_WAIT_SECONDS = 5.0
"""How long another worker waits for that entry before computing it itself."""

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

ANY = "any"
"""Moves on every change: the key part of figures over all the data."""
EPOCH = "epoch"
"""Moves on every change whose scope is not known (plans, agencies, users, bulk
writes of many rows): part of every scoped key."""

Scope = tuple[str, object]
"""What a change touched or a figure depends on: ("plan", 12), ("agency", 3),
("assignment", 981). The models say which (`cache_scopes`, planning/caching.py)."""


def _scope_names(scopes) -> list[str]:
    return sorted({f"{kind}:{key}" for kind, key in scopes})


def _token_key(name: str) -> str:
    return f"{GENERATION_KEY}:{_database_tag()}:{name}"


class _PendingBump:
    """The one on-commit callback of a connection's transaction: bumps the
    scopes its changes collected (all of them when one change had none)."""

    def __init__(self, alias: str):
        self.alias = alias

    def __call__(self) -> None:
        names = _pending_names().pop(self.alias, None)
        bump_generation(None if names is None else [tuple(n.split(":", 1)) for n in names])


_bumpers: dict[str, _PendingBump] = {}
_pending_state = threading.local()


def _pending_names() -> dict[str, set[str] | None]:
    """Per thread (connections are), alias -> the scope names a transaction
    touched so far, or None once it made a change of unknown scope."""
    if not hasattr(_pending_state, "names"):
        _pending_state.names = {}
    return _pending_state.names


def _bumper(alias: str) -> _PendingBump:
    if alias not in _bumpers:
        _bumpers[alias] = _PendingBump(alias)
    return _bumpers[alias]


def _pending(connection) -> bool:
    """True when this transaction already holds a bump for its commit."""
    bumper = _bumpers.get(connection.alias)
    return (
        bumper is not None
        and connection.in_atomic_block
        and any(entry[1] is bumper for entry in connection.run_on_commit)
    )


_request = threading.local()


def request_started(**kwargs) -> None:
    _request.active, _request.tokens = True, {}


def request_finished(**kwargs) -> None:
    _request.active, _request.tokens = False, {}


def _tokens(names: list[str]) -> list[str]:
    """The shared tokens of these names, created on first use; in a web request,
    each read once (one round trip for all a page needs)."""
    in_request = getattr(_request, "active", False)
    memo = _request.tokens if in_request else {}
    missing = [name for name in names if name not in memo]
    if missing and in_request and not memo:
        # A page reads both (the user's row is keyed by the epoch, its figures by
        # `any` or their scopes): fetched together, one round trip.
        missing = list(dict.fromkeys([ANY, EPOCH, *missing]))
    if missing:
        keys = {_token_key(name): name for name in missing}
        found = cache.get_many(list(keys))
        for key, name in keys.items():
            token = found.get(key)
            if token is None:
                cache.add(key, uuid.uuid4().hex, timeout=None)
                token = cache.get(key) or "none"
            memo[name] = token
    return [memo[name] for name in names]


def data_generation(scopes=None) -> str:
    """The current generation of the figures that depend on `scopes` (None: on
    all the data); inside a transaction with uncommitted changes, a process-local one.

    A scoped generation is made of the epoch and the token of each scope, so it
    moves when one of those scopes changes, or when something of unknown scope
    does; the unscoped one moves on every change."""
    names = [ANY] if scopes is None else [EPOCH, *_scope_names(scopes)]
    generation = "-".join(token[:16] for token in _tokens(names))
    if _pending(connections[DEFAULT_DB_ALIAS]):
        return f"{_database_tag()}-{generation}-local{os.getpid()}.{_local_state['changes']}"
    return f"{_database_tag()}-{generation}"


def bump_generation(scopes=None) -> None:
    """Move the tokens a committed change makes stale: every figure over all the
    data, and those of the change's scopes (None: of every scope, through the epoch)."""
    names = [ANY, EPOCH] if scopes is None else [ANY, *_scope_names(scopes)]
    cache.set_many({_token_key(name): uuid.uuid4().hex for name in names}, timeout=None)
    if getattr(_request, "active", False):
        for name in names:  # this request's next read sees the new tokens
            _request.tokens.pop(name, None)


MAX_PENDING_SCOPES = 1000
"""A transaction touching more scopes than this counts as a change of unknown
scope (an import): working out more scopes would cost more than it saves."""


def wants_scopes(using: str | None = None) -> bool:
    """False when a change's scopes would make no difference: its transaction
    already made a change of unknown scope."""
    alias = using or DEFAULT_DB_ALIAS
    connection = connections[alias]
    return not (_pending(connection) and _pending_names().get(alias) is None)


def data_changed(using: str | None = None, scopes=None) -> None:
    """Tracked data changed, in `scopes` (a list, or a callable giving one, only
    called when needed), or anywhere when None: see the module docstring for
    when the tokens move."""
    alias = using or DEFAULT_DB_ALIAS
    connection = connections[alias]
    if not connection.in_atomic_block:
        bump_generation(scopes() if callable(scopes) else scopes)
        return
    _local_state["changes"] = next(_local_changes)
    pending = _pending_names()
    if not _pending(connection):
        pending[alias] = set()  # a rolled-back transaction's scopes are gone with it
        transaction.on_commit(_bumper(alias), using=alias)
    if pending.get(alias) is None:
        return  # unknown scope already: everything goes stale on commit
    if callable(scopes):
        scopes = scopes()
    if scopes is None:
        pending[alias] = None
        return
    pending[alias].update(_scope_names(scopes))
    if len(pending[alias]) > MAX_PENDING_SCOPES:
        pending[alias] = None


# --- One person's token ----------------------------------------------------------
# What only one user sees and can change without touching the tracked data
# (their notices, read or not) must not move everyone's generation. It has a
# token of its own, part of that user's page keys (config/caching/pages.py).

USER_KEY_PREFIX = "cchc:user-generation"


def _user_token_key(user_id: int) -> str:
    return f"{USER_KEY_PREFIX}:{_database_tag()}:{user_id}"


def user_token(user_id: int) -> str:
    """The token of what only this user sees; created on first use."""
    key = _user_token_key(user_id)
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        token = cache.get(key) or "none"
    return token


def bump_user_tokens(user_ids) -> None:
    """What these users alone see changed.

    1. The tokens move at once, so the writing request (and a test, whose
       transaction never commits) reads its own change.
    2. Inside a transaction they move again after the commit: a request that
       computed a count from the data before the commit, under the first new
       token, cannot leave it behind.
    """
    keys = [_user_token_key(pk) for pk in set(user_ids)]
    if not keys:
        return

    def bump() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)

    bump()
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        transaction.on_commit(bump)


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


class FiguresKey(str):
    """A key from `figures_key`; for figures over all the data it also knows the
    key of the latest value stored under any generation (`latest`)."""

    latest: str | None = None


def figures_key(name: str, *parts, scopes=None) -> FiguresKey:
    """A cache key under the current code and data generation: name, then the parts
    that select the figures (filters, date, visibility scope).

    `scopes` says what the figures depend on (e.g. `[("plan", 12)]`): the key then
    survives changes elsewhere. Without it, any change makes the key stale."""
    tail = ":".join(str(p) for p in parts).replace(" ", "_")
    key = FiguresKey(f"cchc:{name}:{code_version()}:{data_generation(scopes)}:{tail}")
    if scopes is None and not _pending(connections[DEFAULT_DB_ALIAS]):
        # (Never from inside a transaction with uncommitted changes: other
        # workers would serve figures of data that may yet be rolled back.)
        key.latest = f"cchc:{name}:{code_version()}:latest:{tail}"
    return key


def _store(key: str, value, timeout: int) -> None:
    latest = getattr(key, "latest", None)
    cache.set_many({key: value, **({latest: value} if latest else {})}, timeout)


def cached_figures(key: str, compute: Callable[[], T], timeout: int = FIGURES_CACHE_SECONDS) -> T:
    """The value cached under `key` (from `figures_key`), computed and stored when missing.

    The key must be taken *before* computing (step 1 of the race described
    above): figures computed while a write commits land under the old
    generation, which nobody reads any more.

    After a write, every worker misses at once; one computes (it holds a lock
    in the cache) and the others do not compute the same again:

    - figures over all the data (no scopes: the all-plans dashboard, which
      every write makes stale) are served as they were before that write while
      the one worker computes them: stale by one computation's time (a
      fraction of a second), never more than `COMPUTE_LOCK_SECONDS`;
    - scoped figures (a plan's, an agency's: stale only when their own data
      changed, so the reader may be the writer) wait for that worker's value.

    A request alone (tests, one user) always computes what it misses: nothing
    stale is ever served unless another worker is computing.
    """
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:computing"
    if not cache.add(lock, os.getpid(), timeout=COMPUTE_LOCK_SECONDS):
        latest = getattr(key, "latest", None)
        if latest is not None and (value := cache.get(latest)) is not None:
            return value
        deadline = time.monotonic() + COMPUTE_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.01)
            value = cache.get(key)
            if value is not None:
                return value
            if cache.get(lock) is None:  # they finished (or failed) without storing
                break
        value = compute()
        _store(key, value, timeout)
        return value
    try:
        value = compute()
        _store(key, value, timeout)
    finally:
        cache.delete(lock)
    return value
    lock = f"{key}:computing"
    if not cache.add(lock, os.getpid(), timeout=COMPUTE_LOCK_SECONDS):
        # Another worker is computing the same figures (after a write, every
        # worker misses at once): wait for theirs rather than compute them again.
        deadline = time.monotonic() + COMPUTE_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.01)
            value = cache.get(key)
            if value is not None:
                return value
            if cache.get(lock) is None:  # they finished (or failed) without storing
                break
        value = compute()
        cache.set(key, value, timeout)
        return value
    try:
        value = compute()
        cache.set(key, value, timeout)
    finally:
        cache.delete(lock)
    return value
