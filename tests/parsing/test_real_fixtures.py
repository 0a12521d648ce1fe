"""The parser on excerpts of real published plans, directives and letters.

Each `fixtures/real/<name>.txt` is a short excerpt of a public document (its
source URL on the first line, `year=NNNN` when the text does not state its
year); `<name>.gold.csv` lists what a careful reader extracts from it: one row
per assignment, lead agency and due month (no rows: nothing trackable).
The floors below are what the parser reaches; a change that lowers them fails.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from planning.parsing import parse_text
from planning.parsing.importing import assignment_rows

REAL = Path(__file__).parent / "fixtures" / "real"
FIXTURES = sorted(REAL.glob("*.txt"))

RECALL_FLOOR = 0.9  # share of gold rows found with the right lead agency and due month
EXTRA_CEILING = 0.1  # extra rows per gold row (a fixture with no gold row allows none)


def measure(path: Path) -> tuple[int, int, int]:
    """(found, missed, extra) for one fixture, compared as a multiset of (agency, month)."""
    text = path.read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    year = re.search(r"\byear=(\d{4})", first)
    parsed = parse_text(text, default_year=int(year.group(1)) if year else None)
    got = Counter((r["lead_agency"], r["due_month"]) for r in assignment_rows(parsed))
    with path.with_suffix(".gold.csv").open(encoding="utf-8") as fh:
        gold = Counter((r["lead_agency"], r["due_month"]) for r in csv.DictReader(fh))
    found = sum((got & gold).values())
    return found, sum(gold.values()) - found, sum(got.values()) - found


def test_every_real_fixture_has_a_source_and_a_gold():
    assert FIXTURES
    for path in FIXTURES:
        assert path.read_text(encoding="utf-8").startswith("# source: http"), path.name
        assert path.with_suffix(".gold.csv").is_file(), path.name


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_real_fixture_recall_and_extras_stay_above_the_floors(path):
    found, missed, extra = measure(path)
    gold = found + missed
    if gold:
        assert found / gold >= RECALL_FLOOR, (found, missed, extra)
    assert extra <= EXTRA_CEILING * gold, (found, missed, extra)


def test_real_fixtures_overall():
    totals = [measure(p) for p in FIXTURES]
    found = sum(t[0] for t in totals)
    gold = found + sum(t[1] for t in totals)
    extra = sum(t[2] for t in totals)
    assert found / gold >= RECALL_FLOOR
    assert extra <= EXTRA_CEILING * gold


def table() -> str:
    """The per-fixture figures for docs/PARSER.md (`manage.py shell -c`)."""
    lines = []
    for p in FIXTURES:
        f, m, e = measure(p)
        lines.append(f"| {p.stem} | {f + m} | {f} | {m} | {e} |")
    return "\n".join(lines)
