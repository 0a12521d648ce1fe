"""Task tables: naming the columns of a header and reading a row into fields.

A row's fields go to the same row builder as labelled blocks
(`RowBuilding.fielded_task`), so a table and a labelled plan give the same rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class _Table:
    columns: dict[str, int]
    last_leads: list[str] = field(default_factory=list)
    last_due: str = ""
    header: list[str] = field(default_factory=list)
    rows: int = 0


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.strip().split("|")]
    if cells and not cells[0] and line.strip().startswith("|"):
        cells = cells[1:]
    while cells and not cells[-1]:
        cells.pop()
    return cells


_COLUMN_PATTERNS = (
    ("coord", re.compile(r"phối\s*hợp", re.I)),
    ("due", re.compile(r"^\s*(?:thời\s*(?:gian|hạn|điểm)|tiến\s*độ|hạn|hoàn\s*thành)", re.I)),
    # "Người đứng đầu chịu trách nhiệm": the head who answers for it, not the lead agency.
    ("head", re.compile(r"người\s*đứng\s*đầu|lãnh\s*đạo\s*phụ\s*trách", re.I)),
    ("lead", re.compile(r"chủ\s*trì|thực\s*hiện|đơn\s*vị|cơ\s*quan|trách\s*nhiệm", re.I)),
    ("due", re.compile(r"thời\s*(?:gian|hạn)|tiến\s*độ|hạn|hoàn\s*thành", re.I)),
    ("product", re.compile(r"sản\s*phẩm|kết\s*quả", re.I)),
    ("task", re.compile(r"nhiệm\s*vụ|nội\s*dung|công\s*việc|hoạt\s*động|tên|đề\s*án", re.I)),
    ("stt", re.compile(r"^(?:stt|tt|số\s*tt|số)$", re.I)),
    ("note", re.compile(r"ghi\s*chú", re.I)),
)


def _table_columns(cells: list[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        for name, pattern in _COLUMN_PATTERNS:
            if name not in columns and pattern.search(cell):
                columns[name] = index
                break
    if {"task", "lead", "due"} <= columns.keys():
        return columns
    return None


_NUMBER_CELL = re.compile(r"^(?:\d{1,3}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.?|[a-zđ]\))$")


def merged_shift(first: str, count: int, columns: dict[str, int], width: int) -> int:
    """How far a row of a numbered task table stands right of where its cells begin.

    A row whose first cell is no number and that has fewer cells than the header is
    a sub-row whose number cell (and the cells after its own) were merged with the
    row above (rowspan): a web page or a flattened copy lists only the cells it has,
    so they belong one column right, under the task and lead columns (1). Whole rows
    stay where they are (0).
    """
    first = first.strip()
    numbered = columns.get("stt") == 0
    return int(numbered and bool(first) and not _NUMBER_CELL.match(first) and count < width)


_COLUMN_WORDS = re.compile(
    r"^(?:chủ\s*trì|phối\s*hợp|cơ\s*quan|đơn\s*vị|thời\s*(?:gian|hạn)|tiến\s*độ|"
    r"sản\s*phẩm|kết\s*quả|ghi\s*chú|nội\s*dung|nhiệm\s*vụ|hoàn\s*thành|bắt\s*đầu|"
    r"kết\s*thúc|thực\s*hiện)",
    re.I,
)


def _is_subheader(cells: list[str]) -> bool:
    """A row of column names only ("| | | Chủ trì | Phối hợp | |")."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(_COLUMN_WORDS.match(c.strip()) for c in filled)


class TableReading:
    """The table rows of `_Parser`: a header names the columns, rows become tasks."""

    def table_line(self, line_no: int, line: str) -> None:
        cells = _cells(line)
        if not any(cells):
            return
        if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells):
            return  # a markdown separator row ("| --- | :--- |")
        columns = _table_columns(cells)
        if columns:
            self.table = _Table(columns, header=cells)
            return
        if self.table is None:
            return
        if not self.table.rows and _is_subheader(cells):
            # A header spanning two rows ("Cơ quan thực hiện" over "Chủ trì | Phối hợp").
            merged = [
                f"{self.table.header[i] if i < len(self.table.header) else ''} {c}".strip()
                for i, c in enumerate(cells)
            ]
            merged += self.table.header[len(cells) :]
            self.table = _Table(_table_columns(merged) or self.table.columns, header=merged)
            return
        self.table.rows += 1
        cols = self.table.columns
        cells = [""] * merged_shift(cells[0], len(cells), cols, len(self.table.header)) + cells

        def cell(name: str) -> str:
            index = cols.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        task, lead_text, due_cell = cell("task"), cell("lead"), cell("due")
        stt = cell("stt")
        if not task:
            return
        if not stt and not due_cell and lead_text and "stt" in cols and self.table.last_due:
            # A sub-row without a number of its own: its time cell was merged with the
            # row above (rowspan), so it shares that row's deadline.
            due_cell = self.table.last_due
        elif due_cell:
            self.table.last_due = due_cell
        if not lead_text and not due_cell:
            # A group row ("I | CẢI CÁCH THỂ CHẾ"): a section of the table.
            code = stt.strip(". ") or ""
            if code:
                if re.fullmatch(r"[IVX]+", code):
                    self.part, self.num, self.letter = code, [], ""
                elif re.fullmatch(r"\d{1,2}(?:\.\d{1,2})*", code):
                    self.num, self.letter = [int(x) for x in code.split(".")], ""
                self.titles.setdefault(self.section(), task)
            return
        leads = self.fielded_task(
            line_no,
            title=task,
            lead_text=lead_text,
            due_text=due_cell,
            coord_text=cell("coord"),
            product=cell("product"),
            fallback_leads=self.table.last_leads,
            fallback_note="Ô cơ quan chủ trì để trống; đã lấy theo dòng trên.",
        )
        if leads:
            self.table.last_leads = leads
