"""Writing sheets: CSV that Excel opens with the right accents, XLSX, and the templates.

Every cell has already passed `spreadsheet_safe` (the resource's export does it),
so a title starting with "=" is text in Excel, not a formula; the import removes
that apostrophe again.
"""

from __future__ import annotations

import csv
import io

from planning.formatting import spreadsheet_safe

from .columns import COLUMN_HELP, COLUMNS, EXAMPLE_ROW

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WIDTHS = {"Nhiệm vụ": 70, "Cơ quan chủ trì": 28, "Cơ quan phối hợp": 28, "Ghi chú": 30}


def write_csv(headers: list[str], rows) -> bytes:
    """UTF-8 with a BOM, so Excel on Windows shows "Sở Tư pháp", not mojibake."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(headers: list[str], rows, *, comments: dict[str, str] | None = None) -> bytes:
    """One sheet, bold frozen header, readable widths; header comments when given."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ"
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        if comments and header in comments:
            cell.comment = Comment(comments[header], "Sở Nội vụ", width=320, height=110)
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(header, 16)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(fmt: str, headers: list[str], rows) -> bytes:
    return write_xlsx(headers, rows) if fmt == "xlsx" else write_csv(headers, rows)


def template(fmt: str) -> bytes:
    """The empty tracker with one example row and what each column holds.

    XLSX carries the help as header comments; CSV has no comments, so the help
    follows as lines starting with "#", which the reader skips.
    """
    example = [spreadsheet_safe(v) for v in EXAMPLE_ROW]
    if fmt == "xlsx":
        return write_xlsx(COLUMNS, [example], comments=COLUMN_HELP)
    help_rows = [[f"# {name}: {COLUMN_HELP[name]}"] for name in COLUMNS]
    return write_csv(COLUMNS, [example, *help_rows])
