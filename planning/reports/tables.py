"""The report's tables as an Excel workbook (openpyxl) and as CSV files.

Numbers stay numbers, dates stay dates (formatted dd/mm/yyyy in the sheet),
ratios are numbers formatted as percentages (rows carry them as Decimal
percents, "92.31"; `_xlsx_value` turns them into 0.9231), and every text cell goes through
`planning.formatting.spreadsheet_safe`: a task titled `=HYPERLINK(...)` is
written as text, never as a formula (in the workbook and in the CSV files).

Two CSV shapes:
- `summary_csv`: the machine-readable summary of `manage.py progress_report
  --format csv`, header exactly `agency,total,done,done_on_time,done_late,
  open_not_due,open_overdue,completion_ratio`, one row per lead agency
  (alphabetical) and a last row "Tổng cộng". `open_not_due` counts ongoing
  work ("thường xuyên", no due date) too, so the columns add up to `total`.
- `table_csv`: any of the workbook's tables with its Vietnamese headers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from planning.formatting import format_ratio, spreadsheet_safe

from .document import Report
from .statistics import Row

SUMMARY_HEADER = [
    "agency",
    "total",
    "done",
    "done_on_time",
    "done_late",
    "open_not_due",
    "open_overdue",
    "completion_ratio",
]

PERCENT = "0.00%"
DATE = "DD/MM/YYYY"


@dataclass
class Table:
    slug: str
    title: str
    """Sheet name (at most 31 characters)."""
    headers: list[str]
    widths: list[int]
    rows: list[list] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)
    """Column index → number format."""


def _rollup_cells(row: Row) -> list:
    r = row.rollup
    return [
        r.total,
        r.done,
        r.done_on_time,
        r.done_late,
        row.open_not_overdue,
        r.open_overdue,
        r.ratio,
        r.on_time_ratio,
        r.extended,
        row.update_rate,
    ]


ROLLUP_HEADERS = [
    "Tổng số",
    "Hoàn thành",
    "Hoàn thành đúng hạn",
    "Hoàn thành trễ hạn",
    "Chưa đến hạn",
    "Quá hạn",
    "Tỷ lệ hoàn thành",
    "Tỷ lệ đúng hạn",
    "Được gia hạn",
    "Tỷ lệ cập nhật tiến độ",
]
ROLLUP_FORMATS = {7: PERCENT, 8: PERCENT, 10: PERCENT}


def _task_title(a) -> str:
    title = a.task.title
    return f"{title} ({a.period})" if a.period else title


def build_tables(report: Report) -> list[Table]:
    stats = report.stats
    by_agency = Table(
        "tong-hop",
        "Theo cơ quan",
        ["STT", "Cơ quan chủ trì", *ROLLUP_HEADERS],
        [6, 45] + [14] * len(ROLLUP_HEADERS),
        formats={k + 1: v for k, v in ROLLUP_FORMATS.items()},
    )
    for i, row in enumerate(stats.by_agency, start=1):
        by_agency.rows.append([i, row.name, *_rollup_cells(row)])
    by_agency.rows.append([None, "Tổng cộng", *_rollup_cells(stats.total)])

    by_section = Table(
        "theo-muc",
        "Theo mục",
        ["Mục", *ROLLUP_HEADERS],
        [12] + [14] * len(ROLLUP_HEADERS),
        formats=dict(ROLLUP_FORMATS),
    )
    for row in stats.by_section:
        by_section.rows.append([row.name, *_rollup_cells(row)])

    overdue = Table(
        "qua-han",
        "Quá hạn",
        ["STT", "Mục", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Số ngày quá hạn"],
        [6, 10, 80, 40, 14, 12],
        formats={5: DATE},
    )
    for i, a in enumerate(report.overdue, start=1):
        section = a.task.section.code if a.task.section else ""
        overdue.rows.append(
            [i, section, _task_title(a), a.agency.name, a.due_date, a.days_late_as_of]
        )

    extended = Table(
        "gia-han",
        "Gia hạn",
        [
            "STT",
            "Mục",
            "Nhiệm vụ",
            "Cơ quan chủ trì",
            "Hạn ban đầu",
            "Hạn sau gia hạn",
            "Tình trạng",
        ],
        [6, 10, 80, 40, 14, 14, 22],
        formats={5: DATE, 6: DATE},
    )
    for i, a in enumerate(report.extended, start=1):
        section = a.task.section.code if a.task.section else ""
        state = "Đã hoàn thành" if a.done_as_of else "Đang thực hiện"
        extended.rows.append(
            [i, section, _task_title(a), a.agency.name, a.original_due_date, a.due_date, state]
        )
    return [by_agency, by_section, overdue, extended]


def write_xlsx(report: Report, stream) -> None:
    """One sheet per table, a title block on top, headers frozen."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    heading = [report.subject, report.scope_line]
    for table in build_tables(report):
        sheet = workbook.create_sheet(table.title[:31])
        for line in heading:
            sheet.append([spreadsheet_safe(line)])
        sheet.append([])
        header_row = len(heading) + 2
        sheet.append([spreadsheet_safe(h) for h in table.headers])
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet["A1"].font = Font(bold=True)
        for values in table.rows:
            sheet.append([_xlsx_value(v) for v in values])
        for column, number_format in table.formats.items():
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=column, max_col=column):
                cell.number_format = number_format
        for index, width in enumerate(table.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    workbook.save(stream)


def xlsx_bytes(report: Report) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    """Ratios (Decimal percents, the only Decimals here) become fractions for a
    percentage-formatted cell; text is neutralised; numbers and dates pass."""
    if isinstance(value, Decimal):
        return float(value) / 100
    return spreadsheet_safe(value)


def _csv_value(value):
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format_ratio(value)
    return spreadsheet_safe(value) if value is not None else ""


def table_csv(table: Table) -> str:
    """A table with its Vietnamese headers; dates dd/mm/yyyy, ratios "92,31%"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for values in table.rows:
        writer.writerow([_csv_value(v) for v in values])
    return out.getvalue()


def summary_csv(report: Report) -> str:
    """The `progress_report --format csv` contract (see the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SUMMARY_HEADER)
    for row in [*report.stats.agencies_alphabetical, report.stats.total]:
        r = row.rollup
        writer.writerow(
            [
                spreadsheet_safe(row.name),
                r.total,
                r.done,
                r.done_on_time,
                r.done_late,
                row.open_not_overdue,
                r.open_overdue,
                r.ratio_display,
            ]
        )
    return out.getvalue()
