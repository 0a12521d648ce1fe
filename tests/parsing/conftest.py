"""Fixtures of the plan-parser tests: KH 192's text and gold rows, the demo registry."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from agencies.matching import AgencyDirectory
from planning.demo import PLAN_DIR, load_agencies


@pytest.fixture(scope="session")
def kh192_text() -> str:
    return (PLAN_DIR / "plan.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def kh192_path() -> Path:
    return PLAN_DIR / "plan.txt"


@pytest.fixture(scope="session")
def gold_rows() -> list[dict]:
    with (PLAN_DIR / "assignments.gold.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def registry(db) -> AgencyDirectory:
    """The demo agencies (Hà Nội's departments, a few districts), as a directory."""
    load_agencies()
    return AgencyDirectory()
