"""The progress report as a PDF (weasyprint), laid out per Nghị định 30/2020/NĐ-CP.

1. Render templates/reports/report_pdf.html to HTML (charts inline as SVG).
2. Normalise the HTML to NFC: decomposed Vietnamese renders fine but leaves an
   NFD text layer in the PDF, where search and copy then fail.
3. weasyprint with a file-path base_url, so nothing is fetched over the network.
Everything, the charts and the page numbers included, is drawn in one font
family loaded by file path (fonts.py: fonts-liberation2's Liberation Serif,
which has ơ and ư, under our own family name); weasyprint embeds the subset
it uses.

About 3-4 s per 1,000 table rows on this machine: reports that long are meant
to be rendered by the `progress_report` command or a django-q task
(`planning.reports.tasks.render_report_file`), not in a request.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from planning.indicators.report import pdf_section_context

from . import charts
from .document import Report
from .fonts import PDF_FONT_STACK, font_face_css
from .tables import period_table


@dataclass
class Timings:
    template: float = 0.0
    weasyprint: float = 0.0


def render_html(report: Report) -> str:
    stats = report.stats
    context = {
        "report": report,
        "stats": stats,
        "total": stats.total,
        "font_face_css": font_face_css(),
        "font_stack": PDF_FONT_STACK,
        "period_table": period_table(stats),
        **pdf_section_context(report.indicators, report.as_of),
        "agency_chart": charts.agency_bars(
            stats.by_agency,
            title="Kết quả thực hiện theo cơ quan chủ trì",
            ident="pdf-agencies",
            font=PDF_FONT_STACK,
        ),
        "month_chart": charts.completion_over_time(
            stats.months,
            title="Tiến độ hoàn thành theo tháng",
            ident="pdf-months",
            font=PDF_FONT_STACK,
        ),
    }
    html = render_to_string("reports/report_pdf.html", context)
    return unicodedata.normalize("NFC", html)


def render_pdf(report: Report, timings: Timings | None = None) -> bytes:
    from weasyprint import HTML  # imported late: pango loads only when a PDF is made

    timings = timings if timings is not None else Timings()
    start = time.perf_counter()
    html = render_html(report)
    middle = time.perf_counter()
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    end = time.perf_counter()
    timings.template = middle - start
    timings.weasyprint = end - middle
    return pdf
