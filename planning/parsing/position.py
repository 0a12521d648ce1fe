"""Deadlines in context: which deadline expression of a line is the task's deadline.

`planning.deadlines` says what a phrase means ("Quý III/2022" is 30/9/2022);
this module says whether the phrase stands where a deadline stands: after a cue,
alone in parentheses, opening a clause, and how lists of periods fan out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from itertools import pairwise

from ..deadlines import Deadline, Kind, find_deadlines, month_end, quarter_end

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


_EVENT_BEFORE = re.compile(
    r"\b(?:diễn\s+ra|khai\s+mạc|bế\s+mạc|khai\s+giảng)\s+(?:vào\s+)?(?:ngày\s+)?$", re.I
)


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
    if not strong and re.match(r"\s*,\s*[^,;.]{0,50}\bđã\s", text[end : end + 80]):
        return None  # "Ngày 22/12/2024, Bộ Chính trị đã ban hành …": when something happened
    if not strong and _EVENT_BEFORE.search(before_clause):
        return None  # "kỳ họp thứ 8 diễn ra vào tháng 11/2024": when an event takes place
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
