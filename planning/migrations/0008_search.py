"""Search: the `cchc_fold` SQL function and the full-text indexes (PostgreSQL).

`cchc_fold(text)` folds text as `planning.search.fold_for_search` does: lower
case, no diacritics (the `unaccent` extension, with đ/Đ translated first),
anything but letters and digits as single spaces. It is IMMUTABLE (unaccent
itself is only STABLE, because its dictionary could change), so indexes may
use it. On SQLite the same function is registered by `planning.search` on
every connection, and there is nothing to create here.
"""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations

FOLD = r"""
CREATE OR REPLACE FUNCTION cchc_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT btrim(regexp_replace(
    lower(public.unaccent('public.unaccent'::regdictionary, translate($1, 'đĐ', 'dd'))),
    '[^a-z0-9]+', ' ', 'g'))
$$;
"""

# The documents must be written exactly as `planning.search.Matches` draws them.
INDEXES = {
    "planning_task_title_search": (
        "planning_task",
        "to_tsvector('simple'::regconfig, cchc_fold(title))",
    ),
    "planning_plan_search": (
        "planning_plan",
        "to_tsvector('simple'::regconfig, cchc_fold(number || ' ' || title))",
    ),
    # The agencies' table is agencies', the search over it planning's: the index
    # lives with the search that needs it.
    "planning_agency_search": (
        "agencies_agency",
        "to_tsvector('simple'::regconfig, cchc_fold(name || ' ' || short_name || ' ' || aliases))",
    ),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FOLD)
    for name, (table, document) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({document})"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS cchc_fold(text)")


class Migration(migrations.Migration):
    dependencies = [("planning", "0007_scoring_rules"), ("agencies", "0002_email_notices")]

    operations = [
        CreateExtension("unaccent"),
        migrations.RunPython(forwards, backwards),
    ]
