"""Signals that move the data generation (config/caching/generation.py) on every change.

Each app names, in its `ready()`, the models whose rows its cached figures and
pages show, through `track_changes()`: their `post_save` and `post_delete`
move the generation. So this package knows no model of ours, and a model
added to a cached page is tracked by one line in its own app. Bulk writes,
which send no signals, move it in `ChangeTrackingQuerySet` (querysets.py).

A model may say which scopes a change of one of its rows touches
(`cache_scopes()` on the instance, `cache_scopes_of_rows()` on the model for
bulk writes; see generation.py): only the figures of those scopes go stale.
Without them, a change makes every cached figure stale.

Users are special: every login saves `last_login`, which no page shows, so
`track_user_changes()` ignores a save of that field alone.

Within one web request the shared token is read once: the request signals
below open and close that window (generation.py).
"""

from __future__ import annotations

from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import generation
from .generation import data_changed


def _scopes_of(instance):
    """What a saved or deleted row touched: its `cache_scopes` (called only when
    needed), or None when unknown."""
    return getattr(instance, "cache_scopes", None)


def _on_change(sender, instance=None, using=None, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures load before anything is cached
    data_changed(using, _scopes_of(instance))


def _on_user_change(sender, instance=None, using=None, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every login saves this; no page shows it
    _on_change(sender, instance, using, **kwargs)


def _on_m2m_change(sender, action, using=None, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        data_changed(using)


def track_changes(*models) -> None:
    """Every save or delete of these models moves the generation."""
    for model in models:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"cchc-generation-save-{model}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"cchc-generation-delete-{model}"
        )


def track_user_changes(user_model) -> None:
    """Saves and deletes of users move the generation, except a login's `last_login`."""
    post_save.connect(_on_user_change, sender=user_model, dispatch_uid="cchc-generation-save-user")
    post_delete.connect(_on_change, sender=user_model, dispatch_uid="cchc-generation-delete-user")


def track_relation_changes(*through_models) -> None:
    """Adding to or removing from these many-to-many relations moves the generation."""
    for through in through_models:
        m2m_changed.connect(
            _on_m2m_change, sender=through, dispatch_uid=f"cchc-generation-m2m-{through}"
        )


@receiver(request_started, dispatch_uid="cchc-generation-request")
def _request_started(**kwargs) -> None:
    generation.request_started(**kwargs)


@receiver(request_finished, dispatch_uid="cchc-generation-request")
def _request_finished(**kwargs) -> None:
    generation.request_finished(**kwargs)
