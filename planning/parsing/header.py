"""The head of a plan: number, place and date, title, issuing body, signer.

Word lays the head out as a two-column table ("ỦY BAN NHÂN DÂN | CỘNG HÒA ...",
"Số: 192/KH-UBND | Hà Nội, ngày 08 tháng 7 năm 2022"); exported to text the
cells become pipes or separate lines, and the date may wrap ("ngày 08 tháng 7"
/ "năm 2022"). So the head is read from the first lines joined together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

HEAD_LINES = 60

_NUMBER = re.compile(r"\bSố\s*(?:hiệu)?\s*[:.]?\s*(\d{1,6}[\w.\-]*/[\wĐđ.\-/]*[A-ZĐ][\wĐđ.\-/]*)")
_NUMBER_IN_TITLE = re.compile(
    r"\b(?:Kế hoạch|Chỉ thị|Quyết định|Chương trình|Kết luận|Công văn)\s+(?:số\s+)?"
    r"(\d{1,6}/[\wĐđ.\-]*[A-ZĐ][\wĐđ.\-]*)",
    re.I,
)
_PLACE_DATE = re.compile(
    r"(?P<place>(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*\s+){0,3}[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*)\s*,\s*ngày\s+(?P<d>\d{1,2})"
    r"\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>(?:19|20)\d{2})"
)
_KIND_LINE = re.compile(
    r"^\s*(KẾ HOẠCH|CHỈ THỊ|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|KẾT LUẬN|THÔNG BÁO|CÔNG VĂN)\b\s*(.*)$"
)
_META_TITLE = re.compile(
    r"^\s*(?:Kế hoạch|Chỉ thị|Quyết định|Chương trình)\s+(?:số\s+)?\d{1,6}/\S+\s+(?:về\s+)?(.+)$",
    re.I,
)
_SIGNER_META = re.compile(r"^\s*[-•]?\s*Người ký\s*:\s*(.+?)\s*$", re.I)
_SIGN_MARK = re.compile(
    r"\b(?:TM\.|KT\.|Q\.|CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|BỘ TRƯỞNG|THỦ TRƯỞNG)", re.U
)
_ROLE_WORDS = re.compile(
    r"CHỦ TỊCH|ỦY BAN|UỶ BAN|GIÁM ĐỐC|TRƯỞNG|Nơi nhận|TM\.|KT\.|\d|:|/|NHÂN DÂN", re.I
)


_STRUCTURE = re.compile(
    r"^(?:[IVX]+\s*[.:]|\d+(?:\.\d+)*\s*[.)]|[a-zđ]\)|[-–•+*])\s|^(?:Căn cứ|Thực hiện)\b"
)


@dataclass
class PlanHeader:
    number: str = ""
    title: str = ""
    place: str = ""
    issued_on: date | None = None
    issuing_body: str = ""
    signer: str = ""
    year: int | None = None


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("|") if c.strip()]


def _place(words: str) -> str:
    kept: list[str] = []
    for word in reversed(words.split()):
        if not word[:1].isupper() or (word.isupper() and len(word) > 3 and kept):
            break
        kept.insert(0, word)
    return " ".join(kept)


def _title(lines: list[str], start: int) -> str:
    """The words after "KẾ HOẠCH": upper-case lines and a "Về việc ..." line."""
    match = _KIND_LINE.match(lines[start])
    parts = [match.group(2).strip()] if match and match.group(2).strip() else []
    for line in lines[start + 1 : start + 8]:
        text = " | ".join(_cells(line)) if "|" in line else line.strip()
        if not text:
            if parts:
                break
            continue
        if _STRUCTURE.match(text):
            break  # "III. NHIỆM VỤ CỤ THỂ", "1. Mục đích", "- ...": the body has begun
        letters = [ch for ch in text if ch.isalpha()]
        upper = letters and sum(ch.isupper() for ch in letters) / len(letters) > 0.7
        first = not parts and not re.match(r"^(?:Căn cứ|Thực hiện|Để|[IVX]+\.|\d+\.)", text)
        if upper or first or re.match(r"^(?:Về|V/v)\b", text, re.I):
            parts.append(text)
            continue
        break
    return " ".join(parts).strip(" -–")


def parse_header(lines: list[str]) -> PlanHeader:
    """Read what the first lines (and the signature at the end) say about the plan."""
    header = PlanHeader()
    head = lines[:HEAD_LINES]
    joined = " ".join(" ".join(_cells(line)) if "|" in line else line.strip() for line in head)
    match = _NUMBER.search(joined)
    if match:
        header.number = match.group(1).rstrip(".,")
    match = _PLACE_DATE.search(joined)
    if match:
        try:
            header.issued_on = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            header.issued_on = None
        header.place = _place(match["place"])
    # The issuing body: the left cells above the number ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI").
    body: list[str] = []
    for line in head:
        if _NUMBER.search(line) or ("CỘNG HÒA" in line.upper() and "|" not in line):
            break
        first = _cells(line)[0] if _cells(line) else ""
        if first and first.isupper() and "CỘNG HÒA" not in first and "ĐỘC LẬP" not in first:
            body.append(first.strip("-– "))
        if len(body) >= 3:
            break
    header.issuing_body = " ".join(body)
    for index, line in enumerate(lines[:120]):
        if _KIND_LINE.match(line) and "|" not in line:
            header.title = _title(lines, index)
            if header.title:
                break
    if not header.title or not header.number:
        for line in lines:
            meta = _META_TITLE.match(line)
            if meta and "|" not in line:
                if not header.title:
                    text = meta.group(1).strip()
                    header.title = text[:1].upper() + text[1:]
                if not header.number:
                    found = _NUMBER_IN_TITLE.search(line)
                    header.number = found.group(1) if found else ""
                break
    kind_line = next(
        (i for i, line in enumerate(lines[:HEAD_LINES]) if _KIND_LINE.match(line)), None
    )
    header.signer = _signer(lines, after=kind_line if kind_line is not None else 5)
    header.year = header.issued_on.year if header.issued_on else None
    return header


def _signer(lines: list[str], *, after: int = 5) -> str:
    """The name under the signature ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / ... / Lê Hồng Sơn").

    Only marks below the head count: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH" heading a
    directive is its issuer, not its signature.
    """
    for line in lines:
        match = _SIGNER_META.match(line)
        if match:
            return match.group(1)
    for index in range(len(lines) - 1, after, -1):
        if not _SIGN_MARK.search(lines[index]):
            continue
        for candidate in lines[index + 1 : index + 8]:
            for cell in _cells(candidate) if "|" in candidate else [candidate.strip()]:
                words = cell.split()
                if (
                    2 <= len(words) <= 5
                    and all(w[:1].isupper() for w in words)
                    and not _ROLE_WORDS.search(cell)
                    and not _KIND_LINE.match(cell)
                ):
                    return cell.title() if cell.isupper() else cell
        break
    return ""
