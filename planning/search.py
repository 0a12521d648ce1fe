"""Search: plans (number, title), tasks (title) and agencies, whatever the accents.

"so tu phap" finds "Sở Tư pháp": text and query are both *folded* (lower case,
no diacritics, đ → d, punctuation as spaces) by the same rule, written twice
and kept equal by the tests: `fold_for_search` in Python, and the SQL function
`cchc_fold(text)` that the database calls. On PostgreSQL `cchc_fold` is an
immutable wrapper of the `unaccent` extension (migration 0008_search), so the
full-text document `to_tsvector('simple', cchc_fold(...))` can carry a GIN
index; on SQLite it is this module's Python function, registered on every
connection. The queries are the same on both databases except for the one
predicate `Matches` draws: a phrase full-text query on PostgreSQL, a LIKE of
the folded phrase on SQLite (which has no index for it; fine at its sizes).

What a user may see is decided where it always is: `planning.access`
(`visible_plans`, `readable_assignments`) and `agencies.access`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.backends.signals import connection_created
from django.db.models import BooleanField, Expression, F, QuerySet

from agencies import access
from agencies.matching import fold
from agencies.models import Agency

from .access import readable_assignments, visible_plans
from .models import NEWEST_PLANS_FIRST, Task

MIN_QUERY = 2
"""Shorter queries match too much to be useful; the page asks for more."""
MAX_WORDS = 8


def fold_for_search(text: str | None) -> str | None:
    """ "Sở Tư pháp (192/KH-UBND)" → "so tu phap 192 kh ubnd"; what `cchc_fold` returns."""
    if text is None:
        return None
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def query_words(query: str) -> list[str]:
    return (fold_for_search(query) or "").split()[:MAX_WORDS]


def _register_fold(sender, connection, **kwargs) -> None:
    """SQLite: give every new connection `cchc_fold` (deterministic, so usable in indexes)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("cchc_fold", 1, fold_for_search, deterministic=True)


connection_created.connect(_register_fold, dispatch_uid="planning.search.fold")


class Matches(Expression):
    """True where the folded text of `fields` contains the folded words, in order.

    PostgreSQL: `to_tsvector('simple', cchc_fold(a || ' ' || b)) @@
    to_tsquery('simple', 'so:* <-> tu:* <-> phap:*')`, the expression the
    GIN indexes of migration 0008_search are built on (keep them identical).
    SQLite: `cchc_fold(a || ' ' || b) LIKE '%so tu phap%'`.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, *fields: str, words: list[str]):
        super().__init__()
        self.fields = [F(name) for name in fields]
        self.words = words

    def get_source_expressions(self):
        return self.fields

    def set_source_expressions(self, exprs):
        self.fields = list(exprs)

    def resolve_expression(self, *args, **kwargs):
        clone = self.copy()
        clone.fields = [f.resolve_expression(*args, **kwargs) for f in self.fields]
        return clone

    def _document(self, compiler, connection) -> tuple[str, list]:
        parts, params = [], []
        for field in self.fields:
            sql, field_params = compiler.compile(field)
            parts.append(sql)
            params.extend(field_params)
        return "cchc_fold(" + " || ' ' || ".join(parts) + ")", params

    def as_sql(self, compiler, connection):
        document, params = self._document(compiler, connection)
        phrase = " ".join(self.words).replace("%", "").replace("_", "")
        return f"{document} LIKE %s", [*params, f"%{phrase}%"]

    def as_postgresql(self, compiler, connection):
        document, params = self._document(compiler, connection)
        query = " <-> ".join(f"{w}:*" for w in self.words)  # words are [a-z0-9]+ only
        return (
            f"to_tsvector('simple'::regconfig, {document}) @@ to_tsquery('simple'::regconfig, %s)",
            [*params, query],
        )


@dataclass
class Results:
    """The three groups of a search, each a queryset to paginate."""

    words: list[str]
    plans: QuerySet
    assignments: QuerySet
    agencies: QuerySet


def search(user, query: str) -> Results | None:
    """What `user` may see that matches `query`; None when the query is too short."""
    words = query_words(query)
    if len("".join(words)) < MIN_QUERY:
        return None
    plans = (
        visible_plans(user)
        .filter(Matches("number", "title", words=words))
        .defer("source_text")
        .order_by(*NEWEST_PLANS_FIRST)
    )
    assignments = (
        # The tasks first (their index), then their assignments: the folded
        # title is computed once per matching task, not once per assignment.
        readable_assignments(user)
        .filter(task__in=Task.objects.filter(Matches("title", words=words)).values("pk"))
        .select_related("task", "plan", "agency")
        .defer("plan__source_text")
        # The plans as NEWEST_PLANS_FIRST lists them, then the plan's own order.
        .order_by(
            "-plan__year", "-plan__issued_on", "plan__number", "task__order", "agency__name", "pk"
        )
    )
    agencies = Agency.objects.active().filter(Matches("name", "short_name", "aliases", words=words))
    if not access.sees_everything(user):
        own = access.agency_of(user)
        agencies = agencies.filter(pk=own.pk) if own else agencies.none()
    return Results(words=words, plans=plans, assignments=assignments, agencies=agencies)
