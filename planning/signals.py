"""Signals that move the data generation (planning/cache.py) on every change.

`post_save` / `post_delete` of Assignment, and of the Agency, Plan, Section and
Task rows whose names and codes the cached figures show, and changes to a
task's coordinating agencies (`m2m_changed`); wired in
`PlanningConfig.ready()`. Bulk writes on assignments, which send no signals,
bump it in `AssignmentQuerySet` (planning/querysets.py).
"""

from __future__ import annotations

from .cache import data_changed


def _on_change(sender, instance=None, using=None, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures load before anything is cached
    data_changed(using)


def _on_m2m_change(sender, action, using=None, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        data_changed(using)


def connect() -> None:
    """Called once from PlanningConfig.ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from agencies.models import Agency

    from .models import Assignment, Plan, Section, Task

    for model in (Assignment, Plan, Section, Task, Agency):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"cchc-generation-save-{model}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"cchc-generation-delete-{model}"
        )
    # Which agencies coordinate a task: the officers' inboxes list that work.
    m2m_changed.connect(
        _on_m2m_change,
        sender=Task.coordinating_agencies.through,
        dispatch_uid="cchc-generation-coordinating",
    )
