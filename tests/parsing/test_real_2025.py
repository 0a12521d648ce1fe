"""The parser on the shared real-2025 set, scored the way `score.py` scores it.

`/work/shared/fixtures/real-2025/` holds thirteen crawled documents of 2025 (tables
flattened one cell per line, hard-wrapped lines, markdown emphasis, site furniture)
with a gold file written by reading them. The matching is `score.py`'s own (imported
by path, not copied), so the floors below are the numbers its TOTAL line reports;
a change that lowers them fails.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from planning.parsing import parse_text
from planning.parsing.importing import assignment_rows

REAL_2025 = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "real-2025"
RECALL_FLOOR = 0.90
PRECISION_FLOOR = 0.90

pytestmark = pytest.mark.skipif(
    not (REAL_2025 / "score.py").exists(), reason="the shared real-2025 set is not here"
)


def _score_module():
    spec = importlib.util.spec_from_file_location("real_2025_score", REAL_2025 / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict]:
    parsed = parse_text(path.read_text(encoding="utf-8"))
    return [
        {
            "section": r["section"],
            "lead_agency": r["lead_agency"],
            "due_month": r["due_month"],
            "due_text": r["due_text"],
            "title": r["title"],
        }
        for r in assignment_rows(parsed)
    ]


def test_real_2025_recall_and_precision_stay_above_the_floors():
    score = _score_module()
    gold = score.read_csv(REAL_2025 / "gold.csv")
    optional = score.read_csv(REAL_2025 / "optional.csv")
    matched = gold_total = counted = 0
    for doc in sorted({row["doc"] for row in gold}):
        result = score.score_doc(
            doc,
            [g for g in gold if g["doc"] == doc],
            [o for o in optional if o["doc"] == doc],
            _rows(REAL_2025 / doc),
        )
        matched += result["matched"]
        gold_total += result["gold"]
        counted += result["outputs"] - result["absorbed_optional"]
    recall, precision = matched / gold_total, matched / counted
    assert recall >= RECALL_FLOOR, (recall, precision)
    assert precision >= PRECISION_FLOOR, (recall, precision)


def test_a_letter_whose_only_deadline_is_a_collective_duty_gives_no_dated_row():
    # hcm_cv_4240_2025: the deadline belongs to collective leads; a quoted past deadline
    # in the preamble is not a task (the gold has no row for it).
    rows = _rows(REAL_2025 / "hcm_cv_4240_2025.txt")
    score = _score_module()
    assert not [r for r in rows if r["due_month"] and not score.looks_collective(r["lead_agency"])]
