"""The row builder: a task line, a table row or a labelled block becomes a draft row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..deadlines import Deadline, Kind, due_label, parse_deadline, recurring_periods
from .agencies import (
    NamePart,
    coordinating_agencies,
    labelled_agencies,
    split_agencies,
    subject_phrase,
)
from .leads import _GIAO
from .lines import _clauses
from .position import _due_list, select_deadline


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
class _Fields:
    line: int
    title: tuple[int, str, str, int] | None
    values: dict[str, str] = field(default_factory=dict)


_FIELD = re.compile(
    r"^(?:[-+•*–]\s*)?(?:[a-zđ]\)\s*)*(?P<label>"
    r"(?:cơ\s+quan|đơn\s+vị)\s+(?:chủ\s+trì|thực\s+hiện|phối\s+hợp)"
    r"(?:\s+(?:tham\s+mưu|thực\s+hiện|chính))*"
    r"|chủ\s+trì|phối\s+hợp|thời\s+(?:gian|hạn|điểm)"
    r"(?:\s+(?:hoàn\s+thành|thực\s+hiện|ban\s+hành|trình|triển\s+khai|dự\s+kiến))*"
    r"|tiến\s+độ(?:\s+(?:hoàn\s+thành|thực\s+hiện))?|hạn\s+hoàn\s+thành"
    r"|sản\s+phẩm(?:\s+đầu\s+ra)?|kết\s+quả\s+đầu\s+ra"
    r")\s*:\s*(?P<value>.*)$",
    re.I,
)


# Labels run on one line separated by ";" or by their letters: "a) Cơ quan chủ trì: Sở Nội
# vụ; b) Cơ quan phối hợp: … c) Thời gian thực hiện: Quý IV/2025".
_FIELD_BREAK = re.compile(
    r";\s*|\s+(?=[a-zđ]\)\s*(?:cơ\s+quan|đơn\s+vị|thời\s+(?:gian|hạn)|chủ\s+trì|phối\s+hợp"
    r"|tiến\s+độ|sản\s+phẩm)\b)",
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
    pieces = [p.strip() for p in _FIELD_BREAK.split(line) if p.strip()]
    # a marker split off before the first label ("-", a page number "6"): not a piece
    while len(pieces) > 1 and len(pieces[0]) <= 3 and ":" not in pieces[0]:
        pieces.pop(0)
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


# Deadline fields that give no due month (the phrase is kept for the reviewer):
# "Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê" (the end is an event), "Từ 01/7/2025"
# (a start, no end), "Theo kế hoạch công tác tư pháp hàng năm" (the schedule is elsewhere).
_OPEN_ENDED = re.compile(
    r"^\s*(?:(?:kể\s+)?từ\s[^;]*?\bđến\s+(?:khi|lúc|thời\s+điểm)\b"
    r"|(?:kể\s+)?từ\s(?![^;]*\bđến\b)"
    r"|theo\s+(?:kế\s+hoạch|lộ\s+trình|tiến\s+độ|yêu\s+cầu|chương\s+trình)\b)",
    re.I,
)


def read_due_column(
    due_text: str, year: int, *, signed_on: date | None = None, calendar=None
) -> tuple[Deadline | None, list[date]]:
    """What a deadline written on its own means (a table's "Thời hạn" cell, a
    "Thời gian hoàn thành:" label, a due phrase typed in the app): the deadline
    and, for several separate deliveries ("Quý II và Quý IV/2023"), their dates.

    1. an open-ended phrase ("từ năm 2023", "theo lộ trình") states no deadline;
    2. the first expression is the deadline (`parse_deadline`); a list of
       periods (`_due_list`) gives the dates, the last one standing for a span;
    3. (None, []) when the words state no deadline at all.
    `signed_on` and `calendar` are the plan's, for relative deadlines
    (`parse_deadline`); the national calendar when not given.
    """
    dated = due_text and not _OPEN_ENDED.match(due_text)
    if not dated:
        return None, []
    extra = {"calendar": calendar} if calendar is not None else {}
    deadline = parse_deadline(due_text, default_year=year, signed_on=signed_on, **extra)
    dues = _due_list(due_text, year)
    if deadline is None and dues:
        deadline = Deadline(Kind.HALF, dues[-1], due_text)
    if len(dues) == 1 and deadline is not None:
        deadline = Deadline(deadline.kind, dues[0], deadline.text)
    return deadline, dues


_TOPIC = re.compile(r"^\s*(?:Về|Đối\s+với)\s[^:]{3,400}:\s*(?P<rest>\S.*)$")
_GIAO_INSIDE = re.compile(r"(?:^|[:;,.]\s*|\s)giao\s+(?P<rest>(?-i:[A-ZĐỦ]).+)$")


class RowBuilding:
    """The row-building part of `_Parser`: tasks from lines, labelled fields and table rows."""

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
            if dated == clauses[:1] and (frame := self.framing_deadline(clauses[0])):
                self.task(line_no, body)
                first = {p.text for p in self.subject_of(clauses[0])}
                for clause in clauses[1:]:
                    own = [p for p in self.subject_of(clause) if not p.generic]
                    if own and not {p.text for p in own} & first:
                        self.task(line_no, clause, framed=frame)
                return
        self.task(line_no, body)

    def framing_deadline(self, clause: str) -> tuple | None:
        """The deadline of an adverbial that opens a paragraph and frames all of it ("Về
        các nhiệm vụ trọng tâm trong Quý I năm 2025, …, A chỉ đạo …. B chỉ đạo …"): the
        later sentences with their own subject and no deadline are due then too."""
        opener = re.match(r"^([^,]{1,80}),", clause)
        return select_deadline(opener[1] + ",", self.year) if opener else None

    def task(
        self,
        line_no: int,
        body: str,
        *,
        inherited: list[NamePart] | None = None,
        framed: tuple | None = None,
    ) -> None:
        # "2. Về dự án …: Bộ Xây dựng khẩn trương …": a conclusion names its topic first;
        # the lead is the subject after the colon, or the agency after a "giao" inside.
        topic = _TOPIC.match(body)
        core = topic["rest"] if topic else body
        giao = _GIAO.match(core)
        if giao is None and "giao " in core and not self.subject_of(core):
            giao = _GIAO_INSIDE.search(core)
        leads: list[NamePart] = []
        if giao:
            leads = self.giao_leads(giao["rest"])
        found = select_deadline(body, self.year, clause_ok=bool(giao))
        block = self.current_lead()
        if found is None and block and block.deadline and not giao:
            found = (*block.deadline, False)
        found = found or framed
        if found is None:
            return
        deadline, due_text, ambiguous = found
        deadline = deadline.counted_from(self.header.issued_on, self.calendar)
        labelled_coord: list[NamePart] = []
        labelled_phrase = ""
        if not leads:
            leads, labelled_coord, labelled_phrase = labelled_agencies(body)
        if not leads:
            named = self.subject_of(core) or inherited or []
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
        # "Cơ quan thực hiện: Bộ Công an tiến hành rà soát …": a label's value may run on
        # into the work; the names end where the verb begins.
        lead_text = "; ".join(
            subject_phrase(piece, colon=False) if len(piece.split()) > 8 else piece
            for piece in re.split(r";\s*", lead_text)
        ).strip("; ")
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
        deadline, dues = read_due_column(
            due_text, self.year, signed_on=self.header.issued_on, calendar=self.calendar
        )
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
