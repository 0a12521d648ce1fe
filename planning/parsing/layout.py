"""The layout stage: give every later rule one shape of text, whatever the source did to it.

Plans arrive copied from web pages and PDFs. The words are the plan's, the shape
is not: markdown emphasis around words and dates, the site's own furniture
(copyright banner, metadata box, login notices, a summary placed before the
text), lines hard-wrapped at 60-80 columns, and task tables flattened to one
cell per line with lone "|" lines between cells and rows. This stage undoes
that before any task is read, so the row reader sees a table row as one
"| a | b | c |" line and a sentence as one line, and it keeps the source line
of every piece so the review page can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from .agencies import looks_like_agency
from .lines import _BULLET, _LETTER, _NUMBERED, _ROMAN, _TASK_LABEL, PAGE_BREAK
from .read_across import read_across
from .rows import _FIELD
from .tables import _table_columns, merged_shift


@dataclass
class Line:
    """One logical line: where it starts in the source, its text, and for a rebuilt
    table row the source line of each cell."""

    number: int
    text: str
    cells: list[int] = field(default_factory=list)


# --- Cleaning: emphasis and site furniture ---------------------------------------
_EMPHASIS = re.compile(r"\*\*+|(?<=\S)\*|\*(?=\S)|__+")
_HEADING_HASHES = re.compile(r"^\s*#{1,6}(?:\s+|$)")
# Lines a legal-document site adds around the text (thuvienphapluat.vn and the like).
_FURNITURE = re.compile(
    r"^(?:Bản dịch này thuộc quyền sở hữu|THƯ VIỆN PHÁP LUẬT\b|.*has the copyright on this"
    r"|X$|CÁC NỘI DUNG ĐƯỢC SỬA ĐỔI, HƯỚNG DẪN$|Các nội dung của VB này được VB khác"
    r"|các màu sắc:$|: Sửa đổi, thay thế,$|hủy bỏ$|Click vào phần bôi vàng"
    r"|Đang tải văn bản|Văn bản này chưa cập nhật nội dung Tiếng Anh"
    r"|Cảm ơn đã dùng ThuVienPhapLuat|Quý khách Đăng nhập|Tài khoản của Quý Khách)",
    re.I,
)
# Where the site's own pages begin after the text: nothing after it is the plan's.
_SITE_TAIL = re.compile(r"^(?:Văn bản liên quan|Lược đồ|Nội dung MIX)\s*$", re.I)
# A site's summary placed before the official text ends with a pointer to it.
_SUMMARY_END = re.compile(r"^Xem chi tiết(?: nội dung)? tại\b", re.I)


def clean_line(line: str) -> str:
    """A source line without markdown emphasis or heading marks ("**Quý IV/2025**")."""
    if "*" in line or "_" in line:
        bullet = re.match(r"^(\s*)\*\s+(?=\S)", line)
        head = ""
        if bullet:  # "* item": a markdown bullet, kept as one
            head, line = "- ", line[bullet.end() :]
        line = head + _EMPHASIS.sub("", line)
    if "#" in line:
        line = _HEADING_HASHES.sub("", line)
    return line.rstrip()


def clean_lines(lines: list[str]) -> list[str]:
    """Every source line cleaned, furniture blanked; the count stays the same so that
    line numbers still point into the source."""
    out = [clean_line(line) for line in lines]
    summary_end = next(
        (i for i, line in enumerate(out[:400]) if _SUMMARY_END.match(line.strip())), None
    )
    if summary_end is not None:
        out[: summary_end + 1] = [""] * (summary_end + 1)
    for index, line in enumerate(out):
        stripped = line.strip()
        if _SITE_TAIL.match(stripped) and index > len(out) // 3:
            out[index:] = [""] * (len(out) - index)
            break
        if stripped and _FURNITURE.match(stripped):
            out[index] = ""
    return out


# --- Tables flattened one cell per line -------------------------------------------
def _is_pipe(line: str) -> bool:
    return line.strip() == "|"


_MAX_CELL_LINES = 60
_MAX_COLUMNS = 15
# Words after which a lead cell's line break does not start a new name.
_CONTINUES = re.compile(r"(?:[,;:\-–(/&]|\b(?:và|của|các|với|thuộc|trực|cho))$", re.I)


def _read_row(
    lines: list[str], at: int, *, max_cells: int = 40
) -> tuple[list[tuple[int, list[str]]], int, bool]:
    """The cells of one flattened row whose first pipe line is `at`.

    Returns (cells, index of the row's last closing pipe, whether another row may
    follow); each cell is (index of its first line, its lines). A chunk of text not
    closed by a pipe, too long to be a cell, or holding two paragraphs (the prose
    between two tables, "PHỤ LỤC" and its title) is no cell: the table ends there.
    """
    cells: list[tuple[int, list[str]]] = []
    n = len(lines)
    i = at
    while True:
        j = i + 1
        if j >= n:
            return cells, i, False
        if _is_pipe(lines[j]):
            if cells:  # two pipes in a row: the row ended (extra pipes are empty rows)
                while j + 1 < n and _is_pipe(lines[j + 1]):
                    j += 1
                return cells, j, True
            i = j
            continue
        k = j
        paragraphs = 0  # a cell is one paragraph: text after a blank line is prose
        while k < n and not _is_pipe(lines[k]) and k - j < _MAX_CELL_LINES:
            if lines[k].strip() and (k == j or not lines[k - 1].strip()):
                paragraphs += 1
            k += 1
        if k >= n or not _is_pipe(lines[k]) or paragraphs > 1:
            return cells, i, False
        cells.append((j, lines[j:k]))
        i = k
        if len(cells) > max_cells:  # no table has this many columns: stop looking
            return cells, i, False


def _starts_name(piece: str) -> bool:
    """A capital starts a name, unless it is an abbreviation that ends one ("TTHC")."""
    word = piece.split(maxsplit=1)[0]
    return piece[:1].isupper() and (not word.isupper() or looks_like_agency(piece))


def _join_cell(chunk: list[str], *, names: bool) -> str:
    """A cell's lines as one text; in a lead or coordination cell, a line that starts
    a new name ("…, đặc khu" / "Sở Tài chính") is a new item of the list, a line that
    goes on with the name ("…được giao thực hiện" / "TTHC") is not."""
    out = ""
    for raw in chunk:
        piece = raw.strip()
        if not piece:
            continue
        if not out:
            out = piece
        elif names and _starts_name(piece) and not _CONTINUES.search(out):
            out += "; " + piece
        else:
            out += " " + piece
    return out


def _rebuild_table(lines: list[str], at: int, out: list[Line]) -> int | None:
    """A task table flattened one cell per line, from its header at `at`, as pipe rows.

    1. the header row's cells must name a task table (task, lead, deadline columns);
    2. every row after it is read cell by cell until text stops being cells;
    3. a row with no number and fewer cells than the header (a merged sub-row) gets an
       empty number cell, so its task and lead land in their columns; the row reader
       gives it the deadline of the row above.
    Returns the index after the table, or None when this is no task table.
    """
    header_cells, i, more = _read_row(lines, at, max_cells=_MAX_COLUMNS)
    texts = [_join_cell(chunk, names=False) for _, chunk in header_cells]
    columns = _table_columns(texts) if header_cells else None
    if columns is None or len(texts) > _MAX_COLUMNS or any(len(t) > 80 for t in texts):
        return None
    out.append(Line(header_cells[0][0] + 1, "| " + " | ".join(texts) + " |"))
    name_columns = {columns.get("lead"), columns.get("coord")} - {None}
    while more:
        cells, end, more = _read_row(lines, i)
        if not cells:
            break
        first = _join_cell(cells[0][1], names=False)
        shift = merged_shift(first, len(cells), columns, len(texts))
        values = [""] * shift + [
            _join_cell(chunk, names=(index + shift) in name_columns)
            for index, (_, chunk) in enumerate(cells)
        ]
        sources = [cells[0][0] + 1] * shift + [start + 1 for start, _ in cells]
        if any(values):
            # The row points at its task cell, the line a reviewer looks for.
            at_line = sources[min(columns["task"], len(sources) - 1)]
            out.append(Line(at_line, "| " + " | ".join(values) + " |", sources))
        i = end
    return i + 1


# --- Hard-wrapped lines ---------------------------------------------------------------
_STRUCTURE_START = re.compile(r"^(?:\(\d{1,2}\)|\[\d+\]|Nơi nhận|PHỤ LỤC|Phụ lục)")


def _starts_block(line: str) -> bool:
    """A line that begins something (a heading, a bullet, a label), not a continuation."""
    stripped = line.strip()
    if _NUMBERED.match(stripped) and not re.match(r"^\d{1,2}\s+(?:tháng|năm|giờ|ngày)\b", stripped):
        return True
    return bool(
        _ROMAN.match(stripped)
        or _LETTER.match(stripped)
        or _BULLET.match(stripped)
        or _FIELD.match(stripped)
        or _TASK_LABEL.match(stripped)
        or _STRUCTURE_START.match(stripped)
    )


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in {".", ":", ";", "!", "?"} or text.rstrip().endswith("./.")


def _wrap_width(lines: list[Line]) -> int | None:
    """The width a hard-wrapped text was wrapped at, or None for a typed text.

    The text is hard-wrapped when many lines go on, lower-case, on the next line (a
    typed plan has one paragraph per line; KH 192 has 4% such lines, wrapped copies from
    25% up). Those lines were cut by the wrapper, so their lengths tell its width: the
    shortest of the usual ones (10th percentile; a PDF's proportional font and a
    paragraph's indented first line make them vary) is what a line must reach to
    have been cut rather than ended.
    """
    pairs = 0
    cut: list[int] = []
    for a, b in pairwise(lines):
        if a.text.strip() and b.text.strip() and "|" not in a.text and "|" not in b.text:
            pairs += 1
            nxt = b.text.strip()
            if nxt[0].islower() and not _LETTER.match(nxt):
                cut.append(len(a.text.strip()))
    if pairs < 4 or len(cut) < 0.2 * pairs:
        return None
    cut.sort()
    return cut[len(cut) // 10]


def _continues_after_stop(last: str, line: str, wrapped: bool) -> bool:
    """In a hard-wrapped text a line starting lower-case goes on even after a full stop:
    a sentence starts with a capital, so the stop was a slip of the text layer ("gia hạn
    nộp thuế.." / "kịp thời chấn chỉnh …") or an abbreviation ("v.v.", "…TP." )."""
    return wrapped and line[0].islower() and last.rstrip().endswith(".")


def join_wrapped(lines: list[Line]) -> list[Line]:
    """Join lines that continue a phrase.

    1. always: a line starting lower-case after an unfinished line (as before);
    2. in a hard-wrapped text: also a line starting upper-case ("Quý" / "IV năm 2025",
       "…, Ủy ban nhân dân các" / "tỉnh"), unless the line above ended its sentence or
       stopped short of the wrap width (its next word would have fitted: a heading
       "1.2. Nội dung: … của Thành phố" over "Sở Tư pháp chủ trì …"), a blank line stood
       between them, or the line starts a heading, bullet or label.
    """
    width = _wrap_width(lines)
    out: list[Line] = []
    previous_blank = True
    previous_length = 0
    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            previous_blank = True
            out.append(line)
            continue
        last = out[-1] if out and not previous_blank else None
        previous_blank = False
        wrapped = width is not None
        cut = wrapped and previous_length + 1 + len(stripped.split()[0]) >= width
        previous_length = len(stripped)
        if (
            last is not None
            and "|" not in stripped
            and "|" not in last.text
            and (
                not _ends_sentence(last.text) or _continues_after_stop(last.text, stripped, wrapped)
            )
            and not (stripped[0].islower() and _LETTER.match(stripped))
            and (stripped[0].islower() or (cut and not _starts_block(stripped)))
        ):
            last.text = last.text.rstrip() + " " + stripped
            continue
        out.append(Line(line.number, line.text))
    return [line for line in out if line.text.strip()]


_BARE_MARKER = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVX]{1,5}\.|[a-zđ]\)|\(\d{1,2}\)|[-+•–])$"
)


def _marker_lines_joined(lines: list[str]) -> list[str]:
    """A numbering alone on its line ("1.2." then a blank, then "Sở Tài chính") is the
    start of the next text line, as it was before the copy split them."""
    out = list(lines)
    for index, line in enumerate(out):
        if _BARE_MARKER.match(line.strip()):
            nxt = index + 1
            while nxt < len(out) and nxt - index <= 3 and not out[nxt].strip():
                nxt += 1
            following = out[nxt].strip() if nxt < len(out) else ""
            # A numbering's title starts with a capital or a digit: a bullet or a lower-case
            # continuation after a bare number means it was a page number (PDF text).
            if re.match(r"\d+$", line.strip()) and re.match(r"[-+•–*]\s|[a-zđ]", following):
                continue
            if following and not _is_pipe(out[nxt]) and not _BARE_MARKER.match(following):
                # The text's own line keeps its place, so its continuation lines still follow.
                out[nxt] = line.strip() + " " + out[nxt].strip()
                out[index] = ""
    return out


_MAX_ROW_LINES = 30


def _pipe_rows_rejoined(lines: list[str]) -> list[str]:
    """A pipe row cut by a hard wrap ("| 1. | Xây dựng … triển khai" / "chương trình …" /
    "… | 6/2025 |") is one line again.

    1. a line opening with "|" takes the lines after it that go on with it: a line not
       opening with "|" while the row is still open (fewer pipes than the table's rows
       have, or, before any whole row, not closed by "|"), or one that closes with "|";
    2. a line opening with "|" goes on with the row only while the row has fewer pipes
       than the table's rows have (the wrap fell just before a pipe); the table's count
       is taken from its last whole row (its header, its "|---|" rule);
    3. the row stays on its first line and the lines it took are blanked, so that line
       numbers still point into the source.
    """
    out = list(lines)
    expected = 0
    for index, line in enumerate(out):
        stripped = line.strip()
        if not stripped.startswith("|") or len(stripped) == 1:
            continue
        pieces, count = [stripped], stripped.count("|")
        end = index + 1
        while end < len(out) and end - index <= _MAX_ROW_LINES:
            nxt = out[end].strip()
            closed = count >= expected if expected else pieces[-1].endswith("|")
            if not nxt:
                break
            if nxt.startswith("|"):
                goes_on = (
                    expected and count < expected and count + nxt.count("|") <= expected
                ) or (not expected and nxt == "|" and not closed)
            else:
                goes_on = not closed or nxt.endswith("|")
            if not goes_on:
                break
            pieces.append(nxt)
            count += nxt.count("|")
            end += 1
        if len(pieces) > 1:
            out[index] = " ".join(pieces)
            out[index + 1 : end] = [""] * (end - 1 - index)
        if out[index].endswith("|") and count >= 3:
            expected = count
    return out


_PAGE_NUMBER = re.compile(
    r"^(?:-\s*)?(?:Trang\s+)?(?P<n>\d{1,4})(?:\s*/\s*\d{1,4})?(?:\s*-)?$", re.I
)


def _page_gaps(lines: list[str]) -> set[int]:
    """The lines of a PDF's page breaks: the form feed, the blank lines around it and
    the page number printed above or below it (the number of the page ending, or of the
    page starting, so that a "3" in a table is never taken for one). What a page break
    cuts (a paragraph, a table) goes on across it."""
    gaps: set[int] = set()
    page = 1
    for index, line in enumerate(lines):
        if line != PAGE_BREAK:
            continue
        gaps.add(index)
        for step, number in ((-1, page), (1, page + 1)):
            k = index + step
            while 0 <= k < len(lines) and not lines[k].strip():
                gaps.add(k)
                k += step
            found = _PAGE_NUMBER.match(lines[k].strip()) if 0 <= k < len(lines) else None
            if found and int(found["n"]) == number:
                gaps.add(k)
                k += step
                while 0 <= k < len(lines) and not lines[k].strip() and lines[k] != PAGE_BREAK:
                    gaps.add(k)
                    k += step
        page += 1
    return gaps


def lay_out(lines: list[str]) -> list[Line]:
    """The source lines as logical lines: page breaks mended, cleaned, tables rebuilt,
    wrapped lines joined."""
    gaps = _page_gaps(lines) if PAGE_BREAK in lines else set()
    # Tables read across by OCR first: they need the scan's physical lines.
    cleaned = _pipe_rows_rejoined(read_across(clean_lines(lines)))
    out: list[Line] = []
    i = 0
    n = len(cleaned)
    while i < n:
        if i in gaps:  # a page break: no line, so what it cut joins up again
            i += 1
            continue
        line = cleaned[i]
        # A table's first pipe opens a cell; a run of pipes is no header (and trying each
        # of 100,000 of them would be quadratic).
        if _is_pipe(line) and i + 1 < n and not _is_pipe(cleaned[i + 1]):
            end = _rebuild_table(cleaned, i, out)
            if end is not None and end > i:
                i = end
                continue
        if _is_pipe(line):
            out.append(Line(i + 1, ""))  # a lone pipe outside a task table: a break
            i += 1
            continue
        out.append(Line(i + 1, line))
        i += 1
    texts = _marker_lines_joined([line.text for line in out])
    return join_wrapped(
        [Line(line.number, text, line.cells) for line, text in zip(out, texts, strict=True)]
    )
