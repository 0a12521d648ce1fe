"""Finding the lead of a task: "Giao …" sentences, subjects, and the blocks tasks sit in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..deadlines import Deadline, Kind
from .agencies import (
    NamePart,
    coordinating_agencies,
    leading_agencies,
    split_agencies,
    subject_phrase,
)
from .position import select_deadline

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
# A purpose or topic opening the sentence before its subject: "Để thể chế hoá …, Đảng đoàn
# Quốc hội xác định …:", "Trên cơ sở …, Sở X chủ trì …", "Về dự án …, Bộ Y …".
_OPENER = re.compile(r"^\s*(?:Để|Trên\s+cơ\s+sở|Về|Nhằm|Sau\s+khi)\s[^,]{1,78},", re.I)
# The speaker of a conclusion before the addressees: "Tổng Bí thư nêu rõ, Sở X …".
_REPORTING = re.compile(
    r"^(?:[^\W\d]+\s+){1,6}(?:nêu\s+rõ|yêu\s+cầu|đề\s+nghị|lưu\s+ý|nhấn\s+mạnh|chỉ\s+rõ|kết\s+luận)"
    r"\s*[,:]\s*",
    re.I,
)
_RESPONSIBILITY = re.compile(r"^\s*(?:Trách nhiệm|Nhiệm vụ)\s+(?:của|đối với)\s+", re.I)


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


class LeadFinding:
    """The lead-finding part of `_Parser`: heading and intro blocks, subjects, "Giao …"."""

    def heading_lead(self, body: str) -> _Lead | None:
        """A heading that names agencies: "1. Sở Nội vụ", "4. Trách nhiệm của các Sở, ..."."""
        text = _RESPONSIBILITY.sub("", body).strip(" :.")
        # "2.5. Giao Vụ TTHT" over its bullets: the heading gives the agencies the work.
        text = re.sub(r"^Giao\s+(?:cho\s+)?(?=\w)", "", text, flags=re.I)
        # "1.3. Các cơ quan tham mưu … (gồm các Sở: Xây dựng, Công Thương)": the list in
        # the parenthesis names the agencies a collective heading means.
        members = re.search(r"\((?:bao\s+)?gồm\s+([^()]+)\)$", text, re.I)
        if members:
            named = [p for p in split_agencies(members[1]) if not p.generic]
            if named:
                return _Lead(named)
        # "1.2. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo": the role after the dash
        # describes the agency the heading names.
        dash = re.search(r"\s+[-–]\s+(?=\w)", text)
        if dash and text[dash.end()].isupper():  # not "kinh tế - xã hội"
            text = text[: dash.start()]
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
        if not parts and (opener := _OPENER.match(body)):
            parts = leading_agencies(body[opener.end() :].strip())
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

    def subject_of(self, text: str) -> list[NamePart]:
        """The agencies a sentence is about: its subject, or the subject after a
        deadline-first adverbial ("Trước ngày 30/6/2023, Sở Nội vụ trình ...")."""
        parts = leading_agencies(_REQUEST.sub("", text, count=1))
        if parts:
            return parts
        opener = re.match(r"^([^,]{1,80}),\s*(\S.*)$", text)
        if opener and (select_deadline(opener[1] + ",", self.year) or _OPENER.match(text)):
            return leading_agencies(_REPORTING.sub("", opener[2], count=1))
        return []

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
