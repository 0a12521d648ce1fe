"""Task tables that OCR read across: every physical line runs through all the columns.

A scanned table turned into text by OCR (or `pdftotext -raw`) gives one line per printed
line of the page, left to right, with no column alignment left:

    STT Nội dung hoạt động Thời gian Đơn vị chủ trì Đơn vị phối hợp
    Thành lập Cục thuế doanh nghiệp lớn; Cục Kiểm tra Tổng cục Thuế Các Vụ, đơn vị có liên quan
    2 | nội bộ; Giải quyết khiếu nại, tổ cáo và Phòng chống 2021 trong ngành Thuế
    tham những; Cục Thanh tra, kiểm tra thuế. (Vụ TCCB)

A cell printed on several lines is centred in its row, so the row's number stands on a
middle line and each cell's first line may be above or below it. What stays readable:
the header (a line opening with "STT"/"TT" that names a task column and a lead or
coordination column), the row numbers in sequence at the start of lines, the time cell
(a year, a span of years, a quarter, a date, "Thường xuyên" standing alone between the
task text and the agencies) and the lead cell, the first agency name to the right of the
task column (the coordination column comes after it). The task column's right edge is
estimated from where the time cells start. Each row found is rewritten as one pipe row
at its number's line (the other lines of the region blanked, so line numbers still point
into the source), under a pipe header, for the table reader to read like any other.
A row whose lead cannot be read is left out rather than guessed.
"""

from __future__ import annotations

import re
from statistics import median

from .agencies import _starts_with, fold, looks_like_agency
from .agency_words import HEAD_WORDS

_HEADER = re.compile(
    r"^\s*(?:S\s*TT|TT)\b(?=.*(?:nội\s*dung|nhiệm\s*vụ|công\s*việc))"
    r"(?=.*(?:chủ\s*trì|phối\s*hợp))",
    re.I,
)
_ROW_NUMBER = re.compile(r"^\s*\|?\s*(\d{1,3})\s*(?:[|_]\s*)*(?=\S)")
# A time cell: not a year inside the task text ("đến năm 2025", "Luật số 38/2019").
_TIME = re.compile(
    r"(?<![\w/.])(?<!năm )(?<!ngày )(?:"
    r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?"
    r"|qu[ýí]\s+(?:iv|iii|ii|i|[1-4])(?:\s*[/-]\s*(?:19|20)\d\d)?"
    r"|\d{1,2}/\d{1,2}/(?:19|20)\d\d"
    r"|thường\s+xuyên"
    r")(?![\w/.])",
    re.I,
)
_PIPE_HEADER = "| STT | Nội dung | Thời gian | Đơn vị chủ trì | Đơn vị phối hợp |"
_NEAR = 2  # lines above or below the row's number that may hold its cells
_GAP = 30  # lines after the last row beyond which the table has ended
_MIN_ROWS = 3


def _agency_name(line: str, start: int) -> str:
    """The name that starts at `start`: its head words and the capitalised words after
    them, up to the next name (the coordination column), a punctuation or a fragment."""
    words = line[start:].split()
    name: list[str] = []
    for index, word in enumerate(words):
        bare = word.strip(",;.:")
        if not bare.isalpha():
            break
        if name:
            rest = " ".join(words[index:])
            if fold(bare) == "cac" or (bare[:1].isupper() and looks_like_agency(rest)):
                break
        if name and len(bare) < 2:
            break
        name.append(bare)
        if bare != word:
            break
    return " ".join(name)


def _lead_in(line: str, edge: int) -> str | None:
    """The first agency name on the line right of the task column's edge; None when the
    line has none; "" when the first name there is unreadable (the columns after it are
    coordination, not the lead)."""
    for match in re.finditer(r"(?<![(\w])[^\W\d_]", line):
        start = match.start()
        if start < edge or not match.group(0).isupper():
            continue
        if looks_like_agency(line[start:]):
            name = _agency_name(line, start)
            head = _starts_with(fold(name), HEAD_WORDS) or ""
            return name if len(name.split()) > len(head.split()) else ""
    return None


def _region(numbers: list[int], k: int, lines_: list[str]) -> list[int]:
    """The lines that may hold row k's cells, nearest first: within `_NEAR` lines of its
    number and strictly nearer to it than to the rows' numbers around it."""
    at = numbers[k]
    lines = [at]
    for step in range(1, _NEAR + 1):
        for i in (at - step, at + step):
            if not 0 <= i < len(lines_) or _HEADER.match(lines_[i]):
                continue
            if k and at - i >= i - numbers[k - 1]:
                continue
            if k + 1 < len(numbers) and i - at >= numbers[k + 1] - i:
                continue
            lines.append(i)
    return lines


def _rows_after(lines: list[str], header: int) -> tuple[list[tuple[int, int]], int]:
    """(line index, number) of the rows numbered in sequence after a header, and the
    line where the scan stopped: `_GAP` lines after the last row (a page break between
    rows, with the header repeated after it, is shorter)."""
    found: list[tuple[int, int]] = []
    expected, last = 1, header
    i = header + 1
    while i < len(lines) and i - last <= _GAP:
        if (m := _ROW_NUMBER.match(lines[i])) and not _HEADER.match(lines[i]):
            number = int(m.group(1))
            if expected <= number <= expected + 2:
                found.append((i, number))
                expected, last = number + 1, i
        i += 1
    return found, i


def read_across(lines: list[str]) -> list[str]:
    """`lines` with each task table read across by OCR rewritten as pipe rows."""
    if not any(_HEADER.match(line) for line in lines):
        return lines
    out = list(lines)
    i = 0
    while i < len(out):
        if not (_HEADER.match(out[i]) and out[i].count("|") < 3):
            i += 1
            continue
        rows, stop = _rows_after(out, i)
        if len(rows) < _MIN_ROWS:
            # A header seen in the scan would find a subset of these rows: no table there.
            i = max(i + 1, stop)
            continue
        i = _rewrite(out, i, rows) + 1
    return out


def _rewrite(out: list[str], header: int, rows: list[tuple[int, int]]) -> int:
    numbers = [at for at, _ in rows]
    times: list[tuple[int, re.Match] | None] = []
    for k in range(len(rows)):
        hit = None
        for i in _region(numbers, k, out):
            line = out[i][_ROW_NUMBER.match(out[i]).end() :] if i == numbers[k] else out[i]
            if m := _TIME.search(line):
                hit = (i, m, len(out[i]) - len(line))
                break
        times.append(hit)
    offsets = [m.start() + shift for _, m, shift in filter(None, times)]
    if len(offsets) < _MIN_ROWS:
        return header
    edge = int(0.8 * median(offsets))
    rewritten: list[tuple[int, str]] = []
    for k, (at, number) in enumerate(rows):
        lead = None
        # Top down: a cell's first line is the top of its text, wherever the number is.
        for i in sorted(_region(numbers, k, out)):
            lead = _lead_in(out[i], edge)
            if lead is not None:
                break
        if not lead:
            continue
        due = times[k][1].group(0) if times[k] else ""
        title_lines = sorted(_region(numbers, k, out))
        title = " ".join(_task_part(out[i], edge, i == at) for i in title_lines).strip()
        rewritten.append((at, f"| {number} | {title} | {due} | {lead} | |"))
    if not rewritten:
        return header
    # Every line from the header to the last row's cells is the table's: cells, headers
    # repeated after page breaks, page furniture between them.
    end = max(_region(numbers, len(rows) - 1, out))
    for i in range(header, end + 1):
        out[i] = ""
    out[header] = _PIPE_HEADER
    for at, row in rewritten:
        out[at] = row
    return end


def _task_part(line: str, edge: int, numbered: bool) -> str:
    """The task column's piece of a line: the text left of the column edge."""
    if numbered:
        line = line[_ROW_NUMBER.match(line).end() :]
    cut = line.find(" ", edge) if len(line) > edge else -1
    if m := _TIME.search(line):
        cut = m.start() if cut < 0 else min(cut, m.start())
    text = line if cut < 0 else line[:cut]
    return re.sub(r"\s*\|\s*", " ", text).strip()
