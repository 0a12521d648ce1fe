"""The indicator report as CSV, Excel or PDF (the `indicator_report` command).

One row per indicator in plan order: the PAR INDEX rows ending with its
"Tổng điểm", then the SIPAS rows starting with its "Chỉ số chung". The columns
are the progress report's "Chỉ tiêu" sheet (`planning.reports.tables.
INDICATOR_COLUMNS`): the CSV writes numbers the Vietnamese way (decimal
comma), the Excel sheet keeps them as numbers with a display format. The PDF is
laid out like the progress report (Nghị định 30/2020/NĐ-CP), whose "Chỉ tiêu"
section is the same template (`pdf_section_context`,
planning/indicators/_pdf_section.html).
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from planning.models import Plan
from planning.reports.document import vn_date
from planning.reports.fonts import PDF_FONT_STACK, font_face_css
from planning.reports.tables import indicator_table, table_csv
from planning.reports.tables import write_sheet as write_table_sheet

from .tables import SetTable, indicator_tables


def _heading(plan: Plan, as_of: date) -> list[str]:
    return [
        f"Kết quả thực hiện chỉ tiêu Kế hoạch số {plan.number}",
        f"(Số liệu tính đến ngày {vn_date(as_of)})",
    ]


def render_csv(plan: Plan, as_of: date) -> bytes:
    """The sheet's columns as text (`table_csv`), with a byte-order mark so that
    Excel opens the Vietnamese text as UTF-8."""
    return table_csv(indicator_table(indicator_tables(plan, as_of))).encode("utf-8-sig")


def render_xlsx(plan: Plan, as_of: date) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chỉ tiêu"
    write_table_sheet(sheet, indicator_table(indicator_tables(plan, as_of)), _heading(plan, as_of))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_section_context(tables: list[SetTable], as_of: date) -> dict:
    """What templates/planning/indicators/_pdf_section.html needs: this report's
    tables, and the progress report's "Chỉ tiêu" section (`planning.reports.pdf`)."""
    return {"indicator_tables": [t for t in tables if t.rows], "indicator_as_of": as_of}


def render_pdf(plan: Plan, as_of: date) -> bytes:
    from weasyprint import HTML  # imported late: pango loads only when a PDF is made

    context = {
        "plan": plan,
        "font_face_css": font_face_css(),
        "font_stack": PDF_FONT_STACK,
        **pdf_section_context(indicator_tables(plan, as_of), as_of),
    }
    html = unicodedata.normalize(
        "NFC", render_to_string("planning/indicators/report_pdf.html", context)
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx, "pdf": render_pdf}
