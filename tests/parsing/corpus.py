"""The team's own set of real texts, and how the parser is scored on it.

Every `fixtures/real/<name>.txt` and `fixtures/real/more/<name>.txt` is a published text
(source URL on its first line) with a gold file written by reading it before the parser
was run. Two gold formats live side by side:

- `fixtures/real/<name>.gold.csv`: `lead_agency,due_month`, every row a gold assignment;
- `fixtures/real/more/<name>.gold.csv` and `<name>.optional.csv`:
  `doc,section,lead_agency,due_month,due_text,title` (the real-2025 set's format), where
  optional rows may be output or not (collective leads, undated prose duties).

Matching is on (folded lead agency, due month), one output row to one gold row; a gold
due month "?" (recurring or unreadable) accepts any due month of the same lead. Output
rows that match an optional row instead are not counted. An output row is an *invented
due month* when it carries a due month, matches nothing, and the text gives its lead a
task with no dated deadline (a gold or optional row of that lead with an empty due
month, or no row of that lead with that month while its other rows are undated).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from planning.parsing import parse_text
from planning.parsing.importing import assignment_rows

from .renderings import fold

REAL = Path(__file__).parent / "fixtures" / "real"


def own_texts() -> list[Path]:
    return sorted(REAL.glob("*.txt")) + sorted((REAL / "more").glob("*.txt"))


def year_of(path: Path) -> int | None:
    found = re.search(r"\byear=(\d{4})", path.read_text(encoding="utf-8").split("\n", 1)[0])
    return int(found.group(1)) if found else None


def _read(path: Path) -> list[tuple[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as fh:
        return [
            (fold(r["lead_agency"] or ""), (r["due_month"] or "").strip())
            for r in csv.DictReader(fh)
        ]


def gold_of(path: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    return _read(path.with_name(f"{path.stem}.gold.csv")), _read(
        path.with_name(f"{path.stem}.optional.csv")
    )


def parsed_rows(path: Path) -> list[tuple[str, str]]:
    rows = assignment_rows(parse_text(path.read_text(encoding="utf-8"), default_year=year_of(path)))
    return [(fold(r["lead_agency"] or ""), r["due_month"] or "") for r in rows]


def _take(wanted: list[tuple[str, str]], got: Counter) -> int:
    """Match wanted rows against `got` (consumed), exact months first, then '?' rows."""
    hits = 0
    for lead, due in sorted(wanted, key=lambda r: r[1] == "?"):
        key = next((k for k in got if k[0] == lead and (due == "?" or k[1] == due)), None)
        if key:
            got[key] -= 1
            if not got[key]:
                del got[key]
            hits += 1
    return hits


@dataclass(frozen=True)
class Score:
    name: str
    gold: int
    found: int  # gold rows matched
    counted: int  # output rows not absorbed by optional rows
    invented: int  # unmatched output rows with a due month the text does not give

    @property
    def extra(self) -> int:
        return self.counted - self.found


def score(path: Path) -> Score:
    gold, optional = gold_of(path)
    outputs = parsed_rows(path)
    got = Counter(outputs)
    found = _take(gold, got)
    absorbed = _take(optional, got)
    undated_leads = {lead for lead, due in gold + optional if due == ""}
    dated = {(lead, due) for lead, due in gold + optional if due not in ("", "?")}
    invented = sum(
        n
        for (lead, due), n in got.items()
        if due and lead in undated_leads and (lead, due) not in dated
    )
    return Score(path.stem, len(gold), found, len(outputs) - absorbed, invented)
