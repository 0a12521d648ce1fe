"""The audit trail: who created, changed or deleted a plan, task, agency or account, and when.

django-auditlog writes a `LogEntry` (what changed, old → new) on every save
and delete of the models each app registers in its `ready()` (`register()`
below), as `track_changes()` is for the cache. What this module adds:

1. who signs an entry: `acting_as(actor)` holds the actor for everything
   written inside it; `AuditMiddleware` does so for each web request with the
   request's user (read when the entry is written, so the API's token user
   counts too) and the client's address as the login throttle reads it; the
   `signed()` decorator does so for every service function that takes an
   actor (the workflow, the plan and spreadsheet imports), so the queue and
   the commands sign the same way as the pages; an entry written outside all
   of them (a command with no user, a migration) has no actor: "Hệ thống";
2. writes that send no signal: a conditional `.update()` or a `bulk_create()`
   is invisible to auditlog, so the callers that use them on audited rows
   record the change themselves with `record_update()` and `record_bulk()`.

Not used: auditlog's own middleware and `set_actor()`. The middleware takes
the left-most X-Forwarded-For hop, which the client writes, as the address;
and a `set_actor()` inside another one leaves the outer one unable to sign
anything after it returns. Ours nest (a context variable reset on exit).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import pre_save
from django.utils import timezone

from .throttle import client_ip

SYSTEM = "Hệ thống"


@dataclass(frozen=True)
class _Signer:
    actor: object  # a user, None, or a callable giving one when an entry is written
    remote_addr: str | None = None


_signer: ContextVar[_Signer | None] = ContextVar("cchc_audit_signer", default=None)


def register(model, **options) -> None:
    """Audit every save and delete of `model` (auditlog's `register`, with its options)."""
    auditlog.register(model, **options)


@contextmanager
def acting_as(actor, *, remote_addr: str | None = None):
    """Every audit entry written inside is signed by `actor` (a user, or None for
    the system); the address of an enclosing request is kept."""
    outer = _signer.get()
    if remote_addr is None and outer is not None:
        remote_addr = outer.remote_addr
    token = _signer.set(_Signer(actor, remote_addr))
    try:
        yield
    finally:
        _signer.reset(token)


def signed(func: Callable | None = None, *, by: str = "actor"):
    """Run a keyword-only service function `acting_as` its `actor` (or `by`) argument."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            with acting_as(kwargs.get(by)):
                return service(*args, **kwargs)

        return wrapper

    return decorate(func) if func is not None else decorate


def current_actor():
    """The signed-in user the entries written now are signed by, or None (the system)."""
    signer = _signer.get()
    if signer is None:
        return None
    actor = signer.actor() if callable(signer.actor) else signer.actor
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _sign(sender, instance: LogEntry, **kwargs) -> None:
    signer = _signer.get()
    if signer is None:
        return
    if instance.actor_id is None:
        actor = current_actor()
        if actor is not None:
            instance.actor = actor
            instance.actor_email = actor.email or None
    if instance.remote_addr is None:
        instance.remote_addr = signer.remote_addr


pre_save.connect(_sign, sender=LogEntry, dispatch_uid="cchc-audit-sign")


class AuditMiddleware:
    """Signs the entries a request writes with its user and the client's address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(
            lambda: getattr(request, "user", None), remote_addr=client_ip(request) or None
        ):
            return self.get_response(request)


def record_update(instance: Model, before: Model) -> LogEntry | None:
    """The entry auditlog would have written for a change made by `.update()`:
    `before` is the row as it was, `instance` as it is now."""
    return record_changes(instance, model_instance_diff(before, instance))


def record_changes(instance: Model, changes: dict) -> LogEntry | None:
    """An update entry with these changes ({field: [old, new]}), if any."""
    if not changes:
        return None
    changes = {name: [str(old), str(new)] for name, (old, new) in changes.items()}
    return LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=changes)


def _creation(obj: Model) -> dict:
    """A creation's changes as auditlog writes them, without the reverse relations
    it lists too (their "values" say nothing)."""
    concrete = {f.name for f in obj._meta.concrete_fields}
    return {
        name: values for name, values in model_instance_diff(None, obj).items() if name in concrete
    }


def record_bulk(
    objects: Iterable[Model], *, action: int, changes: Callable[[Model], dict] | None = None
) -> int:
    """One entry per object for rows written in bulk (`bulk_create`, `.update()`),
    in one INSERT. `changes(obj)` gives each entry's changes; by default those of
    a creation (every field, from nothing)."""
    changes = changes or _creation
    actor = current_actor()
    signer = _signer.get()
    now = timezone.now()
    entries = [
        LogEntry(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
            object_id=obj.pk,
            object_repr=str(obj),
            action=action,
            changes=changes(obj),
            actor=actor,
            actor_email=(actor.email or None) if actor else None,
            remote_addr=signer.remote_addr if signer else None,
            timestamp=now,
        )
        for obj in objects
    ]
    LogEntry.objects.bulk_create(entries)
    return len(entries)
