"""Bulk writes move the data generation too: they send no signals.

`QuerySet.update()`, `bulk_create()` and `bulk_update()` skip `post_save`, so
the receivers in `signals` never hear of them; a model whose rows the cached
pages show uses this queryset (or one derived from it) as its default manager.
"""

from __future__ import annotations

from django.db import models

from .generation import data_changed, wants_scopes

MAX_SCOPED_ROWS = 1000
"""A bulk write of more rows than this counts as a change of unknown scope."""


class ChangeTrackingQuerySet(models.QuerySet):
    """Bulk writes send no post_save signal: they change the data generation
    themselves, so cached figures and pages never outlive a change
    (config/caching/generation.py). The default manager of every model the
    cached pages read from: agencies and memberships, plans and tasks,
    assignments, their history, notes, submissions and extension requests."""

    def _scopes(self, rows=None, changes=None):
        """The scopes these rows (this queryset's, or `rows`) touch, with `changes`
        written to them: from the model's `cache_scopes_of_rows`, else None (unknown)."""
        scopes_of = getattr(self.model, "cache_scopes_of_rows", None)
        if scopes_of is None or not wants_scopes(self.db):
            return None
        return scopes_of(self if rows is None else rows, changes or {}, limit=MAX_SCOPED_ROWS)

    def update(self, **kwargs):
        scopes = self._scopes(changes=kwargs)  # before: the rows may leave the filter
        rows = super().update(**kwargs)
        if rows:
            data_changed(self.db, scopes)
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            data_changed(self.db, self._scopes(rows=created))
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        before = self._scopes(rows=self.filter(pk__in=[obj.pk for obj in objs]))
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            after = self._scopes(rows=objs)
            data_changed(self.db, None if before is None or after is None else before | after)
        return rows

    bulk_update.alters_data = True
