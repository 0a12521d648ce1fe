"""Signals that move the data generation (planning/cache.py) on every change.

`post_save` / `post_delete` of Assignment and of what its page shows (its
history, progress notes, completion submissions and extension requests), of
the Agency, Plan, Section and Task rows whose names and codes the cached
figures show, of users and their memberships (names sign the history, and the
user a request runs as is cached with its membership and agency, see
agencies/backends.py; a login's `last_login` alone is no change), and changes
to a task's coordinating agencies (`m2m_changed`); wired in `PlanningConfig.ready()`. Bulk writes on
those models, which send no signals, bump it in `ChangeTrackingQuerySet`
(planning/querysets.py).
"""

from __future__ import annotations

from . import cache
from .cache import data_changed


def _on_change(sender, instance=None, using=None, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures load before anything is cached
    data_changed(using)


def _on_user_change(sender, instance=None, using=None, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every login saves this; no page shows it
    _on_change(sender, instance, using, **kwargs)


def _on_m2m_change(sender, action, using=None, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        data_changed(using)


def connect() -> None:
    """Called once from PlanningConfig.ready()."""
    from django.contrib.auth import get_user_model
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from agencies.models import Agency, Membership

    from .models import (
        Assignment,
        AssignmentEvent,
        CompletionSubmission,
        ExtensionRequest,
        Plan,
        ProgressNote,
        Section,
        Task,
    )

    tracked = (
        Assignment,
        AssignmentEvent,
        ProgressNote,
        CompletionSubmission,
        ExtensionRequest,
        Plan,
        Section,
        Task,
        Agency,
        Membership,
    )
    for model in tracked:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"cchc-generation-save-{model}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"cchc-generation-delete-{model}"
        )
    user = get_user_model()
    post_save.connect(_on_user_change, sender=user, dispatch_uid="cchc-generation-save-user")
    post_delete.connect(_on_change, sender=user, dispatch_uid="cchc-generation-delete-user")
    # The shared token is read once per web request (planning/cache.py).
    request_started.connect(cache.request_started, dispatch_uid="cchc-generation-request")
    request_finished.connect(cache.request_finished, dispatch_uid="cchc-generation-request")
    # Which agencies coordinate a task: the officers' inboxes list that work.
    m2m_changed.connect(
        _on_m2m_change,
        sender=Task.coordinating_agencies.through,
        dispatch_uid="cchc-generation-coordinating",
    )
