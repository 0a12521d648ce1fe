"""The report's tables as an Excel workbook (openpyxl) and as CSV files.

Each table is a list of `Column`s, and a column's kind decides everything
about its cells in both formats, so a header, its values and its number
format can never drift apart (they once did: the percentage format sat one
column to the right of the ratios):

- count: an integer, number format "0";
- percent: rows carry Decimal percents ("66.67"); the workbook stores the
  fraction (0.6667, exactly: computed in Decimal) formatted "0.00%", the CSV
  writes "66,67%";
- date: a date formatted dd/mm/yyyy (in the CSV too);
- text: through `planning.formatting.spreadsheet_safe`, so a task titled
  `=HYPERLINK(...)` is written as text, never as a formula;
- score: an indicator's points or percentage (`Score`), whose format is
  the row's: points "0.00#" (two places, the third when the plan gives one:
  KH 192 scores 8,424), percentages as the fraction formatted "0.00%" like
  the ratios, a target's comparison in the format ('"> "0.00%'), so the
  cell stays a number; the CSV writes "8,424", "> 88,00".

Each sheet has its title and scope in merged rows above the header, an
autofilter over the header and the rows (not the total, which sorting would
otherwise move) and the header frozen.

Two CSV shapes, from the same columns:
- `table_csv`: any of the workbook's tables with its Vietnamese headers, in
  the sheet's order; "CSV tổng hợp" on the dashboard is the "Theo cơ quan" one.
- `summary_csv`: the machine-readable summary of `manage.py progress_report
  --format csv`, header exactly `agency,total,done,done_on_time,done_late,
  open_not_due,open_overdue,completion_ratio,fallen_due,due_done,
  due_done_on_time,due_ratio,due_later` (the columns' `key`s), one row per
  lead agency (alphabetical) and a last row "Tổng cộng". `open_not_due`
  counts ongoing work ("thường xuyên", no due date) too, so the columns up
  to `open_overdue` add up to `total`. The "due and done" columns follow
  `planning.querysets.q_fallen_due`: `due_done` of `fallen_due` are done
  (`due_done_on_time` on time, the rest are `done_late`), the others are
  `open_overdue`; `due_later` is the dated work not yet due (done ahead
  included).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from planning.formatting import format_number, format_ratio, spreadsheet_safe
from planning.indicators.numbers import format_score
from planning.indicators.tables import IndicatorRow

from .comparison import period_records
from .document import Report
from .statistics import Statistics

COUNT, PERCENT, DATE, TEXT, POINTS, SCORE = "count", "percent", "date", "text", "points", "score"
NUMBER_FORMATS = {
    COUNT: "0",
    PERCENT: "0.00%",
    DATE: "DD/MM/YYYY",
    TEXT: "General",
    POINTS: "0.00",
    SCORE: "0.00#",
}


@dataclass(frozen=True)
class Score:
    """An indicator's number with what decides its format: the unit, and the
    comparison sign of a target ("> ")."""

    value: Decimal | None
    percent: bool = False
    sign: str = ""

    @property
    def number_format(self) -> str:
        base = NUMBER_FORMATS[PERCENT] if self.percent else NUMBER_FORMATS[SCORE]
        return f'"{self.sign}"{base}' if self.sign else base


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    width: int
    value: Callable[[Any], Any]
    """The cell's value for one record (a statistics Row or an Assignment)."""
    key: str = ""
    """The machine name in `summary_csv`, for the columns it has."""

    @property
    def number_format(self) -> str:
        return NUMBER_FORMATS[self.kind]

    def cell_format(self, value) -> str:
        """The format of one cell: the column's, or a score's own."""
        return value.number_format if self.kind == SCORE else self.number_format

    def xlsx(self, value):
        if self.kind == SCORE:
            value, percent = value.value, value.percent
            if value is None:
                return None
            return float(value / 100) if percent else float(value)
        if value is None:
            return None
        if isinstance(value, str):  # the change row's words ("tăng 2,47%") on any column
            return spreadsheet_safe(value)
        if self.kind == PERCENT:
            return float(value / 100)  # Decimal("66.67") / 100 → 0.6667, not 0.6667000000000001
        if self.kind == POINTS:
            return float(value)
        return spreadsheet_safe(value) if self.kind == TEXT else value

    def csv(self, value) -> str:
        if self.kind == SCORE:
            shown = format_score(value.value, percent=value.percent)
            return value.sign + shown if shown else ""
        if isinstance(value, str):
            return spreadsheet_safe(value)
        if self.kind == PERCENT:
            return format_ratio(value)
        if value is None:
            return ""
        if self.kind == DATE:
            return value.strftime("%d/%m/%Y")
        if self.kind == POINTS:
            return format_number(value, decimal_pos=2)
        return spreadsheet_safe(value) if self.kind == TEXT else value


STT = Column("STT", COUNT, 6, lambda record: None)
"""Numbered by the table; blank on the total row."""


@dataclass
class Table:
    slug: str
    title: str
    """Sheet name (at most 31 characters)."""
    columns: tuple[Column, ...]
    records: list = field(default_factory=list)
    footer: list = field(default_factory=list)
    """Records below the rows (the total): outside the autofilter, in bold."""
    bold: Callable[[Any], bool] | None = None
    """Records among the rows that stand out in bold (the indicators' totals)."""

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def _values(self, index: int | None, record) -> list:
        return [index if c is STT else c.value(record) for c in self.columns]

    @property
    def rows(self) -> list[list]:
        """Raw values (Decimal percents, dates), rows then footer."""
        numbered = [self._values(i, r) for i, r in enumerate(self.records, start=1)]
        return numbered + [self._values(None, r) for r in self.footer]

    @property
    def text_rows(self) -> list[list[str]]:
        """The rows as the CSV writes them ("66,67%", "14/09/2022")."""
        return _csv_rows(self.columns, self.rows)

    @property
    def transposed_heads(self) -> list[str]:
        """The first column's values: the heads of the transposed table's columns."""
        return [row[0] for row in self.text_rows]

    @property
    def transposed(self) -> list[list[str]]:
        """One line per column after the first: its header, then each record's
        text. For a page too narrow for a column per figure (the PDF, the
        dashboard): the first column's values head the other columns."""
        cells = self.text_rows
        return [
            [column.header, *(row[index] for row in cells)]
            for index, column in enumerate(self.columns)
            if index
        ]


ROLLUP_COLUMNS = (
    Column("Tổng số", COUNT, 12, lambda row: row.rollup.total, key="total"),
    Column("Hoàn thành", COUNT, 12, lambda row: row.rollup.done, key="done"),
    Column(
        "Hoàn thành đúng hạn", COUNT, 14, lambda row: row.rollup.done_on_time, key="done_on_time"
    ),
    Column("Hoàn thành trễ hạn", COUNT, 14, lambda row: row.rollup.done_late, key="done_late"),
    Column("Chưa đến hạn", COUNT, 12, lambda row: row.open_not_overdue, key="open_not_due"),
    Column("Quá hạn", COUNT, 12, lambda row: row.rollup.open_overdue, key="open_overdue"),
    Column("Tỷ lệ hoàn thành", PERCENT, 14, lambda row: row.rollup.ratio, key="completion_ratio"),
    Column("Tỷ lệ đúng hạn", PERCENT, 14, lambda row: row.rollup.on_time_ratio),
    Column("Đến hạn", COUNT, 12, lambda row: row.rollup.fallen_due, key="fallen_due"),
    Column("Đến hạn đã hoàn thành", COUNT, 14, lambda row: row.rollup.due_done, key="due_done"),
    Column(
        "Đến hạn hoàn thành đúng hạn",
        COUNT,
        14,
        lambda row: row.rollup.due_done_on_time,
        key="due_done_on_time",
    ),
    Column(
        "Tỷ lệ hoàn thành nhiệm vụ đến hạn",
        PERCENT,
        16,
        lambda row: row.rollup.due_ratio,
        key="due_ratio",
    ),
    Column(
        "Chưa đến hạn (theo thời hạn)", COUNT, 14, lambda row: row.rollup.due_later, key="due_later"
    ),
    Column("Được gia hạn", COUNT, 12, lambda row: row.rollup.extended),
    Column("Tỷ lệ cập nhật tiến độ", PERCENT, 14, lambda row: row.update_rate),
)
AGENCY_COLUMNS = (
    STT,
    Column("Cơ quan chủ trì", TEXT, 45, lambda row: row.name, key="agency"),
    *ROLLUP_COLUMNS,
)
WINDOW_COLUMNS = (
    Column("Đến hạn trong kỳ", COUNT, 12, lambda row: row.window.due, key="window_due"),
    Column(
        "Đã hoàn thành (đến hạn trong kỳ)",
        COUNT,
        14,
        lambda row: row.window.due_done,
        key="window_due_done",
    ),
    Column(
        "Trong đó đúng hạn",
        COUNT,
        12,
        lambda row: row.window.due_done_on_time,
        key="window_due_done_on_time",
    ),
    Column(
        "Hoàn thành trong kỳ", COUNT, 12, lambda row: row.window.completed, key="window_completed"
    ),
    Column(
        "Tỷ lệ hoàn thành nhiệm vụ đến hạn trong kỳ",
        PERCENT,
        16,
        lambda row: row.window.due_ratio,
        key="window_due_ratio",
    ),
)
"""A reporting period's figures per agency or section (`Row.window`)."""
PERIOD_COLUMNS = (
    Column("Kỳ báo cáo", TEXT, 26, lambda f: f.name),
    Column("Từ ngày", DATE, 12, lambda f: f.start),
    Column("Đến ngày", DATE, 12, lambda f: f.end),
    Column("Đến hạn trong kỳ", COUNT, 12, lambda f: f.window_due),
    Column("Đã hoàn thành (đến hạn trong kỳ)", COUNT, 14, lambda f: f.window_due_done),
    Column("Trong đó đúng hạn", COUNT, 12, lambda f: f.window_due_done_on_time),
    Column("Hoàn thành trong kỳ", COUNT, 12, lambda f: f.window_completed),
    Column("Tỷ lệ hoàn thành nhiệm vụ đến hạn trong kỳ", PERCENT, 16, lambda f: f.window_due_ratio),
    Column("Lũy kế: đến hạn", COUNT, 12, lambda f: f.fallen_due),
    Column("Lũy kế: đã hoàn thành (đến hạn)", COUNT, 14, lambda f: f.due_done),
    Column("Lũy kế: quá hạn chưa hoàn thành", COUNT, 14, lambda f: f.open_overdue),
    Column("Lũy kế: chưa đến hạn", COUNT, 12, lambda f: f.due_later),
    Column("Lũy kế: tỷ lệ hoàn thành nhiệm vụ đến hạn", PERCENT, 16, lambda f: f.due_ratio),
    Column("Lũy kế: tỷ lệ hoàn thành", PERCENT, 14, lambda f: f.ratio),
    Column("Lũy kế: tỷ lệ đúng hạn", PERCENT, 14, lambda f: f.on_time_ratio),
)
"""`comparison.period_records`: one row per period, then the change in words."""
SECTION_COLUMNS = (Column("Mục", TEXT, 12, lambda row: row.name), *ROLLUP_COLUMNS)
SUMMARY_KEYS = (
    "agency",
    "total",
    "done",
    "done_on_time",
    "done_late",
    "open_not_due",
    "open_overdue",
    "completion_ratio",
    "fallen_due",
    "due_done",
    "due_done_on_time",
    "due_ratio",
    "due_later",
)


def _task_title(a) -> str:
    title = a.task.title
    return f"{title} ({a.period})" if a.period else title


def _section(a) -> str:
    return a.task.section.code if a.task.section else ""


LIST_START = (
    STT,
    Column("Mục", TEXT, 10, _section),
    Column("Nhiệm vụ", TEXT, 80, _task_title),
    Column("Cơ quan chủ trì", TEXT, 40, lambda a: a.agency.name),
)
OVERDUE_COLUMNS = (
    *LIST_START,
    Column("Thời hạn", DATE, 14, lambda a: a.due_date),
    Column("Số ngày quá hạn", COUNT, 12, lambda a: a.days_late_as_of),
)
EXTENDED_COLUMNS = (
    *LIST_START,
    Column("Hạn ban đầu", DATE, 14, lambda a: a.original_due_date),
    Column("Hạn sau gia hạn", DATE, 14, lambda a: a.due_date),
    Column(
        "Tình trạng",
        TEXT,
        22,
        lambda a: "Đã hoàn thành" if a.done_as_of else "Đang thực hiện",
    ),
)


SCORE_COLUMN = Column("Điểm", POINTS, 10, lambda row: row.score)
"""The agency's points under the plan's scoring rule in force (`Row.score`)."""


def _windowed(report: Report, columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The window's columns after the cumulative ones, for a reporting period."""
    return (*columns, *WINDOW_COLUMNS) if report.stats.filters.reporting else columns


def _scored(report: Report, columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The score after the agency's name when the plan has a scoring rule in force."""
    if report.stats.scoring_rule is None:
        return columns
    return (*columns[:2], SCORE_COLUMN, *columns[2:])


def period_table(stats: Statistics) -> Table | None:
    """The reporting period beside its comparison period; None without a period."""
    records, footer = period_records(stats)
    if not records:
        return None
    return Table("ky-bao-cao", "Kỳ báo cáo", PERIOD_COLUMNS, records, footer)


def _score(field_name: str) -> Callable[[IndicatorRow], Score]:
    def value(row: IndicatorRow) -> Score:
        number = row.actual if field_name == "actual" else getattr(row.indicator, field_name)
        return Score(number, row.percent, row.sign if field_name == "target" else "")

    return value


INDICATOR_COLUMNS = (
    Column("Mã số", TEXT, 12, lambda row: row.code_label),
    Column("Tiêu chí", TEXT, 70, lambda row: row.name_label),
    Column("Điểm tối đa", SCORE, 12, _score("maximum")),
    Column("Kết quả năm trước", SCORE, 14, _score("previous")),
    Column("Mục tiêu", SCORE, 12, _score("target")),
    Column("Thực hiện", SCORE, 12, _score("actual")),
    Column("Cơ quan chủ trì", TEXT, 40, lambda row: row.indicator.lead_label),
)


def indicator_table(tables) -> Table:
    """The "Chỉ tiêu" sheet: every set's rows in plan order (`indicator_tables`),
    the PAR INDEX ending with its "Tổng điểm", SIPAS starting with "Chỉ số chung"."""
    rows = [row for table in tables for row in table.rows]
    return Table(
        "chi-tieu", "Chỉ tiêu", INDICATOR_COLUMNS, rows, bold=lambda row: row.indicator.is_total
    )


def build_tables(report: Report) -> list[Table]:
    stats = report.stats
    period = period_table(stats)
    tables = [
        *([period] if period else []),
        Table(
            "tong-hop",
            "Theo cơ quan",
            _scored(report, _windowed(report, AGENCY_COLUMNS)),
            stats.by_agency,
            [stats.total],
        ),
        Table("theo-muc", "Theo mục", _windowed(report, SECTION_COLUMNS), stats.by_section),
        Table("qua-han", "Quá hạn", OVERDUE_COLUMNS, report.overdue),
        Table("gia-han", "Gia hạn", EXTENDED_COLUMNS, report.extended),
    ]
    if any(table.rows for table in report.indicators):
        tables.append(indicator_table(report.indicators))
    return tables


def write_sheet(sheet, table: Table, heading: list[str]) -> None:
    """Title lines merged across the table, then the header, rows and footer.

    1. Every cell below the header gets its column's number format, blank
       ones too, so a value typed in later reads the same way.
    2. The autofilter spans the header and the rows; the footer stays below
       it, so sorting never moves the total into the middle.
    """
    last = get_column_letter(len(table.columns))
    for row, line in enumerate(heading, start=1):
        sheet.append([spreadsheet_safe(line)])
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        # Excel never fits a merged row's height to its text: room for two lines.
        sheet.row_dimensions[row].height = 34
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    header_row = len(heading) + 2
    sheet.append([spreadsheet_safe(h) for h in table.headers])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    records = [*table.records, *table.footer]
    for record, values in zip(records, table.rows, strict=True):
        sheet.append([column.xlsx(v) for column, v in zip(table.columns, values, strict=True)])
        cells = sheet[sheet.max_row]
        for cell, column, value in zip(cells, table.columns, values, strict=True):
            cell.number_format = column.cell_format(value)
        if table.bold is not None and table.bold(record):
            for cell in cells:
                cell.font = Font(bold=True)
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    last_row = header_row + len(table.records)
    for row in sheet.iter_rows(min_row=last_row + 1, max_row=last_row + len(table.footer)):
        for cell in row:
            cell.font = Font(bold=True)
    sheet.auto_filter.ref = f"A{header_row}:{last}{last_row}"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def write_xlsx(report: Report, stream) -> None:
    """One sheet per table (see `write_sheet`)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    heading = [report.subject, report.scope_line]
    for table in build_tables(report):
        write_sheet(workbook.create_sheet(table.title[:31]), table, heading)
    workbook.save(stream)


def xlsx_bytes(report: Report) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    return buffer.getvalue()


def _csv_rows(columns, rows) -> list[list]:
    return [[c.csv(v) for c, v in zip(columns, values, strict=True)] for values in rows]


def table_csv(table: Table) -> str:
    """A table with its Vietnamese headers, as in its sheet; dates dd/mm/yyyy,
    ratios "92,31%"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows(_csv_rows(table.columns, table.rows))
    return out.getvalue()


def _period_columns(report: Report) -> tuple[Column, ...]:
    """`as_of`, `window_from`, `window_to` (the same on every row) and the window's figures."""
    f = report.stats.filters
    start, end = f.window
    return (
        Column("", DATE, 0, lambda row: f.as_of, key="as_of"),
        Column("", DATE, 0, lambda row: start, key="window_from"),
        Column("", DATE, 0, lambda row: end, key="window_to"),
        *WINDOW_COLUMNS,
    )


def summary_csv(report: Report) -> str:
    """The `progress_report --format csv` contract (see the module docstring)."""
    by_key = {c.key: c for c in AGENCY_COLUMNS if c.key}
    columns = tuple(by_key[key] for key in SUMMARY_KEYS)
    if report.stats.filters.reporting:
        columns += _period_columns(report)
    table = Table("", "", columns, report.stats.agencies_alphabetical, [report.stats.total])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    writer.writerows(_csv_rows(columns, table.rows))
    return out.getvalue()
