"""`manage.py check` fails when the PDF report's font is missing (see fonts.py):
better at deploy time than a report in two fonts, or in DejaVu, later."""

from __future__ import annotations

from django.core import checks

from .fonts import PACKAGE, font_dir, pdf_font_problems


def pdf_font(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            problem,
            hint=f"Debian, Ubuntu: apt-get install {PACKAGE}. Hệ khác: REPORT_FONT_DIR là thư "
            f"mục chứa LiberationSerif-*.ttf bản 2.x (hiện là {font_dir()}).",
            id="reports.E001",
        )
        for problem in pdf_font_problems()
    ]
