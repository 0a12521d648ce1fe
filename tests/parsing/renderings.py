"""The ways a coordinator's plan really arrives, made from one real text.

A plan reaches the tracker as a Word file, as a PDF exported from it (read back
with or without `pdftotext -layout`, or by pypdf where poppler is missing), as
text pasted from a web page with every table cell on its own line, hard-wrapped
by an e-mail client, or marked up with `**bold**` by the site it was copied
from. The harness in test_renderings.py re-renders every real text with gold
each of these ways and compares what the parser reads. The text is first cut
into prose lines and tables (pipe rows, or cells one per line between lone `|`
lines as the crawled copies have them), so every rendering carries the same
words in the same order; only the layout changes.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import html
import inspect
import io
import multiprocessing
import os
import re
import subprocess
import tempfile
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from planning.parsing import parse_text, read_plan_file
from planning.parsing.importing import assignment_rows

HERE = Path(__file__).parent
REAL = HERE / "fixtures" / "real"
SHARED = HERE.parents[2] / "shared" / "fixtures"  # ../shared from the repo root
REAL_2025 = SHARED / "real-2025"
KH_192 = SHARED / "kh-192-2022"

Table = list[list[str]]  # rows of cells; a cell keeps its own line breaks
Block = str | Table  # a prose line, or a table


@dataclass(frozen=True)
class Document:
    name: str
    path: Path
    year: int | None

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def _year(path: Path) -> int | None:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    found = re.search(r"\byear=(\d{4})", first)
    return int(found.group(1)) if found else None


def documents() -> list[Document]:
    """Every real text that has a gold file: the fixtures here, KH 192, the 2025 set."""
    paths = sorted(p for p in REAL.rglob("*.txt") if p.with_name(p.stem + ".gold.csv").is_file())
    found = [Document(p.stem, p, _year(p)) for p in paths]
    if (KH_192 / "assignments.gold.csv").is_file():
        found.append(Document("kh_192_2022", KH_192 / "plan.txt", 2022))
    if (REAL_2025 / "gold.csv").is_file():
        with (REAL_2025 / "gold.csv").open(encoding="utf-8") as fh:
            names = sorted({row["doc"] for row in csv.DictReader(fh)})
        for name in names:
            path = REAL_2025 / name
            if path.is_file():
                found.append(Document(path.stem, path, _year(path)))
    return found


# --- cutting a text into prose lines and tables ---------------------------------

PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^|]*\S \| .*\S \| ")  # | a | b |, or a | b | c
RULE_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [cell.strip() for cell in inner.split("|")]


def _is_pipe_row(line: str) -> bool:
    return bool(PIPE_ROW.match(line)) and line.count("|") >= 2 + line.strip().startswith("|")


def _flattened_table(lines: list[str], start: int) -> tuple[Table, int]:
    """Rows from lone-`|` cell separators ("|\\n|" ends a row), up to the last pipe.

    A cell is the text between two lone pipes: text after the table's last pipe
    (the body of a directive that follows its "Đồng kính gửi" box without a blank
    line) is prose, not one more cell of the box.
    """
    rows: Table = []
    row: list[str] = []
    cell: list[str] = []
    i = start
    after_last_pipe = start
    while i < len(lines) and lines[i] and not _is_pipe_row(lines[i]):
        # a line of spaces is an empty cell, not the end; a pipe row is another table
        if lines[i].strip() == "|":
            if cell:
                row.append("\n".join(cell))
                cell = []
            elif row:  # a second lone pipe: the row is over
                rows.append(row)
                row = []
            after_last_pipe = i + 1
        else:
            cell.append(lines[i].strip())
        i += 1
    if row:
        rows.append(row)
    return rows, after_last_pipe


# A cell this long is the body of the document that a site laid out in a table (a
# directive's text beside its "Kính gửi" box), not a cell of a table in the Word file:
# the longest task-table cell of the real set has 650 characters, such bodies 3,000-10,000.
_BODY_CELL = 1500


def _body_cells_as_prose(table: Table) -> list[Block]:
    """A site's layout table as the document has it: a body-sized cell becomes prose
    lines; the cells before it end their row (a "Kính gửi" box, a task table's last
    row), the cells after it (a task table's header that the site ran on without a
    row break) open the next table."""
    out: list[Block] = []
    run: Table = []
    for row in table:
        cells: list[str] = []
        for cell in row:
            if len(cell) <= _BODY_CELL:
                cells.append(cell)
                continue
            if cells:
                run.append(cells)
                cells = []
            if run:
                out.append(run)
                run = []
            out.extend(line for line in cell.split("\n") if line.strip())
        if cells:
            run.append(cells)
    if run:
        out.append(run)
    return out


def blocks(text: str) -> list[Block]:
    """The text as prose lines and tables, in order; markdown rule rows dropped."""
    lines = text.split("\n")
    out: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "|":
            start = i
            table, i = _flattened_table(lines, i)
            if table and _width(table) >= 2:
                out.extend(_body_cells_as_prose(table))
            else:  # one column between lone pipes (OCR debris): prose, as it stands
                out.extend(lines[start:i])
            continue
        if _is_pipe_row(line):
            table = []
            while i < len(lines) and _is_pipe_row(lines[i]):
                if not RULE_ROW.match(lines[i]):
                    table.append(_pipe_cells(lines[i]))
                i += 1
            out.append(table)
            continue
        out.append(line)
        i += 1
    return out


def _one_line(cell: str) -> str:
    return " ".join(cell.split())


def _width(table: Table) -> int:
    return max(len(row) for row in table)


# --- text renderings ---------------------------------------------------------------


def as_pipe_rows(parts: list[Block]) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            width = _width(part)  # every row with all the table's columns, as Word exports
            for row in part:
                cells = [_one_line(c) for c in row] + [""] * (width - len(row))
                out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def as_cell_per_line(parts: list[Block]) -> str:
    """Tables as a web page copies them: a lone `|` before each cell, two between rows."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        for row in part:
            out.append("|")
            for cell in row:
                out.extend(cell.split("\n") if cell else [" "])  # an empty cell keeps a line
                out.append("|")
        out.append("")
    return "\n".join(out)


def hard_wrapped(text: str, width: int) -> str:
    """Every line wrapped at `width` columns without breaking a word, as mail clients do.

    The fixture's own first line ("# source: <url> year=…") is no part of the plan
    and stays whole."""
    out = []
    for line in text.split("\n"):
        if len(line) <= width or (not out and line.startswith("# source:")):
            out.append(line)
            continue
        out.extend(textwrap.wrap(line, width=width, break_long_words=False, break_on_hyphens=False))
    return "\n".join(out)


HEADING = re.compile(
    r"^\s*((PHẦN|PHỤ LỤC|Phần|Phụ lục|Điều)\b|[IVXLC]+[.\-]\s|\d+(\.\d+)*\.\s|[a-zđ]\)\s)"
)
DATE = re.compile(
    r"(?<![\w*/])("
    r"(ngày\s+)?\d{1,2}/\d{1,2}/\d{4}"
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
    r"|tháng\s+\d{1,2}(/|\s+năm\s+)\d{4}"
    r"|[Qq]u[ýíi]\s+[IV1-4]+(/|\s+năm\s+)\d{4}"
    r"|năm\s+\d{4}"
    r")(?![\w*/])"
)


def with_emphasis(text: str) -> str:
    """Headings in `**…**` and date phrases in `*…*`, as markdown copies of web pages."""
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        plain = "*" not in stripped and "|" not in stripped
        if plain and len(stripped) <= 100 and (HEADING.match(line) or stripped.isupper()):
            line = f"**{stripped}**"  # a short numbered or capitalised line: a heading
        elif "*" not in line:
            line = DATE.sub(lambda m: f"*{m.group(0)}*", line)
        out.append(line)
    return "\n".join(out)


# --- file renderings -----------------------------------------------------------------


def as_docx(parts: list[Block]) -> bytes:
    """Prose lines as paragraphs, tables as real Word table cells (python-docx)."""
    import docx

    document = docx.Document()
    for part in parts:
        if isinstance(part, str):
            document.add_paragraph(_STARS.sub("", part))
            continue
        width = _width(part)
        table = document.add_table(rows=0, cols=width)
        for row in part:
            # add_row().cells once per row: table.cell(r, c) walks the grid each time
            for c, cell in enumerate(table.add_row().cells):
                lines = _STARS.sub("", row[c]).split("\n") if c < len(row) else [""]
                cell.text = lines[0]
                for extra in lines[1:]:
                    cell.add_paragraph(extra)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# As a coordinator's PDF comes out of Word under Decree 30/2020/NĐ-CP (the format of
# administrative documents): A4, margins 20 mm top and bottom, 30 mm left, 15 mm right,
# Times New Roman (Liberation Serif has its metrics) at 13-14 pt, justified paragraphs
# with an indented first line, the page number at the top centre from page 2, and the
# header row of a table repeated on every page it runs over.
PAGE_CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm;
        @top-center { content: counter(page); font-size: 13pt; } }
@page :first { @top-center { content: none; } }
html { font-family: "Liberation Serif", "DejaVu Serif", serif; font-size: 14pt; }
p { margin: 0 0 6pt 0; text-align: justify; text-indent: 1cm; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
td, th { border: 0.5pt solid #000; padding: 2pt 3pt; vertical-align: top; font-size: 12pt;
         font-weight: normal; text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
"""

# Markdown emphasis of the crawled copies is bold or italic type in a Word file, not stars.
_STARS = re.compile(r"\*+")


def _typeset(text: str) -> str:
    return html.escape(_STARS.sub("", text))


def as_pdf(parts: list[Block]) -> bytes:
    """The .docx content as a PDF made the way Word prints it (PAGE_CSS), by weasyprint:
    prose as paragraphs, tables as bordered tables whose first row is a repeated header."""
    from weasyprint import HTML

    body = []
    for part in parts:
        if isinstance(part, str):
            body.append(f"<p>{_typeset(part) or '&nbsp;'}</p>")
            continue
        width = _width(part)
        rows = []
        for row in part:
            cells = [*row, *[""] * (width - len(row))]
            tds = "".join(
                "<td>" + "<br>".join(_typeset(x) for x in cell.split("\n")) + "</td>"
                for cell in cells
            )
            rows.append(f"<tr>{tds}</tr>")
        body.append(f"<table><thead>{rows[0]}</thead><tbody>{''.join(rows[1:])}</tbody></table>")
    page = (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>{PAGE_CSS}'
        f"</style></head><body>{''.join(body)}</body></html>"
    )
    return HTML(string=unicodedata.normalize("NFC", page), base_url=str(HERE)).write_pdf()


def pdftotext_layout(data: bytes) -> bytes:
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        timeout=60,
        check=True,
    )
    return result.stdout


# --- reading every rendering through the project's public entry ------------------------


@functools.cache
def _parts(doc: Document) -> list[Block]:
    return blocks(doc.text)


def _read(data: bytes, filename: str) -> str:
    return read_plan_file(data, filename, max_bytes=50 * 1024 * 1024)


# weasyprint and pypdf take most of the harness's minute; their output depends only on
# the text, this file and the two libraries, so it is kept between runs under that key.
CACHE = Path(tempfile.gettempdir()) / "cchc-renderings"


def _cache_key(doc: Document) -> str:
    import pypdf
    import weasyprint

    digest = hashlib.sha256(doc.path.read_bytes())
    for made_by in (blocks, _flattened_table, _body_cells_as_prose, _pipe_cells, _typeset, as_pdf):
        digest.update(inspect.getsource(made_by).encode())
    digest.update(PAGE_CSS.encode())
    digest.update(f"{weasyprint.__version__} {pypdf.__version__}".encode())
    return digest.hexdigest()[:32]


def _pdf_and_pypdf_text(doc: Document) -> tuple[bytes, str]:
    """The slow half of the harness: weasyprint, then the extractor's pypdf fallback."""
    pdf_file = CACHE / f"{_cache_key(doc)}.pdf"
    if pdf_file.is_file():
        pdf = pdf_file.read_bytes()
    else:
        pdf = as_pdf(blocks(doc.text))
        CACHE.mkdir(exist_ok=True)
        partial = pdf_file.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(pdf)
        partial.replace(pdf_file)  # atomic: a parallel run never reads half a file
    # The extractor falls back to pypdf where pdftotext is not installed: hide it.
    with mock.patch("shutil.which", return_value=None):
        return pdf, _read(pdf, "plan.pdf")


_PDFS: dict[Document, tuple[bytes, str]] = {}


def prepare_pdfs(docs: list[Document]) -> None:
    """Make every document's PDF once, on both cores (about half the harness's time)."""
    todo = [d for d in docs if d not in _PDFS]
    if not todo:
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        for doc, result in zip(todo, pool.map(_pdf_and_pypdf_text, todo), strict=True):
            _PDFS[doc] = result


def _pdf(doc: Document) -> bytes:
    if doc not in _PDFS:
        _PDFS[doc] = _pdf_and_pypdf_text(doc)
    return _PDFS[doc][0]


def _pypdf_text(doc: Document) -> str:
    _pdf(doc)
    return _PDFS[doc][1]


@functools.cache
def docx_of(doc: Document) -> bytes:
    return as_docx(_parts(doc))


RENDERINGS: dict[str, Callable[[Document], str]] = {
    "pipe_rows": lambda d: _read(as_pipe_rows(_parts(d)).encode(), "plan.txt"),
    "cell_per_line": lambda d: _read(as_cell_per_line(_parts(d)).encode(), "plan.txt"),
    "docx": lambda d: _read(docx_of(d), "plan.docx"),
    "pdf": lambda d: _read(_pdf(d), "plan.pdf"),
    "pdf_layout": lambda d: _read(pdftotext_layout(_pdf(d)), "plan.txt"),
    "pdf_pypdf": _pypdf_text,
    "wrap_60": lambda d: _read(hard_wrapped(d.text, 60).encode(), "plan.txt"),
    "wrap_80": lambda d: _read(hard_wrapped(d.text, 80).encode(), "plan.txt"),
    "emphasis": lambda d: _read(with_emphasis(d.text).encode(), "plan.txt"),
}


def fold(name: str) -> str:
    """An agency name compared without case, diacritics, punctuation or spacing."""
    text = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def rows_of(text: str, year: int | None) -> Counter:
    """What the parser reads: a multiset of (folded lead agency, due month)."""
    parsed = parse_text(text, default_year=year)
    return Counter((fold(r["lead_agency"]), r["due_month"] or "") for r in assignment_rows(parsed))


@functools.cache
def rendered_text(doc: Document, rendering: str) -> str:
    if rendering == "plain":
        return _read(doc.path.read_bytes(), "plan.txt")
    return RENDERINGS[rendering](doc)


@functools.cache
def parsed(doc: Document, rendering: str) -> Counter:
    return rows_of(rendered_text(doc, rendering), doc.year)


def gold(doc: Document) -> Counter:
    """The gold rows of a document as (folded lead, due month); '?' due months kept."""
    if doc.path.parent == REAL_2025:
        with (REAL_2025 / "gold.csv").open(encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r["doc"] == doc.path.name]
    elif doc.path.parent == KH_192:
        with (KH_192 / "assignments.gold.csv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    else:
        with doc.path.with_name(doc.path.stem + ".gold.csv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    return Counter((fold(r["lead_agency"]), r["due_month"]) for r in rows)
