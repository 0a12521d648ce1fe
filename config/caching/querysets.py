"""Bulk writes move the data generation too: they send no signals.

`QuerySet.update()`, `bulk_create()` and `bulk_update()` skip `post_save`, so
the receivers in `signals` never hear of them; a model whose rows the cached
pages show uses this queryset (or one derived from it) as its default manager.
"""

from __future__ import annotations

from django.db import models

from .generation import data_changed


class ChangeTrackingQuerySet(models.QuerySet):
    """Bulk writes send no post_save signal: they change the data generation
    themselves, so cached figures and pages never outlive a change
    (config/caching/generation.py). The default manager of every model the
    cached pages read from: agencies and memberships, plans and tasks,
    assignments, their history, notes, submissions and extension requests."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            data_changed(self.db)
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            data_changed(self.db)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            data_changed(self.db)
        return rows

    bulk_update.alters_data = True
