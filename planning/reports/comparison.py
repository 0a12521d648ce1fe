"""A reporting period's figures beside those of the period it is compared with.

Each record is one period: its window figures (what fell due within it and
how much of that is done, what was completed within it) and the cumulative
ones as of its cut-off. The last record, `Change`, reads the same attributes
and answers with the change worded as the documents word it ("tăng 2,47%",
"giảm 0,31%", "không đổi"; ratios in percentage points). The columns are
in `tables.py` (PERIOD_COLUMNS), for the workbook, the CSV, the PDF and the
dashboard alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planning.formatting import format_change

from .periods import ReportingPeriod
from .statistics import Row, Statistics

COUNT_FIGURES = (
    "window_due",
    "window_due_done",
    "window_due_done_on_time",
    "window_completed",
    "fallen_due",
    "due_done",
    "open_overdue",
    "due_later",
)
RATIO_FIGURES = ("window_due_ratio", "due_ratio", "ratio", "on_time_ratio")


@dataclass(frozen=True)
class PeriodFigures:
    period: ReportingPeriod
    row: Row

    @property
    def name(self) -> str:
        return self.period.label

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    def __getattr__(self, name: str):
        if name.startswith("window_"):
            window = self.row.window
            return window.due_ratio if name == "window_due_ratio" else getattr(window, name[7:])
        if name in COUNT_FIGURES or name in RATIO_FIGURES:
            r = self.row.rollup
            return r.due_done if name == "due_done" else getattr(r, name)
        raise AttributeError(name)


@dataclass(frozen=True)
class Change:
    """ "Thay đổi": each figure of `current` against `previous`, in words."""

    current: PeriodFigures
    previous: PeriodFigures
    name = "Thay đổi"
    start = None
    end = None

    def __getattr__(self, name: str):
        if name in RATIO_FIGURES or name in COUNT_FIGURES:
            return format_change(
                getattr(self.current, name),
                getattr(self.previous, name),
                percent=name in RATIO_FIGURES,
            )
        raise AttributeError(name)


def period_records(stats: Statistics) -> tuple[list, list]:
    """(the periods, the change below them); both empty without a reporting period."""
    f = stats.filters
    if f.reporting is None:
        return [], []
    current = PeriodFigures(f.reporting, stats.total)
    if f.compare is None or stats.compared is None:
        return [current], []
    previous = PeriodFigures(f.compare, stats.compared)
    return [current, previous], [Change(current, previous)]
