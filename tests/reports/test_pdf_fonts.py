"""The PDF is drawn in one font family that has Vietnamese, whatever else is installed.

Debian's fonts-liberation 1.07 (which Chromium pulls in) and fonts-liberation2
both call themselves "Liberation Serif", and 1.07 lacks ơ and ư: a PDF that
asks for fonts by name then mixes two families inside words ("người"). These
tests build such a machine: a fontconfig that knows only DejaVu, or one with
a "Times New Roman" that has no Vietnamese letters (a subset of Liberation
Serif renamed, written by fontTools, as fonts-liberation 1.07 would behave).
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from fontTools import subset
from fontTools.ttLib import TTFont

from planning.reports.fonts import DEFAULT_FONT_DIR, FACES, pdf_font_problems
from planning.reports.pdf import render_pdf
from tests.conftest import client_for

from .conftest import pdf_fonts, pdf_text
from .test_pdf import report_for

pytestmark = pytest.mark.django_db

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.fixture(scope="session")
def latin_only_fonts(tmp_path_factory) -> Path:
    """LiberationSerif-*.ttf cut down to Latin-1 (no ơ, ư, ạ...) and renamed
    "Times New Roman", with a fonts.conf that adds them to the system's fonts."""
    folder = tmp_path_factory.mktemp("latin-only-fonts")
    for file_name, _, _ in FACES:
        font = TTFont(Path(DEFAULT_FONT_DIR) / file_name)
        options = subset.Options()
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=range(0x20, 0x100))
        subsetter.subset(font)
        style = font["name"].getDebugName(2)
        for name_id in (1, 4, 6, 16, 17):
            font["name"].removeNames(nameID=name_id)
        font["name"].setName("Times New Roman", 1, 3, 1, 0x409)
        font["name"].setName(f"Times New Roman {style}", 4, 3, 1, 0x409)
        font["name"].setName(f"TimesNewRoman-{style.replace(' ', '')}", 6, 3, 1, 0x409)
        font.save(folder / file_name)
    _fonts_conf(folder, f"<dir>{folder}</dir><include>/etc/fonts/fonts.conf</include>")
    return folder


def _fonts_conf(folder: Path, body: str) -> Path:
    path = folder / "fonts.conf"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>{body}'
        f"<cachedir>{folder}/cache</cachedir></fontconfig>"
    )
    return path


@pytest.fixture
def dejavu_only(tmp_path, monkeypatch):
    """A machine whose fontconfig knows DejaVu and nothing else."""
    conf = _fonts_conf(tmp_path, "<dir>/usr/share/fonts/truetype/dejavu</dir>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))


def families(content: bytes) -> set[str]:
    """ "ABCDEF+CCHC-Serif-Bold-Italic" → "CCHC-Serif" (subset tag and style dropped)."""
    names = (name.lstrip("/").split("+", 1)[-1] for name, _ in pdf_fonts(content))
    return {re.sub(r",?(-(Bold|Italic|Oblique|Regular))+$", "", name) for name in names}


def motto_lines(content: bytes) -> list[str]:
    return [line for line in pdf_text(content).splitlines() if "CỘNG HÒA" in line]


def test_a_times_new_roman_without_vietnamese_is_not_used(
    plan_24_26, latin_only_fonts, monkeypatch
):
    monkeypatch.setenv("FONTCONFIG_FILE", str(latin_only_fonts / "fonts.conf"))
    content = render_pdf(report_for(plan_24_26))
    assert families(content) == {"CCHC-Serif"}, pdf_fonts(content)


def test_the_pdf_needs_no_font_known_to_fontconfig(plan_24_26, dejavu_only):
    content = render_pdf(report_for(plan_24_26))
    assert families(content) == {"CCHC-Serif"}, pdf_fonts(content)
    [line] = motto_lines(content)
    assert MOTTO in line


def test_the_motto_stays_on_one_line_in_the_fallback_font(plan_24_26, dejavu_only, settings):
    settings.REPORT_FONT_DIR = "/nonexistent/fonts"
    content = render_pdf(report_for(plan_24_26))
    assert families(content) == {"DejaVu-Serif"}
    [line] = motto_lines(content)
    assert MOTTO in line


def test_check_reports_missing_fonts_naming_the_package(settings):
    settings.REPORT_FONT_DIR = "/nonexistent/fonts"
    with pytest.raises(SystemCheckError, match=r"reports\.E001.*fonts-liberation2"):
        call_command("check")


def test_check_reports_fonts_without_vietnamese_letters(settings, latin_only_fonts):
    settings.REPORT_FONT_DIR = str(latin_only_fonts)
    [problem] = pdf_font_problems()
    assert "tiếng Việt" in problem and "fonts-liberation2" in problem
    assert "ơ" in problem and "ư" in problem


def test_check_passes_with_fonts_liberation2(settings):
    settings.REPORT_FONT_DIR = DEFAULT_FONT_DIR
    assert pdf_font_problems() == []
    call_command("check")


def test_the_status_page_says_the_pdf_font_is_missing(client, coordinator, settings):
    """Coordinators only see "Hệ thống"; it names the package to install."""
    settings.REPORT_FONT_DIR = "/nonexistent/fonts"
    html = client_for(client, coordinator).get(reverse("system_status")).content.decode()
    assert "Có sự cố" in html
    assert "fonts-liberation2" in html
    settings.REPORT_FONT_DIR = DEFAULT_FONT_DIR
    html = client_for(client, coordinator).get(reverse("system_status")).content.decode()
    assert "fonts-liberation2" not in html
