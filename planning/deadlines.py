"""What a deadline phrase means: the one place that turns words into a due date.

Plans write deadlines many ways ("hoàn thành trong tháng 7/2022", "Quý III/2022",
"6 tháng đầu năm 2022", "trước ngày 15/8/2022", "thường xuyên"). Everything in
the project that needs a due date (demo data, the plan parser, the spreadsheet
import, forms) asks `parse_deadline`, so a phrase means the same thing
everywhere.

The rule: a period ends on its last day. "tháng 7/2022" is due 31/07/2022,
"Quý III/2022" 30/09/2022, "năm 2022" 31/12/2022; a date is due that day;
"thường xuyên" (ongoing) has no due date and is counted apart.
A span of working days ("trong 10 ngày làm việc kể từ ngày ký") is due on the
last of those days after the signing date, counted on the working-day
calendar (`planning.workdays`: weekends, national holidays including Tết,
the province's declared days); without a signing date it has no due date yet.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .workdays import NATIONAL, WorkingCalendar


class Kind:
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    ONGOING = "ongoing"
    RECURRING = "recurring"
    WORKING_DAYS = "working_days"


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ROMAN_OF = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Deadline:
    kind: str
    due_date: date | None
    text: str
    """The words that carried the deadline, as written."""
    recurrence: str | None = None
    """For recurring work ("định kỳ hằng quý"): "month", "quarter", "half" or "year"."""
    working_days: int | None = None
    """For "trong 10 ngày làm việc": 10 (the due date needs the signing date)."""

    @property
    def is_ongoing(self) -> bool:
        return self.due_date is None and self.kind != Kind.WORKING_DAYS

    def counted_from(self, signed_on: date | None, calendar: WorkingCalendar) -> Deadline:
        """A working-days deadline read without its signing date, now counted from
        it; any other deadline, or one with a due date already, as it is."""
        if self.kind != Kind.WORKING_DAYS or self.due_date or signed_on is None:
            return self
        [counted] = _working_days(self.text, signed_on, calendar)
        return counted[2]


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def month_label(d: date) -> str:
    """31/07/2022 → "tháng 7/2022"."""
    return f"tháng {d.month}/{d.year}"


def quarter_label(year: int, quarter: int) -> str:
    """(2022, 3) → "Quý III/2022"."""
    return f"Quý {ROMAN_OF[quarter]}/{year}"


def due_label(d: date | None) -> str:
    """How a due date is shown: a month's last day reads as the month.

    31/07/2022 → "tháng 7/2022"; 15/08/2022 → "15/08/2022"; None → "Thường xuyên".
    """
    if d is None:
        return "Thường xuyên"
    if d == month_end(d.year, d.month):
        return month_label(d)
    return d.strftime("%d/%m/%Y")


def period_name(kind: str, due: date | None) -> str:
    """The words for a deadline of `kind` ending on `due`, as plans write them.

    (QUARTER, 30/09/2022) → "Quý III/2022"; (HALF, 30/06/2022) → "6 tháng đầu năm
    2022"; (DATE, 15/08/2022) → "15/08/2022"; no due date → "Thường xuyên".
    """
    if due is None:
        return "Thường xuyên"
    if kind == Kind.MONTH:
        return month_label(due)
    if kind == Kind.QUARTER:
        return quarter_label(due.year, (due.month - 1) // 3 + 1)
    if kind == Kind.HALF:
        return f"6 tháng {'đầu' if due.month <= 6 else 'cuối'} năm {due.year}"
    if kind == Kind.YEAR:
        return f"năm {due.year}"
    return due.strftime("%d/%m/%Y")


@lru_cache(maxsize=4096)
def _stated_kind(words: str, due: date) -> str | None:
    # Lists show the same few phrases on every row: parse each once.
    deadline = parse_deadline(words, default_year=due.year)
    if deadline is None or deadline.due_date != due:
        return None
    return deadline.kind


def stated_due_label(due: date | None, *stated: str) -> str:
    """A due date as the plan states it, with the exact date beside it.

    "Quý III/2022 (30/09/2022)", "tháng 7/2022 (31/07/2022)", "15/08/2022",
    "Thường xuyên". `stated` are the words that carried the deadline, most
    precise first (a recurring period's label "Quý II/2022", then the task's
    "hoàn thành trong Quý III/2022"):

    1. no due date: ongoing work, "Thường xuyên";
    2. the first words whose deadline ends on `due` give its kind: a quarter,
       month, half-year or year is named, then the date in brackets;
    3. words that name another date (the task was re-dated by hand) are not
       trusted; with none left, a month's last day reads as that month (the
       label of `due_label`), any other day as the date.
    """
    if due is None:
        return "Thường xuyên"
    exact = due.strftime("%d/%m/%Y")
    kind = next((k for words in stated if words and (k := _stated_kind(words, due))), None)
    if kind is None:
        kind = Kind.MONTH if due == month_end(due.year, due.month) else Kind.DATE
    if kind in (Kind.DATE, Kind.ONGOING, Kind.RECURRING):
        return exact
    return f"{period_name(kind, due)} ({exact})"


def recurring_periods(recurrence: str, year: int) -> list[tuple[str, date]]:
    """The periods of a plan year for recurring work, each with its last day."""
    if recurrence == "month":
        return [(f"tháng {m}/{year}", month_end(year, m)) for m in range(1, 13)]
    if recurrence == "quarter":
        return [(quarter_label(year, q), quarter_end(year, q)) for q in range(1, 5)]
    if recurrence == "half":
        return [
            (f"6 tháng đầu năm {year}", date(year, 6, 30)),
            (f"6 tháng cuối năm {year}", date(year, 12, 31)),
        ]
    return [(f"năm {year}", date(year, 12, 31))]


# --- Recognising the phrases ----------------------------------------------------
# Patterns run on NFC text, case-insensitively. Separators inside dates and
# months may be "/", "-" or "." ("7/2022", "07-2022", "7.2022").

_SEP = r"\s*[/.\-]\s*"
_YEAR = r"((?:19|20)\d{2})"
_DAY = r"(0?[1-9]|[12]\d|3[01])"
_MONTH = r"(0?[1-9]|1[0-2])"
_WS = r"\s+"

_DATE_NUMERIC = re.compile(rf"(?<![\d/])\b{_DAY}{_SEP}{_MONTH}{_SEP}{_YEAR}\b(?![/\d])")
_DATE_WORDS = re.compile(
    rf"\bngày{_WS}{_DAY}{_WS}tháng{_WS}{_MONTH}(?:{_WS}năm{_WS}|{_SEP}){_YEAR}\b", re.I
)
_MONTH_WORDS = re.compile(
    rf"\btháng{_WS}{_MONTH}(?:(?:{_WS}năm{_WS}|{_SEP}|{_WS}){_YEAR})?\b(?![/.\-]\d)", re.I
)
_MONTH_BARE = re.compile(
    rf"(?:\b(?:trong|hoàn thành|trước|cuối|đến|vào|hạn|gian)[\s:]|^|\|)\s*"
    rf"{_MONTH}{_SEP}{_YEAR}\b(?![/.\-]\d)",
    re.I,
)
# "trước ngày 15/8", "ngày 15 tháng 8": a date whose year is the plan's.
_DATE_NO_YEAR = re.compile(
    rf"\b(?:ngày|trước|chậm\s+nhất)(?:{_WS}ngày)?{_WS}{_DAY}(?:{_SEP}|{_WS}tháng{_WS}){_MONTH}"
    rf"\b(?!\s*(?:[/.\-]|năm)\s*\d)",
    re.I,
)
_PART_OF_DATE = re.compile(r"ngày\s*\d{1,2}\s*$", re.I)
_PART_OF_MONTH = re.compile(r"(?:tháng\s*\d{1,2}|qu[ýí]\s*\w{1,3})[\s,]*$", re.I)
_QUARTER = re.compile(
    rf"\bqu[ýí]{_WS}(iv|iii|ii|i|[1-4])\b(?:(?:{_WS}năm{_WS}|{_SEP}|{_WS}){_YEAR})?", re.I
)
_HALF = re.compile(rf"\b6{_WS}tháng{_WS}(đầu|cuối){_WS}năm(?:{_WS}{_YEAR})?\b", re.I)
_YEAR_ONLY = re.compile(rf"\b(?:cuối{_WS})?năm{_WS}{_YEAR}\b", re.I)
_ONGOING = re.compile(r"\bthường\s+xuyên\b|\bliên\s+tục\b|\bhằng\s+ngày\b", re.I)
_RECURRING = re.compile(
    r"\b(?:định\s+kỳ\s*)?(?:hằng|hàng|mỗi)\s+(tháng|quý|năm)\b"
    r"|\bđịnh\s+kỳ\s+(6\s+tháng|hằng\s+quý|hàng\s+quý|quý|tháng|năm)\b",
    re.I,
)
# "Nghị quyết số 76/NQ-CP ngày 15/7/2021": a date that belongs to a citation.
_CITATION_BEFORE = re.compile(
    r"(?:số\s*)?\d+[\w/.\-]*/[A-ZĐ][\w.\-]*\s*(?:của\s+[^,;()]{0,60}?\s*)?ngày\s*$", re.I
)
_CITATION_WORDS = re.compile(
    r"\b(?:nghị\s+quyết|nghị\s+định|quyết\s+định|kế\s+hoạch|chỉ\s+thị|thông\s+tư|"
    r"công\s+văn|văn\s+bản|luật|thông\s+báo|báo\s+cáo|hướng\s+dẫn)\s+(?:số\s+)?"
    r"(?:\S*\d\S*\s+)?(?:ngày\s*)?$",
    re.I,
)


def _is_citation(text: str, start: int) -> bool:
    before = text[max(0, start - 120) : start]
    return bool(_CITATION_BEFORE.search(before)) or bool(_CITATION_WORDS.search(before))


def _year(group: str | None, default_year: int | None) -> int | None:
    return int(group) if group else default_year


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_WORKING_DAYS = re.compile(
    r"\b(?:trong(?:\s+vòng|\s+thời\s+hạn)?\s+)?(\d{1,3})\s+ngày\s+làm\s+việc"
    r"(?:\s*,?\s*(?:kể\s+)?từ\s+(?:ngày\s+)?(ký|ban\s+hành|[^,.;()]{1,60}))?",
    re.I,
)
_SIGNING = re.compile(r"^(?:ký|ban\s+hành)$", re.I)


def _working_days(text: str, signed_on: date | None, calendar: WorkingCalendar):
    """ "trong 10 ngày làm việc kể từ ngày ký": counted from the signing date
    when the phrase counts from it (or names no start); otherwise, or without
    a signing date, no due date yet."""
    for m in _WORKING_DAYS.finditer(text):
        count, start = int(m.group(1)), m.group(2)
        from_signing = start is None or _SIGNING.match(start.strip())
        due = None
        if count and signed_on is not None and from_signing:
            due = calendar.add_working_days(signed_on, count)
        yield m.start(), m.end(), Deadline(Kind.WORKING_DAYS, due, m.group(0), working_days=count)


def _candidates(
    text: str,
    default_year: int | None,
    signed_on: date | None = None,
    calendar: WorkingCalendar = NATIONAL,
):
    """Every (start, end, Deadline) the text holds, in no particular order."""
    yield from _working_days(text, signed_on, calendar)
    for m in _ONGOING.finditer(text):
        yield m.start(), m.end(), Deadline(Kind.ONGOING, None, m.group(0))
    for m in _RECURRING.finditer(text):
        word = fold_lower(m.group(1) or m.group(2))
        recurrence = (
            "half"
            if word.startswith("6")
            else "quarter"
            if "quy" in word
            else "month"
            if "thang" in word
            else "year"
        )
        yield m.start(), m.end(), Deadline(Kind.RECURRING, None, m.group(0), recurrence)
    for m in _DATE_WORDS.finditer(text):
        d = _valid_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d and not _is_citation(text, m.start() + len("ngày")):
            yield m.start(), m.end(), Deadline(Kind.DATE, d, m.group(0))
    for m in _DATE_NUMERIC.finditer(text):
        d = _valid_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d and not _is_citation(text, m.start()):
            yield m.start(), m.end(), Deadline(Kind.DATE, d, m.group(0))
    for m in _QUARTER.finditer(text):
        year = _year(m.group(2), default_year)
        token = m.group(1).lower()
        quarter = ROMAN.get(token) or int(token)
        if year:
            yield m.start(), m.end(), Deadline(Kind.QUARTER, quarter_end(year, quarter), m.group(0))
    for m in _HALF.finditer(text):
        year = _year(m.group(2), default_year)
        if year:
            first = fold_lower(m.group(1)) == "dau"
            due = date(year, 6, 30) if first else date(year, 12, 31)
            yield m.start(), m.end(), Deadline(Kind.HALF, due, m.group(0))
    if default_year:
        for m in _DATE_NO_YEAR.finditer(text):
            d = _valid_date(default_year, int(m.group(2)), int(m.group(1)))
            if d and not _is_citation(text, m.start() + len("ngày")):
                yield m.start(), m.end(), Deadline(Kind.DATE, d, m.group(0))
    for m in _MONTH_WORDS.finditer(text):
        year = _year(m.group(2), default_year)
        # "ngày 22 tháng 9 năm 2021" is a date (kept or dropped as a citation above).
        if _PART_OF_DATE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if year and not _is_citation(text, m.start()):
            yield (
                m.start(),
                m.end(),
                Deadline(Kind.MONTH, month_end(year, int(m.group(1))), m.group(0)),
            )
    for m in _MONTH_BARE.finditer(text):
        yield (
            m.start(),
            m.end(),
            Deadline(Kind.MONTH, month_end(int(m.group(2)), int(m.group(1))), m.group(0)),
        )
    for m in _YEAR_ONLY.finditer(text):
        before = text[max(0, m.start() - 16) : m.start()]
        if _PART_OF_MONTH.search(before) or _PART_OF_DATE.search(before):
            continue
        if _is_citation(text, m.start()) or re.search(r"/[A-ZĐ][\w.\-]*\s*$", before):
            continue
        yield m.start(), m.end(), Deadline(Kind.YEAR, date(int(m.group(1)), 12, 31), m.group(0))


# When two readings overlap, the more precise one wins: "6 tháng đầu năm 2022"
# is a half-year, not the year 2022; "ngày 15 tháng 8 năm 2022" a date, not a month.
_PRECISION = {
    Kind.WORKING_DAYS: 0,
    Kind.DATE: 0,
    Kind.HALF: 1,
    Kind.QUARTER: 2,
    Kind.MONTH: 3,
    Kind.RECURRING: 4,
    Kind.YEAR: 5,
    Kind.ONGOING: 6,
}


def fold_lower(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def find_deadlines(
    text: str,
    *,
    default_year: int | None = None,
    signed_on: date | None = None,
    calendar: WorkingCalendar = NATIONAL,
) -> list[Deadline]:
    """Every deadline expression in `text`, left to right, overlaps resolved.

    1. collect all candidate readings with their spans;
    2. sort by start, then by precision, and drop a reading that overlaps one
       already kept (so the most precise reading of a span wins);
    3. dates inside citations ("Quyết định số 1473/QĐ-UBND ngày 29/4/2022")
       were never candidates.
    """
    text = unicodedata.normalize("NFC", text or "")
    found = sorted(
        _candidates(text, default_year, signed_on, calendar),
        key=lambda c: (c[0], _PRECISION[c[2].kind], -c[1]),
    )
    kept: list[tuple[int, int, Deadline]] = []
    for start, end, deadline in found:
        if any(start < k_end and end > k_start for k_start, k_end, _ in kept):
            continue
        kept.append((start, end, deadline))
    return [deadline for _, _, deadline in sorted(kept, key=lambda c: c[0])]


def parse_deadline(
    text: str,
    *,
    default_year: int | None = None,
    signed_on: date | None = None,
    calendar: WorkingCalendar = NATIONAL,
) -> Deadline | None:
    """The deadline a phrase states, or None when it states none.

    The phrase is what a plan writes for a deadline ("hoàn thành trong
    Quý III/2022 và báo cáo UBND Thành phố", "trước ngày 15/8/2022",
    "thường xuyên"); a month or quarter without a year takes `default_year`
    (the plan's year). When several expressions appear, the first one wins:
    "trước 31/12/2022" in "... năm 2022; gửi báo cáo trước 31/12/2022" is what
    a careful reader takes only when it is the first, so callers pass the
    deadline clause, not the whole sentence, when they can. Working days
    count from `signed_on` (the plan's date) on `calendar`.
    """
    # A deadline column may hold only a year ("2023"), a span of years ("2023 - 2025",
    # "Giai đoạn 2023-2025", "Năm 2025 - 2026": due at the end of the last) or a day
    # without its year ("30/6"). The span is read first: "Năm 2025" alone would be its start.
    phrase = unicodedata.normalize("NFC", text or "")
    if m := _PHRASE_YEARS.fullmatch(phrase):
        last = int(m.group(2) or m.group(1))
        return Deadline(Kind.YEAR, date(last, 12, 31), m.group(0).strip())
    found = find_deadlines(text, default_year=default_year, signed_on=signed_on, calendar=calendar)
    if found:
        return found[0]
    if default_year and (m := _PHRASE_DAY_MONTH.fullmatch(phrase)):
        due = _valid_date(default_year, int(m.group(2)), int(m.group(1)))
        if due:
            return Deadline(Kind.DATE, due, m.group(0).strip())
    return None


_PHRASE_YEARS = re.compile(
    rf"\s*(?:giai\s+đoạn\s+|năm\s+)?{_YEAR}(?:\s*[-–]\s*(?:năm\s+)?{_YEAR})?\s*\.?\s*", re.I
)
_PHRASE_DAY_MONTH = re.compile(rf"\s*(?:trước\s+(?:ngày\s+)?)?{_DAY}{_SEP}{_MONTH}\s*\.?\s*", re.I)
