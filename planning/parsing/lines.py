"""Line shapes of a plan: headings, bullets, labels; sentences and wrapped lines.

Every later stage asks these questions of a line ("is it a numbered heading?",
"which clauses does it hold?"), so the answers are written once, here.
"""

from __future__ import annotations

import re

# A PDF's page break: a line holding only a form feed (extract.normalize_text keeps it).
PAGE_BREAK = "\f"

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_to_int(code: str) -> int:
    total = 0
    for index, ch in enumerate(code):
        value = ROMAN_VALUES.get(ch, 0)
        nxt = ROMAN_VALUES.get(code[index + 1], 0) if index + 1 < len(code) else 0
        total += -value if value < nxt else value
    return total


def int_to_roman(n: int) -> str:
    out = ""
    for value, sym in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


# --- Line shapes -----------------------------------------------------------------
_ROMAN = re.compile(r"^\s*(?:PHẦN\s+|Phần\s+)?(?P<code>[IVX]{1,5}|[A-Z])[.)]\s+(?P<title>\S.*)$")
_NUMBERED = re.compile(  # a stray "_" before the number is the text layer's underline
    r"^\s*_?(?P<code>\d{1,2}(?:\.\d{1,2}){0,3})(?:\.|\)|(?<=\d)(?=\s))\s*(?P<title>\S.*)$"
)
_LETTER = re.compile(r"^\s*(?P<code>[a-zđ])\)\s*(?P<title>\S.*)$")
_BULLET = re.compile(r"^\s*(?:[-–—•+*·▪◦]|\(\d{1,2}\)|\d{1,2}\))\s*(?P<title>\S.*)$")
_TASK_LABEL = re.compile(
    r"^\s*(?:nhiệm vụ|các nhiệm vụ|nội dung)(?:\s+(?:cụ thể|trọng tâm|chủ yếu))?\s*:\s*",
    re.I,
)
_APPENDIX = re.compile(
    r"^\s*(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:số\s+)?(?P<code>[IVX]+|\d+))?\s*(?:[:.\-–]\s*(?P<title>.*))?$"
)
_PLACE_DATE_LINE = re.compile(r",\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")


def _clauses(text: str) -> list[str]:
    """Sentences (". " before a capital letter) and ";"-clauses of a line."""
    out, start = [], 0
    for m in re.finditer(r"[.;]\s+", text):
        nxt = text[m.end() : m.end() + 1]
        if m.group(0)[0] == "." and not nxt.isupper():
            continue
        out.append(text[start : m.start() + 1].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [c for c in out if c]


def _join_wrapped(lines: list[str]) -> list[tuple[int, str]]:
    """Lines with their 1-based numbers; a line that continues a wrapped sentence
    (previous line unfinished, this one starting lower-case) is joined to it."""
    out: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if (
            out
            and stripped
            and stripped[0].islower()
            and "|" not in stripped
            and "|" not in out[-1][1]
            and out[-1][1].strip()
            and out[-1][1].rstrip()[-1] not in ".:;!?)"
            and not _LETTER.match(stripped)
        ):
            out[-1] = (out[-1][0], out[-1][1].rstrip() + " " + stripped)
            continue
        out.append((number, line))
    return out
