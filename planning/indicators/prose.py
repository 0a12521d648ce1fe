"""The plan's own measured targets, stated in its text rather than in a table.

Plans write them inside sentences: "Đảm bảo 100% số văn bản QPPL phải được xử
lý", "tỷ lệ hồ sơ trực tuyến đạt 80%", "mức độ hài lòng trên 90%". This module
proposes one percent target per clause; the coordinator keeps or drops each on
the review page, so a doubtful reading costs a click, never a wrong target.

The rule, so a reviewer can predict it:
1. only the plan's own sentences: table rows (pipes) are the appendix's and
   are read by `reading.py`;
2. a clause (split at ";" and at a full stop) proposes at most one target,
   its first percentage (the number, then "%");
3. a clause that reports a result rather than setting a target is skipped: it
   names a comparison with a past year or a rank ("tăng … so với năm 2020",
   "xếp thứ 30/63", "năm 2021 đạt"), a share of something counted ("chiếm"),
   or a figure in brackets ("(đạt 62,8%)");
4. a percentage inside a citation of another document ("theo Nghị quyết số
   76/NQ-CP …") is that document's, not the plan's: the clause is skipped;
5. the comparison comes from the words before the number: "trên", "hơn",
   "vượt" → ">"; "tối thiểu", "ít nhất", "từ … trở lên", "đạt", "không dưới"
   → "≥"; a bare "100%" (all of them) → "="; any other bare number → "≥".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from planning.parsing.agencies import fold

from .numbers import format_score

_PERCENT = re.compile(r"(?<![\d.,])(?P<number>\d{1,3}(?:[.,]\d{1,2})?)\s*%")
_CLAUSE = re.compile(r";|\.(?=\s|$)")
_BRACKETED = re.compile(r"\([^)]*\d\s*%[^)]*\)")
# Folded (no diacritics, lower case) words that mark a reported result.
_RESULT_WORDS = re.compile(
    r"so voi (?:nam|cung ky|ky)|xep thu|dung thu|\bchiem\b|nam (?:19|20)\d\d (?:dat|la)\b"
    r"|ket qua (?:dat|chi so)|cong bo|\bgiam con\b|\bcon \d|\bla \d"
)
# An upper bound ("dưới 50%", "không quá 5%", "tối đa 10%") is no "≥", ">" or "=": not proposed.
_UPPER = ("duoi", "khong qua", "toi da", "thap hon", "nho hon")
_CITATION = re.compile(
    r"\b(?:theo|tai|cua|quy dinh tai)\s+(?:nghi quyet|quyet dinh|chi thi|ke hoach|thong tu"
    r"|nghi dinh|cong van|chuong trinh)\s+(?:so\s+)?\d"
)
_ABOVE = ("tren", "hon", "vuot", "lon hon")
_AT_LEAST = ("toi thieu", "it nhat", "khong duoi", "dat", "tu", "bao dam", "dam bao")
_LEAD_IN = re.compile(
    r"^(?:[-–+•*]\s*)?(?:\d+(?:\.\d+)*[.)]\s*|[a-zđ][.)]\s*)?"
    r"(?:phấn đấu|đảm bảo|bảo đảm|mục tiêu|chỉ tiêu)?[:\s,]*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ProseTarget:
    """One proposed target: where it was written and what it reads."""

    line: int
    name: str
    target: Decimal
    comparison: str
    """"gte", "gt" or "eq", as `Indicator.Comparison`."""
    clause: str

    def as_json(self) -> dict:
        """For the review page's draft, kept in the session as JSON."""
        return {
            "line": self.line,
            "name": self.name,
            "target": str(self.target),
            "comparison": self.comparison,
            "clause": self.clause,
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: dict) -> ProseTarget:
        return cls(
            line=int(data["line"]),
            name=str(data["name"]),
            target=Decimal(data["target"]),
            comparison=str(data["comparison"]),
            clause=str(data.get("clause", "")),
        )

    @property
    def label(self) -> str:
        sign = {"gt": "> ", "eq": "= ", "gte": "≥ "}[self.comparison]
        return f"{sign}{format_score(self.target, percent=True)}%"


def _said(tail: str, words: tuple[str, ...]) -> bool:
    return any(f" {w} " in f" {tail} " for w in words)


def _comparison(before: str, number: Decimal, after: str) -> str | None:
    """ ">" / "≥" / "=" from the (up to four) words before the number; None for an upper bound."""
    tail = " ".join(fold(before).split()[-4:])
    if _said(tail, _UPPER):
        return None
    if _said(tail, _ABOVE) and "dat va vuot" not in tail:
        return "gt"
    if number == 100:
        # All of them: nothing is above 100%; "đạt và vượt 100%" (of a plan's figures) is "≥".
        return "gte" if "vuot" in tail else "eq"
    if "tro len" in fold(after)[:12] or _said(tail, _AT_LEAST):
        return "gte"
    return "gte"


def _name(clause: str) -> str:
    name = _LEAD_IN.sub("", clause.strip(" -–+•*")).strip(" :,")
    name = re.sub(r"\*+", "", name)
    name = name[:1].upper() + name[1:]
    return name[:300]


def read_prose_targets(text: str) -> list[ProseTarget]:
    """The percent targets the plan states in its sentences, in text order (see
    the module docstring for the rule)."""
    from planning.parsing.layout import lay_out

    found: list[ProseTarget] = []
    seen: set[str] = set()
    for line in lay_out(text.splitlines()):
        if "|" in line.text or "%" not in line.text:
            continue
        for clause in _CLAUSE.split(line.text):
            clause = clause.strip()
            match = _PERCENT.search(clause)
            if match is None:
                continue
            folded = fold(clause)
            if _RESULT_WORDS.search(folded) or _BRACKETED.search(clause):
                continue
            if _CITATION.search(folded[: len(fold(clause[: match.start()]))]):
                continue
            if clause.startswith("["):  # a footnote: "[5] Tỷ lệ … là 69,87%"
                continue
            number = Decimal(match["number"].replace(",", "."))
            comparison = _comparison(clause[: match.start()], number, clause[match.end() :])
            if number <= 0 or number > 100 or comparison is None:
                continue
            # What precedes a colon before the number is a heading ("Thực hiện …: Đảm bảo 100% …").
            colon = clause.rfind(":", 0, match.start())
            name = _name(clause[colon + 1 :] if colon >= 0 else clause)
            if len(_PERCENT.sub("", name).split()) < 4 or fold(name) in seen:
                continue  # a table's figure cut from its row, or said twice
            seen.add(fold(name))
            found.append(
                ProseTarget(
                    line=line.number,
                    name=name,
                    target=number,
                    comparison=comparison,
                    clause=clause,
                )
            )
    return found
