"""From the text of a plan to draft rows: section, lead agencies, deadline, title.

What makes a line a task for the tracker (read from how a careful reader
extracts KH 192 and from the forms plans use):

1. the line carries a deadline *in deadline position*: after a cue
   ("hoàn thành trong tháng 7/2022", "trước 31/12/2022", "thời hạn: Quý III"),
   alone in parentheses ("(Quý III/2022)"), alone in a clause of a "Giao ..."
   sentence, or in the deadline column of a task table. A date in a citation,
   "phấn đấu năm 2022", "báo cáo chuyên đề quý III" are not deadlines;
2. it has a lead: a "Giao <agency>, ..." sentence, an agency that is the
   subject of the sentence, or the block it sits in ("Sở Tư pháp chủ trì,
   phối hợp với ...:", "a) Văn phòng UBND Thành phố là đầu mối ...",
   a heading "2. Văn phòng UBND Thành phố, các Sở: Tài chính, Tư pháp");
3. a lead that names nobody ("Các Sở, ban, ngành, UBND các quận, huyện") is
   a general duty, not a trackable task: skipped, with a note.

Section codes follow the numbering, filling the gaps a published text leaves
(a "1." followed by "1.2." makes its own content "1.1"; "1." again after
"2.5." starts the next roman part; an "a)" after "b)" starts the next section).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from ..deadlines import (
    Deadline,
    Kind,
    due_label,
    find_deadlines,
    month_end,
    parse_deadline,
    quarter_end,
    recurring_periods,
)
from .agencies import (
    NamePart,
    coordinating_agencies,
    labelled_agencies,
    leading_agencies,
    split_agencies,
    subject_phrase,
)
from .header import PlanHeader, parse_header

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
_NUMBERED = re.compile(
    r"^\s*(?P<code>\d{1,2}(?:\.\d{1,2}){0,3})(?:\.|\)|(?<=\d)(?=\s))\s*(?P<title>\S.*)$"
)
_LETTER = re.compile(r"^\s*(?P<code>[a-zđ])\)\s*(?P<title>\S.*)$")
_BULLET = re.compile(r"^\s*(?:[-–—•+*·▪◦]|\(\d{1,2}\)|\d{1,2}\))\s*(?P<title>\S.*)$")
_TASK_LABEL = re.compile(
    r"^\s*(?:nhiệm vụ|các nhiệm vụ|nội dung)(?:\s+(?:cụ thể|trọng tâm|chủ yếu))?\s*:\s*",
    re.I,
)
_GIAO = re.compile(r"^\s*Giao\s+(?P<rest>.+)$", re.I)
# "Đề nghị Sở Y tế ...", "Yêu cầu Giám đốc các Sở: ...": a directive's request verb stands
# before the subject; the agencies after it are the subject.
_REQUEST = re.compile(
    r"^\s*(?:Đề\s+nghị|Yêu\s+cầu|Chỉ\s+đạo|Phân\s+công|Ủy\s+quyền\s+cho|Giao\s+cho)\s+", re.I
)
_INTRO_VERB = re.compile(
    r"\b(?:chủ\s+trì|là\s+(?:cơ\s+quan\s+)?đầu\s+mối|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm)\b",
    re.I,
)
_RESPONSIBILITY = re.compile(r"^\s*(?:Trách nhiệm|Nhiệm vụ)\s+(?:của|đối với)\s+", re.I)
_APPENDIX = re.compile(
    r"^\s*(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:số\s+)?(?P<code>[IVX]+|\d+))?\s*(?:[:.\-–]\s*(?P<title>.*))?$"
)
_PLACE_DATE_LINE = re.compile(r",\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")

# --- Deadline position -------------------------------------------------------------
_STRONG_CUE = (
    r"hoàn\s+thành|hoàn\s+tất|xong|trước|chậm\s+nhất|muộn\s+nhất|không\s+quá|"
    r"hạn\s+chót|thời\s+hạn|thời\s+gian(?:\s+hoàn\s+thành|\s+thực\s+hiện)?|"
    r"tiến\s+độ\s*(?=:)|tiến\s+độ\s+hoàn\s+thành|hạn"
)
_WEAK_CUE = r"trong|vào|đến(?:\s+hết)?|cuối|đầu|từ|kể\s+từ"
_UPPER = "A-ZĐÁÀẢÃẠÂẤẦẨẪẬĂẮẰẲẴẶÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴ"
# "trước ngày Quốc khánh 02/9", "trước ngày Tết Nguyên đán (10/02/2024)": a named day
# (capitalised, case-sensitive) between "ngày" and its date.
_NAMED_DAY = rf"(?:(?<=ngày)\s+(?-i:[{_UPPER}])[^\W\d]*(?:\s+[^\W\d]+){{0,3}}?\s*\(?\s*)?"
_FILLER = (
    r"(?:\s*(?:trong|trước|vào|là|đến|hết|ngày|cuối|đầu|:|-|–)\s*)*"
    r"\s*(?:\d{1,2}\s*(?:h|giờ)\s*\d{0,2}\s*(?:phút)?\s*,?\s*)?(?:ngày\s*)?" + _NAMED_DAY + r"\s*"
)
_STRONG_BEFORE = re.compile(rf"(?:{_STRONG_CUE}){_FILLER}$", re.I)
_ANY_BEFORE = re.compile(rf"(?:{_STRONG_CUE}|{_WEAK_CUE}){_FILLER}$", re.I)
_CUE_START = re.compile(rf"(?:{_STRONG_CUE}|{_WEAK_CUE})\b", re.I)
_PAREN_FILLER = re.compile(
    rf"\b(?:{_STRONG_CUE}|{_WEAK_CUE}|thực\s+hiện|ngày|năm|và|báo\s+cáo)\b|[\s,.;:\-–]+", re.I
)


@dataclass
class DraftRow:
    """One task as read from the text, before anyone has reviewed it."""

    line: int
    title: str
    leads: list[str]
    section: str = ""
    section_title: str = ""
    coordinating: list[str] = field(default_factory=list)
    coordination_text: str = ""
    due_text: str = ""
    due_date: date | None = None
    kind: str = ""
    recurrence: str | None = None
    deliverable: str = ""
    warnings: list[str] = field(default_factory=list)
    dues: list[date] = field(default_factory=list)
    """Several separate due dates ("Quý II và Quý IV", "tháng 6 và tháng 12"): one each."""

    def periods(self, year: int) -> list[tuple[str, date | None]]:
        """(label, due date) per assignment: one per period for recurring work."""
        if len(self.dues) > 1:
            return [(due_label(d), d) for d in self.dues]
        if self.recurrence:
            return list(recurring_periods(self.recurrence, year))
        return [("", self.due_date)]


@dataclass
class ParsedPlan:
    header: PlanHeader
    rows: list[DraftRow]
    warnings: list[tuple[int | None, str]]
    """(line or None, message) about the document as a whole."""
    year: int
    text: str = ""


@dataclass
class _Lead:
    parts: list[NamePart]
    coordinating: list[NamePart] = field(default_factory=list)
    coordination_text: str = ""
    deadline: tuple[Deadline, str] | None = None

    @property
    def specific(self) -> list[str]:
        return [p.text for p in self.parts if not p.generic]

    @property
    def generic_text(self) -> str:
        return ", ".join(p.text for p in self.parts)


@dataclass
class _Table:
    columns: dict[str, int]
    last_leads: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: int = 0


# --- Deadlines in position ----------------------------------------------------------
def _spans(text: str, deadlines: Iterable[Deadline]):
    pos = 0
    for deadline in deadlines:
        start = text.find(deadline.text, pos)
        if start < 0:
            start = text.find(deadline.text)
        if start < 0:
            continue
        pos = start + len(deadline.text)
        yield start, start + len(deadline.text), deadline


def _enclosing_parens(text: str, start: int, end: int) -> tuple[int, int] | None:
    open_at = text.rfind("(", 0, start)
    if open_at < 0 or text.rfind(")", open_at, start) >= 0:
        return None
    close_at = text.find(")", end)
    return (open_at, close_at if close_at >= 0 else len(text))


def _clause_end(text: str, end: int) -> int:
    match = re.search(r"[),;]|\.(?:\s|$)", text[end:])
    return end + match.start() if match else len(text)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(ch, 0, start) for ch in ",;:(")
    right_match = re.search(r"[,;:)]|\.(?:\s|$)", text[end:])
    right = end + right_match.start() if right_match else len(text)
    return left + 1, right


def _accept(text: str, start: int, end: int, deadline: Deadline, *, clause_ok: bool):
    """Whether this deadline expression is in deadline position; returns the due text."""
    before = text[max(0, start - 60) : start]
    clause_start = max(before.rfind(ch) for ch in ",;(.:") + 1
    before_clause = before[clause_start:]
    colon = before.rfind(":")
    if colon >= 0 and colon + 1 == clause_start:
        # "Thời gian hoàn thành: tháng 6/2023", "Thời hạn: Quý III": a colon after
        # the cue belongs to the cue, it does not open a new clause.
        wider = before[max(before.rfind(ch, 0, colon) for ch in ",;(.") + 1 :]
        if _ANY_BEFORE.search(wider):
            before_clause = wider
    if re.search(r"(?:giờ|h)\s*\d{0,2}\s*(?:phút)?\s*,\s*$", before):
        before_clause = before  # "trước 17 giờ 30 phút, ngày 15/8": the comma is the time's
    own = deadline.text
    strong = bool(_STRONG_BEFORE.search(before_clause))
    weak = strong or bool(_ANY_BEFORE.search(before_clause)) or bool(_CUE_START.match(own))
    parens = _enclosing_parens(text, start, end)
    alone = False
    if parens:
        inside = text[parens[0] + 1 : parens[1]].replace(own, " ")
        alone = not _PAREN_FILLER.sub("", inside).strip()
    if clause_ok and not alone:
        left, right = _clause_bounds(text, start, end)
        rest = (text[left:start] + " " + text[end:right]).strip()
        alone = not _PAREN_FILLER.sub("", rest).strip()
    kind = deadline.kind
    if kind == Kind.YEAR:
        ok = strong or alone
    elif kind == Kind.ONGOING:
        ok = alone or bool(re.search(r"(?:thời\s+(?:hạn|gian)|tiến\s+độ)\s*:?\s*$", before, re.I))
    elif kind == Kind.RECURRING:
        ok = own.lower().startswith("định") or alone or strong or _opens_clause(text, start, end)
    else:
        ok = weak or alone
    if not ok:
        return None
    # The due text runs from the cue to the end of the clause or parenthesis.
    cue = _ANY_BEFORE.search(before_clause)
    due_start = start - len(before_clause) + cue.start() if cue else start
    if re.match(r"hoàn\s+thành", text[due_start:], re.I) is None:
        earlier = re.search(r"hoàn\s+thành\s*$", text[max(0, due_start - 14) : due_start], re.I)
        if earlier:
            due_start = max(0, due_start - 14) + earlier.start()
    due_end = parens[1] if parens else _clause_end(text, end)
    return text[due_start:due_end].strip(" ,;:.()")


_ADVERBIAL_FILLER = re.compile(
    rf"\b(?:{_STRONG_CUE}|{_WEAK_CUE}|định\s+kỳ|ngày|tháng|hằng|hàng|mỗi)\b|\d+|[\s\-–/.]+",
    re.I,
)


def _opens_clause(text: str, start: int, end: int) -> bool:
    """ "Từ ngày 5 đến ngày 10 hằng tháng, Phòng X kiểm tra ...": a deadline that opens
    its clause (only time words before it) and is closed by a comma is a deadline-first
    adverbial, the way directives often put it."""
    left = max(text.rfind(ch, 0, start) for ch in ";:(") + 1
    sentence = text.rfind(". ", 0, start)
    left = max(left, sentence + 2 if sentence >= 0 else 0)
    if _ADVERBIAL_FILLER.sub("", text[left:start]).strip():
        return False
    return bool(re.match(r"\s*,", text[end:]))


def select_deadline(text: str, year: int, *, clause_ok: bool = False):
    """The deadline a line states in deadline position: (Deadline, due text, ambiguous) or None."""
    accepted = []
    for start, end, deadline in _spans(text, find_deadlines(text, default_year=year)):
        due_text = _accept(text, start, end, deadline, clause_ok=clause_ok)
        if due_text is not None:
            accepted.append((deadline, due_text))
    if not accepted:
        return None
    first = accepted[0]
    ambiguous = len({(d.due_date, d.recurrence) for d, _ in accepted}) > 1
    return first[0], first[1], ambiguous


# --- The parser ---------------------------------------------------------------------
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


_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LIST_SEP = r"\s*(?:,|và|-|–|&)\s*"
_QUARTER_LIST = re.compile(
    rf"\bqu[ýí]\s+(iv|i{{1,3}}|[1-4])\b((?:{_LIST_SEP}(?:qu[ýí]\s+)?(?:iv|i{{1,3}}|[1-4])\b)+)"
    r"(?:\s*(?:/|năm)\s*((?:19|20)\d{2}))?",
    re.I,
)
_MONTH_LIST = re.compile(
    rf"\btháng\s+(\d{{1,2}})((?:{_LIST_SEP}(?:tháng\s+)?\d{{1,2}}\b(?!\s*/\s*\d{{1,2}}\s*/))+)"
    r"(?:\s*(?:/|năm)\s*((?:19|20)\d{2}))?",
    re.I,
)
_HALF_AND_YEAR = re.compile(r"^\s*(?:báo\s+cáo\s+)?6\s+tháng\s*(?:,|và|/)\s*(?:cả\s+)?năm\b", re.I)


def _due_list(text: str, year: int, *, starts_within: int | None = None) -> list[date]:
    """Due dates of a deadline that names several periods of one kind.

    1. "Quý I, II/2023", "tháng 7, 8/2023": consecutive periods are one span, due at
       the end of the last (a careful reader tracks one task done by end of June);
    2. "Quý II và Quý IV/2023", "tháng 6 và tháng 12/2023": separate periods are
       separate deliveries, one assignment each;
    3. "6 tháng, năm": the half-year and the year (30/6 and 31/12);
    [] when the text names no such list (the single deadline then stands).
    """
    if _HALF_AND_YEAR.search(text):
        return [date(year, 6, 30), date(year, 12, 31)]
    for pattern, end in ((_QUARTER_LIST, quarter_end), (_MONTH_LIST, month_end)):
        m = pattern.search(text)
        if not m or (starts_within is not None and m.start() > starts_within):
            continue
        tokens = [m.group(1), *re.findall(r"(iv|i{1,3}|\d{1,2})\b", m.group(2), re.I)]
        numbers = [_ROMAN_Q.get(t.lower()) or int(t) for t in tokens]
        limit = 4 if pattern is _QUARTER_LIST else 12
        if not all(1 <= n <= limit for n in numbers):
            continue
        y = int(m.group(3)) if m.group(3) else year
        if _RANGE_START.match(m.group(2)):
            return [end(y, numbers[-1])]  # "tháng 3-6/2023": a range, due at its end
        numbers = sorted(set(numbers))
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return [end(y, numbers[-1])]
        return [end(y, n) for n in numbers]
    return _expression_list(text, year, starts_within)


_RANGE_START = re.compile(r"^\s*(?:-|–|đến|tới)", re.I)
_RANGE_SEP = re.compile(r"^\s*(?:-|–|đến|tới)\s*(?:hết\s+)?$", re.I)
_AND_SEP = re.compile(r"^\s*(?:,|;|và|&)\s*$", re.I)


def _expression_list(text: str, year: int, starts_within: int | None) -> list[date]:
    """Several whole deadline expressions in one deadline.

    "Quý I/2023 và Quý III/2023" are two deliveries (one assignment each);
    "từ tháng 3 đến tháng 6/2023" is one span, due at its end.
    """
    spans = [
        (start, end, d)
        for start, end, d in _spans(text, find_deadlines(text, default_year=year))
        if d.due_date is not None
    ]
    if len(spans) < 2 or (starts_within is not None and spans[0][0] > starts_within):
        return []
    between = [text[a[1] : b[0]] for a, b in pairwise(spans)]
    if all(_RANGE_SEP.match(gap) for gap in between):
        return [spans[-1][2].due_date]
    if all(_AND_SEP.match(gap) for gap in between):
        return sorted({d.due_date for _, _, d in spans})
    return []


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


@dataclass
class _Fields:
    line: int
    title: tuple[int, str, str, int] | None
    values: dict[str, str] = field(default_factory=dict)


_FIELD = re.compile(
    r"^(?:[-+•*–]\s*)?(?P<label>"
    r"(?:cơ\s+quan|đơn\s+vị)\s+(?:chủ\s+trì|thực\s+hiện|phối\s+hợp)(?:\s+thực\s+hiện)?"
    r"|chủ\s+trì|phối\s+hợp|thời\s+(?:gian|hạn|điểm)(?:\s+(?:hoàn\s+thành|thực\s+hiện))?"
    r"|tiến\s+độ(?:\s+(?:hoàn\s+thành|thực\s+hiện))?|hạn\s+hoàn\s+thành"
    r"|sản\s+phẩm(?:\s+đầu\s+ra)?|kết\s+quả\s+đầu\s+ra"
    r")\s*:\s*(?P<value>.*)$",
    re.I,
)


_ROLE_MARK = re.compile(r"\s*\(\s*(chủ\s+trì|phối\s+hợp)\s*\)", re.I)


def _marked_roles(lead_text: str, coord_text: str) -> tuple[str, str]:
    """ "Sở Nội vụ (chủ trì); Sở Tư pháp (phối hợp)" in one cell: the marked lead, and
    the others as coordinating agencies (unless a coordinating column says so)."""
    if not _ROLE_MARK.search(lead_text):
        return lead_text, coord_text
    pieces = [p.strip() for p in re.split(r"[;,]\s*", lead_text) if p.strip()]
    leads = [p for p in pieces if re.search(r"\(\s*chủ\s+trì", p, re.I)]
    others = [p for p in pieces if p not in leads]
    if not leads:
        return _ROLE_MARK.sub("", lead_text).strip(), coord_text
    others_text = "; ".join(_ROLE_MARK.sub("", p).strip() for p in others)
    return "; ".join(_ROLE_MARK.sub("", p).strip() for p in leads), coord_text or others_text


def _field_values(line: str) -> dict[str, str] | None:
    """ "- Cơ quan chủ trì: Sở Tư pháp; thời hạn: Quý II/2023." -> {"lead": …, "due": …};
    None when the line does not open with such a label."""
    pieces = [p.strip() for p in re.split(r";\s*", line) if p.strip()]
    if not pieces or not _FIELD.match(pieces[0]):
        return None
    values: dict[str, str] = {}
    for piece in pieces:
        m = _FIELD.match(piece)
        if not m:
            continue
        label = m["label"].lower()
        name = (
            "due"
            if re.match(r"thời|tiến|hạn", label)
            else "product"
            if re.match(r"sản|kết", label)
            else "coord"
            if "phối" in label
            else "lead"
        )
        values.setdefault(name, m["value"].strip(" .;"))
    return values


class _Parser:
    def __init__(self, text: str, default_year: int | None):
        self.lines = text.split("\n")
        self.warnings: list[tuple[int | None, str]] = []
        try:
            self.header = parse_header(self.lines)
        except Exception:  # an odd head must not cost the rows
            self.header = PlanHeader()
            self.warnings.append((None, "Không đọc được phần đầu văn bản (số, ngày, trích yếu)."))
        self.year = default_year or self.header.year or self._guess_year() or date.today().year
        self.rows: list[DraftRow] = []
        # Structure
        self.part = ""
        self.parts_seen = 0
        self.top_numbers_in_part: list[int] = []
        self.num: list[int] = []
        self.letter = ""
        self.letter_seen = ""
        self.intros_in_section = 0
        self.titles: dict[str, str] = {}
        self.leads: dict[int, _Lead] = {}
        self.table: _Table | None = None
        self.implicit_first: set[int] = set()
        # "1.1. <task>" followed by "- Cơ quan chủ trì: …", "- Thời gian: …" lines.
        self.last_title: tuple[int, str, str, int] | None = None
        self.fields: _Fields | None = None

    def _guess_year(self) -> int | None:
        years = re.findall(r"\bnăm\s+((?:19|20)\d{2})\b", "\n".join(self.lines[:200]))
        return int(max(set(years), key=years.count)) if years else None

    # Section code of the current position.
    def section(self) -> str:
        if not self.num:
            code = self.part
        elif len(self.num) == 1 and self.part:
            code = f"{self.part}.{self.num[0]}"
        else:
            code = ".".join(str(n) for n in self.num)
        if self.letter:
            code = f"{code}.{self.letter}" if code else self.letter
        return code

    def current_lead(self) -> _Lead | None:
        return self.leads[max(self.leads)] if self.leads else None

    def clear_leads(self, level: int) -> None:
        for key in [k for k in self.leads if k >= level]:
            del self.leads[key]

    def prescan(self, numbered: list[tuple[int, tuple[int, ...]]]) -> None:
        """Mark "N." headings whose first child "N.1." is missing (only "N.2." follows)."""
        for index, (line_no, code) in enumerate(numbered):
            for _, later in numbered[index + 1 :]:
                if len(later) <= len(code):
                    break
                if later == (*code, 2):
                    self.implicit_first.add(line_no)
                    break
                if later == (*code, 1):
                    break

    def run(self) -> ParsedPlan:
        joined = _join_wrapped(self.lines)
        numbered = []
        for line_no, line in joined:
            m = _NUMBERED.match(line)
            if m and "|" not in line:
                numbered.append((line_no, tuple(int(x) for x in m["code"].split("."))))
        self.prescan(numbered)
        for line_no, line in joined:
            try:
                self.line(line_no, line)
            except Exception as exc:  # never lose the whole draft to one odd line
                self.warnings.append((line_no, f"Không đọc được dòng này ({type(exc).__name__})."))
        self.flush_fields()
        if not self.rows:
            self.warnings.append((None, "Không tìm thấy nhiệm vụ nào có thời hạn trong văn bản."))
        if not self.header.number:
            self.warnings.append((None, "Không tìm thấy số, ký hiệu của văn bản."))
        return ParsedPlan(
            header=self.header, rows=self.rows, warnings=self.warnings, year=self.year
        )

    # --- one line ------------------------------------------------------------
    def line(self, line_no: int, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            return
        values = _field_values(stripped)
        if values is not None:
            self.add_fields(line_no, values)
            return
        self.flush_fields()
        if "|" in stripped:
            self.table_line(line_no, stripped)
            return
        self.table = None
        if _PLACE_DATE_LINE.search(stripped) and line_no <= 80:
            return
        if m := _APPENDIX.match(stripped):
            # "PHỤ LỤC II: DANH MỤC NHIỆM VỤ": what follows is no longer under the
            # last numbered section; its rows are filed under the appendix.
            self.part = f"PL{m['code'] or ''}"
            self.num, self.letter, self.letter_seen = [], "", ""
            self.top_numbers_in_part = []
            self.intros_in_section = 0
            self.clear_leads(0)
            self.titles[self.part] = m["title"] or stripped
            return
        heading_level = None
        body = stripped
        is_heading = False
        if m := _ROMAN.match(stripped):
            code = m["code"]
            letters = [ch for ch in m["title"] if ch.isalpha()]
            if letters and sum(ch.isupper() for ch in letters) / len(letters) > 0.6:
                self.part = code
                self.parts_seen += 1
                self.top_numbers_in_part = []
                self.num, self.letter, self.letter_seen = [], "", ""
                self.intros_in_section = 0
                self.clear_leads(0)
                self.titles[self.section()] = m["title"]
                body, is_heading, heading_level = m["title"], True, 0
        if not is_heading and (m := _NUMBERED.match(stripped)):
            code = tuple(int(x) for x in m["code"].split("."))
            body, is_heading = m["title"], True
            self.numbered_heading(line_no, code)
            heading_level = len(self.num)
            self.titles.setdefault(self.section(), body)
        elif not is_heading and (m := _LETTER.match(stripped)):
            body = m["title"]
            letter = m["code"]
            if (
                self.letter_seen
                and letter == "a"
                and self.letter_seen >= "b"
                and len(self.num) >= 2
            ):
                self.num[-1] += 1  # "a)" after "b)": an unnumbered new section started
                self.intros_in_section = 0
            self.letter_seen = letter
            self.clear_leads(10)
            # "a) <Agency> chủ trì ...:" opens a sub-section; "a) <sentence>." is an item.
            self.letter = letter if body.rstrip().endswith(":") else ""
            if self.letter:
                self.titles.setdefault(self.section(), body)
            is_heading, heading_level = True, 10
        elif not is_heading and (m := _BULLET.match(stripped)):
            body = m["title"]
        body = _TASK_LABEL.sub("", body).strip()
        if not body:
            return
        if is_heading and heading_level is not None and heading_level < 10:
            lead = self.intro(body) or self.heading_lead(body)
            if lead:
                self.leads[heading_level] = lead
                return
        intro = self.intro(body)
        if intro is None and heading_level == 10 and (named := self.heading_lead(body)):
            # "a) Sở Nội vụ" over its bullets: a lettered block of that agency's tasks.
            intro = named
            self.letter = letter
        if intro is not None:
            level = heading_level if heading_level == 10 else 11
            if level == 11:
                if self.intros_in_section and len(self.num) >= 2 and self.letter_seen:
                    self.num[-1] += 1  # a second lead block after lettered ones: next section
                    self.letter = self.letter_seen = ""
                    self.clear_leads(10)
                self.clear_leads(11)
            self.intros_in_section += 1
            self.leads[level] = intro
            return
        rows_before = len(self.rows)
        self.task_line(line_no, body)
        self.last_title = (line_no, body, self.section(), len(self.rows) - rows_before)

    def numbered_heading(self, line_no: int, code: tuple[int, ...]) -> None:
        if len(code) == 1:
            if code[0] == 1 and self.top_numbers_in_part:
                # "1." again without a roman heading: the next part started.
                self.part = int_to_roman(roman_to_int(self.part) + 1) if self.part else "II"
                self.top_numbers_in_part = []
            self.top_numbers_in_part.append(code[0])
        self.num = list(code)
        if line_no in self.implicit_first:
            self.num = [*code, 1]
        self.letter = self.letter_seen = ""
        self.intros_in_section = 0
        self.clear_leads(len(code))

    def heading_lead(self, body: str) -> _Lead | None:
        """A heading that names agencies: "1. Sở Nội vụ", "4. Trách nhiệm của các Sở, ..."."""
        text = _RESPONSIBILITY.sub("", body).strip(" :.")
        if len(text) > 300:
            return None
        if not _RESPONSIBILITY.match(body) and subject_phrase(text, colon=False) != text:
            return None  # "4. Sở Xây dựng tổ chức ...": a sentence, not a heading
        parts = split_agencies(text)
        if not parts:
            return None
        covered = sum(len(p.text) for p in parts)
        if covered < 0.6 * len(re.sub(r"[,;:\s]", "", text)) and not _RESPONSIBILITY.match(body):
            return None
        if not _RESPONSIBILITY.match(body) and leading_agencies(text) == []:
            return None
        return _Lead(parts)

    def intro(self, body: str) -> _Lead | None:
        """ "<Agency> chủ trì, phối hợp với ...:" or "<Agency> là đầu mối ..." heads a block."""
        parts = leading_agencies(body)
        if not parts:
            return None
        ends_colon = body.rstrip().endswith(":")
        if not ends_colon and not re.search(r"\blà\s+(?:cơ\s+quan\s+)?đầu\s+mối\b", body, re.I):
            return None
        if not ends_colon and select_deadline(body, self.year):
            return None  # "X là đầu mối ..., hoàn thành tháng 9/2022": a task itself
        if not _INTRO_VERB.search(body) and not ends_colon:
            return None
        coordinating, phrase = coordinating_agencies(body)
        deadline = None
        if ends_colon:
            found = select_deadline(body, self.year)
            if found and found[0].kind != Kind.YEAR:
                deadline = (found[0], found[1])
        return _Lead(parts, coordinating, phrase, deadline)

    # --- tasks ------------------------------------------------------------------
    def task_line(self, line_no: int, body: str) -> None:
        """One line of text: a task, or several when its sentences each carry a deadline.

        1. split into sentences (". " before a capital) and ";"-clauses;
        2. when two or more of them state a deadline, each is its own task (a news
           item or a directive packs "X làm A trước 30/8. Y làm B trước 30/9." into
           one paragraph); a clause without a subject takes the previous clause's;
        3. otherwise the line is read whole, as before.
        """
        clauses = _clauses(body)
        if len(clauses) > 1:
            dated = [c for c in clauses if select_deadline(c, self.year)]
            if len(dated) >= 2:
                subject: list[NamePart] | None = None
                for clause in clauses:
                    own = self.subject_of(clause)
                    subject = own or subject
                    if clause in dated:
                        self.task(line_no, clause, inherited=subject or None)
                return
        self.task(line_no, body)

    def subject_of(self, text: str) -> list[NamePart]:
        """The agencies a sentence is about: its subject, or the subject after a
        deadline-first adverbial ("Trước ngày 30/6/2023, Sở Nội vụ trình ...")."""
        parts = leading_agencies(_REQUEST.sub("", text, count=1))
        if parts:
            return parts
        opener = re.match(r"^([^,]{1,80}),\s*(\S.*)$", text)
        if opener and select_deadline(opener[1] + ",", self.year):
            return leading_agencies(opener[2])
        return []

    def task(self, line_no: int, body: str, *, inherited: list[NamePart] | None = None) -> None:
        giao = _GIAO.match(body)
        leads: list[NamePart] = []
        if giao:
            leads = self.giao_leads(giao["rest"])
        found = select_deadline(body, self.year, clause_ok=bool(giao))
        block = self.current_lead()
        if found is None and block and block.deadline and not giao:
            found = (*block.deadline, False)
        if found is None:
            return
        deadline, due_text, ambiguous = found
        labelled_coord: list[NamePart] = []
        labelled_phrase = ""
        if not leads:
            leads, labelled_coord, labelled_phrase = labelled_agencies(body)
        if not leads:
            named = self.subject_of(body) or inherited or []
            leads = [p for p in named if not p.generic]
            if named and not leads:
                names = ", ".join(p.text for p in named)
                self.warnings.append((line_no, f"Bỏ qua: nhiệm vụ giao chung cho «{names}»."))
                return
        warnings: list[str] = []
        if not leads and block:
            leads = [NamePart(name) for name in block.specific]
            if not leads:
                self.warnings.append(
                    (line_no, f"Bỏ qua: nhiệm vụ giao chung cho «{block.generic_text}».")
                )
                return
        if not leads:
            self.warnings.append(
                (line_no, "Có thời hạn nhưng không xác định được cơ quan chủ trì; bỏ qua dòng này.")
            )
            return
        coordinating, phrase = coordinating_agencies(body)
        if labelled_phrase:
            coordinating, phrase = labelled_coord, labelled_phrase
        if not phrase and block and not giao:
            coordinating, phrase = block.coordinating, block.coordination_text
        lead_names = [p.text for p in leads]
        coord_names = [p.text for p in coordinating if not p.generic and p.text not in lead_names]
        if ambiguous:
            warnings.append("Dòng có nhiều thời hạn; đã lấy thời hạn đầu tiên.")
        at = body.find(due_text)
        # The due text stops at a comma, which a list ("Quý I, II/2023") runs past.
        window = body[at : at + len(due_text) + 40] if at >= 0 else due_text
        dues = _due_list(window, self.year, starts_within=len(due_text))
        if len(dues) > 1 or (dues and dues[0] != deadline.due_date):
            due_text = window[: window.find(".")] if "." in window else window
            due_text = due_text.strip(" ,;:.()")
        if len(dues) == 1 and deadline.due_date:
            deadline = Deadline(deadline.kind, dues[0], deadline.text)
        self.add_row(
            line_no,
            title=body,
            leads=lead_names,
            section=self.section(),
            coordinating=coord_names,
            coordination_text=phrase,
            due_text=due_text,
            deadline=deadline,
            dues=dues,
            warnings=warnings,
        )

    def giao_leads(self, rest: str) -> list[NamePart]:
        """The agencies after "Giao": up to "chủ trì", a verb or a clause that is no name."""
        taken: list[str] = []
        group_open = False
        for segment in re.split(r"[,;]", rest):
            seg = segment.strip()
            if not seg:
                continue
            cut = re.split(r"\s+chủ\s+trì\b", seg, maxsplit=1, flags=re.I)
            head = cut[0].strip()
            subject = subject_phrase(head, colon=False)
            parts = split_agencies(subject)
            names = bool(parts) or (group_open and subject[:1].isupper())
            if names and subject:
                taken.append(subject)
                group_open = group_open or bool(re.search(r"\bcác\s", subject, re.I))
                if parts and not any(p.generic for p in parts):
                    group_open = (group_open and ":" not in subject) or group_open
            if not names or subject != head or len(cut) > 1:
                break
        parts = split_agencies(", ".join(taken))
        return [p for p in parts if not p.generic] or parts

    # --- tables -------------------------------------------------------------------
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

        def cell(name: str) -> str:
            index = cols.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        task, lead_text, due_cell = cell("task"), cell("lead"), cell("due")
        stt = cell("stt")
        if not task:
            return
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

    def add_row(
        self,
        line_no: int,
        *,
        title: str,
        leads: list[str],
        section: str,
        coordinating: list[str],
        coordination_text: str,
        due_text: str,
        deadline: Deadline | None,
        dues: list[date],
        warnings: list[str],
        deliverable: str = "",
    ) -> None:
        """One draft row; several separate due dates ("Quý II và Quý IV") ride along."""
        self.rows.append(
            DraftRow(
                line=line_no,
                title=title,
                leads=leads,
                section=section,
                section_title=self.titles.get(section, ""),
                coordinating=coordinating,
                coordination_text=coordination_text,
                due_text=due_text,
                due_date=deadline.due_date if deadline else None,
                kind=deadline.kind if deadline else "",
                recurrence=deadline.recurrence if deadline else None,
                deliverable=deliverable,
                warnings=warnings,
                dues=dues if len(dues) > 1 else [],
            )
        )

    # --- fields: "Cơ quan chủ trì: …", "Thời gian hoàn thành: …" ---------------------
    def add_fields(self, line_no: int, values: dict[str, str]) -> None:
        if self.fields is None:
            self.fields = _Fields(line=line_no, title=self.last_title)
        for name, value in values.items():
            if value and not self.fields.values.get(name):
                self.fields.values[name] = value

    def flush_fields(self) -> None:
        """Emit the task whose lead, deadline and product were given as labelled lines.

        1. the title is the line above the labels (a numbered or lettered heading, or
           a bullet that stated no deadline of its own); none, and the labels stand alone;
        2. without a lead label, the lead of the block it sits in ("1. Sở X chủ trì:");
        3. a title line that already produced its task is not counted twice.
        """
        fields, self.fields = self.fields, None
        if fields is None:
            return
        values = fields.values
        if not values.get("lead") and not values.get("due"):
            return
        title_line, title, section, emitted = fields.title or (fields.line, "", self.section(), 0)
        if emitted:
            return
        block = self.current_lead()
        self.fielded_task(
            title_line,
            title=title or "; ".join(f"{k}: {v}" for k, v in values.items()),
            lead_text=values.get("lead", ""),
            due_text=values.get("due", ""),
            coord_text=values.get("coord", ""),
            product=values.get("product", ""),
            fallback_leads=block.specific if block else [],
            fallback_note="Không ghi cơ quan chủ trì; đã lấy theo mục chứa nhiệm vụ.",
            section=section,
        )
        self.last_title = None

    def fielded_task(
        self,
        line_no: int,
        *,
        title: str,
        lead_text: str,
        due_text: str,
        coord_text: str = "",
        product: str = "",
        fallback_leads: list[str] | None = None,
        fallback_note: str = "",
        section: str | None = None,
    ) -> list[str] | None:
        """A task whose parts sit in fields (a table row, or labelled lines).

        Returns the lead agencies it was given, or None when it was skipped.
        """
        warnings: list[str] = []
        lead_text, coord_text = _marked_roles(lead_text, coord_text)
        parts = split_agencies(lead_text)
        specific = [p.text for p in parts if not p.generic]
        if specific:
            leads = specific
        elif lead_text:
            leads = [lead_text]
            if parts:
                warnings.append("Cơ quan chủ trì ghi chung, chưa rõ đơn vị cụ thể.")
        elif fallback_leads:
            leads = list(fallback_leads)
            warnings.append(fallback_note)
        else:
            self.warnings.append((line_no, "Nhiệm vụ không có cơ quan chủ trì; bỏ qua."))
            return None
        deadline = parse_deadline(due_text, default_year=self.year) if due_text else None
        dues = _due_list(due_text, self.year) if due_text else []
        if deadline is None and dues:
            deadline = Deadline(Kind.HALF, dues[-1], due_text)
        if len(dues) == 1 and deadline is not None:
            deadline = Deadline(deadline.kind, dues[0], deadline.text)
        if deadline is None:
            warnings.append("Không tìm thấy thời hạn.")
        coordinating = [p.text for p in split_agencies(coord_text) if not p.generic]
        self.add_row(
            line_no,
            title=title,
            leads=leads,
            section=self.section() if section is None else section,
            coordinating=coordinating,
            coordination_text=coord_text,
            due_text=due_text,
            deadline=deadline,
            dues=dues,
            warnings=warnings,
            deliverable=product,
        )
        return leads


def parse_text(text: str, *, default_year: int | None = None) -> ParsedPlan:
    """Parse the text of a plan into a header, draft rows and warnings; never raises
    on odd input (a line that cannot be read becomes a warning)."""
    from .extract import normalize_text

    text = normalize_text(text or "")
    parsed = _Parser(text, default_year).run()
    parsed.text = text
    return parsed
