"""Scores as plans write them and as the app shows them.

Plans mix the decimal point and the decimal comma in one table ("89,28"
beside "89.23"); both are read as decimals, since no score reaches a
thousand. Shown the Vietnamese way: points with the digits they need
("8,424", "100"), percentages with two places ("87,11", "88,00").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from planning.formatting import format_number

_NUMBER = re.compile(r"^(?P<op>>=|≥|>|=)?\s*(?P<int>\d+)(?:(?P<sep>[.,])(?P<frac>\d+))?\s*%?$")
COMPARISONS = {">=": "gte", "≥": "gte", ">": "gt", "=": "eq"}


@dataclass(frozen=True)
class ReadNumber:
    value: Decimal | None
    comparison: str | None = None
    """"gte", "gt" or "eq" when the cell says so (">88.00"); None otherwise."""
    comma: bool = False
    """Whether the cell used the decimal comma."""
    unreadable: bool = False


def read_number(text: str) -> ReadNumber:
    """A table cell as a number: "8.424", "89,28", ">88.00", "" (None)."""
    text = text.strip()
    if not text:
        return ReadNumber(None)
    match = _NUMBER.match(text)
    if not match:
        return ReadNumber(None, unreadable=True)
    digits = match["int"] + ("." + match["frac"] if match["frac"] else "")
    op = match["op"]
    return ReadNumber(
        Decimal(digits),
        comparison=COMPARISONS[op] if op else None,
        comma=match["sep"] == ",",
    )


def format_score(value: Decimal | None, *, percent: bool = False) -> str:
    """Decimal("88.540") → "88,54"; Decimal("100.000") → "100"; percent → two places."""
    if value is None:
        return ""
    if percent:
        return format_number(value, decimal_pos=2)
    plain = format(value.normalize(), "f")
    return format_number(Decimal(plain))
