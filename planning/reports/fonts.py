"""The one font family the PDF report is drawn in, and how we know it is there.

Debian has two packages whose fonts both call themselves "Liberation Serif":
fonts-liberation 1.07 (pulled in by Chromium) has no ơ or ư, fonts-liberation2
has them. Asked for the family by name, fontconfig may pick 1.07, and the PDF
then mixes Liberation and DejaVu Serif inside words ("người"). So the report
does not ask for a family by name: it loads the fonts-liberation2 files by
path (`@font-face`) under a family name of our own, `PDF_FONT_FAMILY`.

REPORT_FONT_DIR (settings, from the environment) names the folder holding
LiberationSerif-{Regular,Bold,Italic,BoldItalic}.ttf, for distributions that
put them elsewhere (Fedora: /usr/share/fonts/liberation-serif). When the
files are missing or lack Vietnamese letters, `pdf_font_problems` says so:
`manage.py check` reports it as an error (planning/reports/checks.py) and the
status page ("Hệ thống") shows it.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

PDF_FONT_FAMILY = "CCHC Serif"
PDF_FONT_STACK = f'"{PDF_FONT_FAMILY}", "DejaVu Serif", serif'
"""DejaVu Serif (which has Vietnamese) only draws when our files are missing,
which `manage.py check` reports."""
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/liberation2"
PACKAGE = "fonts-liberation2"

FACES = (
    # (file name, font-weight, font-style)
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
    ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
)

VIETNAMESE_SAMPLE = "ơưạếộĐờữẫỹ"
"""Letters fonts-liberation 1.07 lacks (ơ, ư) and a few more a report uses."""


def font_dir() -> Path:
    return Path(getattr(settings, "REPORT_FONT_DIR", "") or DEFAULT_FONT_DIR)


def font_face_css() -> str:
    """The @font-face rules for `PDF_FONT_FAMILY`, one per face, by file path
    (none for a missing file: weasyprint would only warn, and DejaVu draws)."""
    rules = []
    for name, weight, style in FACES:
        path = font_dir() / name
        if not path.is_file():
            continue
        uri = path.absolute().as_uri()
        rules.append(
            f'@font-face {{ font-family: "{PDF_FONT_FAMILY}"; src: url("{uri}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def pdf_font_problems() -> list[str]:
    """What is wrong with the PDF font, in Vietnamese; empty when all is well."""
    return list(_problems(str(font_dir())))


@functools.cache
def _problems(folder: str) -> tuple[str, ...]:
    """Read each face's character map once per process and folder (the status
    page asks on every visit; the files do not change while we run)."""
    from fontTools.ttLib import TTFont, TTLibError  # weasyprint's own dependency

    missing_files, unreadable, lacking = [], [], []
    for name, _, _ in FACES:
        path = Path(folder) / name
        if not path.is_file():
            missing_files.append(name)
            continue
        try:
            with TTFont(path, lazy=True) as font:
                cmap = font.getBestCmap() or {}
        except (OSError, TTLibError):
            unreadable.append(name)
            continue
        if absent := "".join(ch for ch in VIETNAMESE_SAMPLE if ord(ch) not in cmap):
            lacking.append(f"{name} thiếu {absent}")
    remedy = f"cài gói {PACKAGE} (apt-get install {PACKAGE}) hoặc đặt REPORT_FONT_DIR"
    problems = []
    if missing_files:
        problems.append(
            f"Thiếu phông chữ của báo cáo PDF trong {folder}: {', '.join(missing_files)}; {remedy}."
        )
    if unreadable:
        problems.append(
            f"Không đọc được phông chữ trong {folder}: {', '.join(unreadable)}; {remedy}."
        )
    if lacking:
        problems.append(
            f"Phông chữ trong {folder} không đủ chữ tiếng Việt ({'; '.join(lacking)}); {remedy}."
        )
    return tuple(problems)
