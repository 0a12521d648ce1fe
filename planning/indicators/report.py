"""The indicator report as CSV, Excel or PDF (the `indicator_report` command).

One row per indicator in plan order: the PAR INDEX rows ending with its
"Tổng điểm", then the SIPAS rows starting with its "Chỉ số chung". The CSV
writes numbers the Vietnamese way (decimal comma); the Excel sheet keeps them
as numbers with a display format; the PDF is laid out like the progress report
(Nghị định 30/2020/NĐ-CP), and its section can be included in that report
(`pdf_section_context`, template planning/indicators/_pdf_section.html).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from planning.formatting import spreadsheet_safe
from planning.models import Plan

from .tables import IndicatorRow, SetTable, indicator_tables

HEADERS = [
    "Mã số",
    "Tiêu chí",
    "Điểm tối đa",
    "Kết quả năm trước",
    "Mục tiêu",
    "Thực hiện",
    "Cơ quan chủ trì",
]


def _label_cells(row: IndicatorRow, table: SetTable) -> tuple[str, str]:
    """A total row has no code: its label ("Tổng điểm", "Chỉ số chung") leads
    the row and the set's name stands as the criterion."""
    indicator = row.indicator
    if indicator.is_total:
        return indicator.name.capitalize(), table.indicator_set.title
    return indicator.code, indicator.name


def text_rows(tables: list[SetTable]) -> list[list[str]]:
    rows = []
    for table in tables:
        for row in table.rows:
            code, name = _label_cells(row, table)
            cells = row.cells
            rows.append(
                [
                    code,
                    name,
                    cells["maximum"],
                    cells["previous"],
                    cells["target"],
                    cells["actual"],
                    row.indicator.lead_label,
                ]
            )
    return rows


def render_csv(plan: Plan, as_of: date) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in text_rows(indicator_tables(plan, as_of)):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    # A byte-order mark so that Excel opens the Vietnamese text as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def _number_format(row: IndicatorRow, *, target: bool = False) -> str:
    base = "0.00" if row.percent else "General"
    sign = {"gt": "> ", "eq": "= "}.get(row.indicator.comparison, "") if target else ""
    return f'"{sign}"{base}' if sign else base


def write_sheet(sheet, plan: Plan, as_of: date) -> None:
    """Fill an openpyxl worksheet with the report (the Excel report's "Chỉ tiêu" sheet)."""
    from openpyxl.styles import Font

    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for table in indicator_tables(plan, as_of):
        for row in table.rows:
            code, name = _label_cells(row, table)
            i = row.indicator
            values = [code, name, i.maximum, i.previous, i.target, row.actual, i.lead_label]
            sheet.append([spreadsheet_safe(v) for v in values])
            excel_row = sheet.max_row
            for column in (3, 4, 6):
                sheet.cell(excel_row, column).number_format = _number_format(row)
            sheet.cell(excel_row, 5).number_format = _number_format(row, target=True)
            if i.is_total:
                for cell in sheet[excel_row]:
                    cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (9, 70, 12, 14, 12, 12, 32), strict=True):
        sheet.column_dimensions[letter].width = width


def render_xlsx(plan: Plan, as_of: date) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chỉ tiêu"
    write_sheet(sheet, plan, as_of)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_section_context(plan: Plan, as_of: date) -> dict:
    """What templates/planning/indicators/_pdf_section.html needs, for the
    progress report's "Chỉ tiêu" section."""
    return {"indicator_tables": indicator_tables(plan, as_of), "indicator_as_of": as_of}


def render_pdf(plan: Plan, as_of: date) -> bytes:
    from weasyprint import HTML  # imported late: pango loads only when a PDF is made

    context = {"plan": plan, **pdf_section_context(plan, as_of)}
    html = unicodedata.normalize(
        "NFC", render_to_string("planning/indicators/report_pdf.html", context)
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx, "pdf": render_pdf}
