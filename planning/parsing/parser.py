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
from dataclasses import dataclass
from datetime import date

from ..workdays import NATIONAL, WorkingCalendar
from .header import PlanHeader, parse_header
from .layout import clean_lines, lay_out
from .leads import LeadFinding, _Lead
from .lines import (
    _APPENDIX,
    _BULLET,
    _LETTER,
    _NUMBERED,
    _PLACE_DATE_LINE,
    _ROMAN,
    _TASK_LABEL,
    int_to_roman,
    roman_to_int,
)
from .position import select_deadline
from .rows import DraftRow, RowBuilding, _field_values, _Fields
from .tables import TableReading, _Table

__all__ = ["DraftRow", "ParsedPlan", "parse_text", "select_deadline"]


@dataclass
class ParsedPlan:
    header: PlanHeader
    rows: list[DraftRow]
    warnings: list[tuple[int | None, str]]
    """(line or None, message) about the document as a whole."""
    year: int
    text: str = ""


class _Parser(TableReading, LeadFinding, RowBuilding):
    """One pass over the lines of a plan, keeping the structure (part, numbers,
    letter, the lead blocks in force) that the stages read tasks against."""

    def __init__(self, text: str, default_year: int | None, calendar: WorkingCalendar = NATIONAL):
        self.lines = text.split("\n")
        self.calendar = calendar
        self.warnings: list[tuple[int | None, str]] = []
        try:
            self.header = parse_header(clean_lines(self.lines))
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
            # Indexes, not a slice: copying the rest of the list for each heading made
            # 100,000 "1." lines quadratic.
            for later_index in range(index + 1, len(numbered)):
                later = numbered[later_index][1]
                if len(later) <= len(code):
                    break
                if later == (*code, 2):
                    self.implicit_first.add(line_no)
                    break
                if later == (*code, 1):
                    break

    def run(self) -> ParsedPlan:
        joined = [(line.number, line.text) for line in lay_out(self.lines)]
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
                # Capped: a text of thousands of "1." lines is no plan of thousands of parts,
                # and ever longer numerals would make each line slower than the last.
                following = min(roman_to_int(self.part) + 1, 39) if self.part else 2
                self.part = int_to_roman(following)
                self.top_numbers_in_part = []
            self.top_numbers_in_part.append(code[0])
        self.num = list(code)
        if line_no in self.implicit_first:
            self.num = [*code, 1]
        self.letter = self.letter_seen = ""
        self.intros_in_section = 0
        self.clear_leads(len(code))


def parse_text(
    text: str, *, default_year: int | None = None, calendar: WorkingCalendar = NATIONAL
) -> ParsedPlan:
    """Parse the text of a plan into a header, draft rows and warnings; never raises
    on odd input (a line that cannot be read becomes a warning). Deadlines in
    working days count from the plan's date on `calendar`."""
    from .extract import normalize_text

    text = normalize_text(text or "")
    parsed = _Parser(text, default_year, calendar).run()
    parsed.text = text
    return parsed
