"""Shared set-up for the report benchmarks: an own PostgreSQL database, migrated,
filled by planning.generate (deterministic) when it does not hold the wanted data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(db_name: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{db_name}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ensure_data(*, agencies: int, plans: int, assignments: int, seed: int) -> None:
    from planning.generate import generate, generated_assignments

    if generated_assignments().count() != assignments:
        print(f"generating {assignments} assignments …", flush=True)
        generate(agencies=agencies, plans=plans, assignments=assignments, seed=seed, replace=True)
