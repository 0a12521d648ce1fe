"""Reporting periods as Nghị định 09/2019/NĐ-CP, Điều 12 cuts them.

A periodic report counts its figures over a fixed window that ends on the
14th, so that reports reach the next level in time:
- a month: from the 15th of the previous month to the 14th of the month;
- a quarter: from the 15th of the month before the quarter to the 14th of
  its last month (Quý I: 15/12 of the previous year to 14/3);
- six months: the first half from 15/12 of the previous year to 14/6, the
  second from 15/6 to 14/12;
- nine months (asked by some ministries' circulars): 15/12 of the previous
  year to 14/9;
- a year: 15/12 of the previous year to 14/12.

The window's last day is the report's "as of" date. Pure: dates and labels
only, no database, so the form, the command and the tests share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from planning.deadlines import ROMAN_OF

MONTH, QUARTER, HALF, NINE_MONTHS, YEAR = "month", "quarter", "half", "9m", "year"
CUT_OFF_DAY = 14

_CODE = re.compile(
    r"^\s*(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[qQ](?P<quarter>[1-4])"
    r"|[hH](?P<half>[12])|(?P<nine>9[mM])))?\s*$"
)


def _day(year: int, month: int, day: int) -> date:
    """The day in month `month` of `year`, month 0 being December of the year before."""
    return date(year - 1, 12, day) if month == 0 else date(year, month, day)


@dataclass(frozen=True)
class ReportingPeriod:
    kind: str
    year: int
    number: int = 0
    """The month (1-12), quarter (1-4) or half (1-2); 0 for nine months and a year."""

    @property
    def last_month(self) -> int:
        """The month whose 14th closes the window."""
        if self.kind == MONTH:
            return self.number
        if self.kind == QUARTER:
            return self.number * 3
        if self.kind == HALF:
            return self.number * 6
        return 9 if self.kind == NINE_MONTHS else 12

    @property
    def first_month(self) -> int:
        """The month whose 15th opens the window (0: December of the year before)."""
        if self.kind == MONTH:
            return self.number - 1
        if self.kind == QUARTER:
            return self.number * 3 - 3
        if self.kind == HALF:
            return self.number * 6 - 6
        return 0

    @property
    def start(self) -> date:
        return _day(self.year, self.first_month, CUT_OFF_DAY + 1)

    @property
    def end(self) -> date:
        """The cut-off: the report's "as of" date."""
        return date(self.year, self.last_month, CUT_OFF_DAY)

    @property
    def code(self) -> str:
        """ "2022-08", "2022-Q3", "2022-H1", "2022-9M", "2022" (what `parse_period` reads)."""
        if self.kind == MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind == HALF:
            return f"{self.year}-H{self.number}"
        return f"{self.year}-9M" if self.kind == NINE_MONTHS else str(self.year)

    @property
    def label(self) -> str:
        """ "Tháng 8/2022", "Quý III/2022", "6 tháng đầu năm 2022", "9 tháng năm 2022"…"""
        if self.kind == MONTH:
            return f"Tháng {self.number}/{self.year}"
        if self.kind == QUARTER:
            return f"Quý {ROMAN_OF[self.number]}/{self.year}"
        if self.kind == HALF:
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"9 tháng năm {self.year}" if self.kind == NINE_MONTHS else f"Năm {self.year}"

    def previous(self) -> ReportingPeriod:
        """The period just before, of the same kind; nine months: the year before's."""
        if self.kind in (NINE_MONTHS, YEAR):
            return ReportingPeriod(self.kind, self.year - 1, self.number)
        count = {MONTH: 12, QUARTER: 4, HALF: 2}[self.kind]
        if self.number == 1:
            return ReportingPeriod(self.kind, self.year - 1, count)
        return ReportingPeriod(self.kind, self.year, self.number - 1)


def parse_period(text: str | None) -> ReportingPeriod | None:
    """ "2022-08", "2022-Q3", "2022-H1", "2022-9M", "2022" → a period; anything else → None."""
    m = _CODE.match(text or "")
    if m is None:
        return None
    year = int(m["year"])
    if m["month"]:
        month = int(m["month"])
        return ReportingPeriod(MONTH, year, month) if 1 <= month <= 12 else None
    if m["quarter"]:
        return ReportingPeriod(QUARTER, year, int(m["quarter"]))
    if m["half"]:
        return ReportingPeriod(HALF, year, int(m["half"]))
    if m["nine"]:
        return ReportingPeriod(NINE_MONTHS, year)
    return ReportingPeriod(YEAR, year)


def periods_of(year: int) -> list[ReportingPeriod]:
    """Every period of a year, the long ones first: year, 9 months, halves, quarters, months."""
    return [
        ReportingPeriod(YEAR, year),
        ReportingPeriod(NINE_MONTHS, year),
        *(ReportingPeriod(HALF, year, h) for h in (1, 2)),
        *(ReportingPeriod(QUARTER, year, q) for q in range(1, 5)),
        *(ReportingPeriod(MONTH, year, m) for m in range(1, 13)),
    ]
