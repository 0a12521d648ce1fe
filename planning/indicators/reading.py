"""Reading a plan's appendix tables of indicators (PAR INDEX, SIPAS) from its text.

Plans publish their targets as tables whose rows arrive here as pipe rows
("1.1 | Thực hiện Kế hoạch CCHC | 1.5 | 1.5 | 1.5 | Sở Nội vụ |"). The tables
have faults that a careful reader notices and a naive one copies: a code typed
"2 2" for 2.2, decimal points and commas mixed, a merged lead cell left blank
under the row that names the lead, a group whose listed children do not add up
to it. Every fault this module repairs or finds is reported as a warning, never
fixed silently. Nothing here touches the database: `services.save_indicators`
stores what was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from planning.parsing.agencies import coordinating_agencies, fold, leading_agencies

from .numbers import format_score, read_number
from .prose import ProseTarget

PAR_INDEX = "par_index"
SIPAS = "sipas"
MEASURED = "measured"
TITLES = {
    PAR_INDEX: "Chỉ số cải cách hành chính (PAR INDEX)",
    SIPAS: "Chỉ số hài lòng (SIPAS)",
    MEASURED: "Chỉ tiêu đo lường của kế hoạch",
}
_TOTAL_NAMES = {"tong diem", "tong cong", "tong", "chi so chung"}
_SPACED_CODE = re.compile(r"^\d+(?:\s+\d+)+$")
_ROMAN = re.compile(r"^[IVXL]+$")
_DOTTED_CODE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,4}$")


@dataclass
class IndicatorWarning:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.line}: {self.message}" if self.line else self.message


@dataclass
class ReadIndicator:
    code: str
    name: str
    level: int
    line: int
    is_total: bool = False
    parent_code: str | None = None
    unit: str = "points"
    maximum: Decimal | None = None
    previous: Decimal | None = None
    comparison: str = "gte"
    target: Decimal | None = None
    lead_text: str = ""
    lead_inherited: bool = False
    following_text: str = ""
    following_inherited: bool = False
    following_names: list[str] = field(default_factory=list)
    written_lead: str = ""
    """The lead cell as written (blank when the row leaves it to the row above)."""


@dataclass
class ReadSet:
    kind: str
    title: str
    line: int
    indicators: list[ReadIndicator] = field(default_factory=list)


@dataclass
class ReadIndicators:
    sets: list[ReadSet] = field(default_factory=list)
    warnings: list[IndicatorWarning] = field(default_factory=list)


def _table_kind(line: str) -> str | None:
    if "|" not in line:
        return None
    folded = fold(line)
    if "diem toi da" in folded:
        return PAR_INDEX
    if "sipas" in folded and "tieu chi" in folded:
        return SIPAS
    return None


def _cells(line: str) -> list[str]:
    cells = [cell.strip() for cell in line.split("|")]
    if line.rstrip().endswith("|"):
        cells = cells[:-1]
    return cells


def _is_continuation(line: str) -> bool:
    """A line of nothing but pipes: the empty cells of the row above, wrapped."""
    return "|" in line and not line.replace("|", "").strip()


def read_indicators(text: str) -> ReadIndicators:
    """Every indicator table in `text`, with the warnings found on the way.

    1. find a table's header row (PAR INDEX: "Điểm tối đa"; SIPAS: "SIPAS" and "Tiêu chí");
    2. read its pipe rows until a line without pipes or the next table's header;
    3. per table: repair codes, read numbers, carry merged lead cells down,
       then check that every group's children add up to it.
    """
    result = ReadIndicators()
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        kind = _table_kind(lines[index])
        if kind is None:
            index += 1
            continue
        read_set = ReadSet(kind=kind, title=TITLES[kind], line=index + 1)
        rows: list[tuple[int, list[str]]] = []
        index += 1
        while index < len(lines) and "|" in lines[index] and _table_kind(lines[index]) is None:
            if not _is_continuation(lines[index]):
                rows.append((index + 1, _cells(lines[index])))
            index += 1
        reader = _ParReader if kind == PAR_INDEX else _SipasReader
        reader(read_set, result.warnings).read(rows)
        result.sets.append(read_set)
    return result


class _TableReader:
    """What both tables share: codes, names, numbers and the warnings about them."""

    number_columns: tuple[str, ...] = ()
    percent = False

    def __init__(self, read_set: ReadSet, warnings: list[IndicatorWarning]):
        self.set = read_set
        self.warnings = warnings
        self.comma_codes: list[str] = []
        self.point_codes: list[str] = []

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(IndicatorWarning(line, f"{self.set.title}: {message}"))

    def clean_code(self, line: int, code: str) -> str:
        code = code.strip().rstrip(".")
        if _SPACED_CODE.match(code):
            repaired = ".".join(code.split())
            self.warn(line, f"mã «{code}» được đọc là {repaired}.")
            code = repaired
        return code

    @staticmethod
    def clean_name(code: str, name: str) -> str:
        # "2.4.1 | 2.4.1. Tính đồng bộ ...": the code repeated inside the name.
        for prefix in (code + ". ", code + " "):
            if code and name.startswith(prefix):
                return name[len(prefix) :].strip()
        return name.strip()

    def numbers(self, line: int, code: str, cells: list[str], row: ReadIndicator) -> None:
        for column, cell in zip(self.number_columns, cells, strict=False):
            number = read_number(cell)
            if number.unreadable:
                self.warn(line, f"không đọc được số «{cell}» của {code or row.name}.")
                continue
            if number.value is not None and cell.strip():
                (self.comma_codes if number.comma else self.point_codes).append(code or row.name)
            setattr(row, column, number.value)
            if column == "target" and number.comparison:
                row.comparison = number.comparison

    def warn_mixed_separators(self) -> None:
        if self.comma_codes and self.point_codes:
            self.warn(
                self.set.line,
                "số thập phân ghi lẫn dấu chấm và dấu phẩy (dấu phẩy ở "
                f"{', '.join(self.comma_codes)}); đã đọc cả hai là dấu thập phân.",
            )


class _ParReader(_TableReader):
    """STT | Lĩnh vực/Tiêu chí | Điểm tối đa | Điểm năm trước | Mục tiêu | Chủ trì tham mưu."""

    number_columns = ("maximum", "previous", "target")

    def read(self, rows: list[tuple[int, list[str]]]) -> None:
        seen: set[str] = set()
        for line, cells in rows:
            cells = [*cells, "", "", "", "", ""]
            code = self.clean_code(line, cells[0])
            name = self.clean_name(code, cells[1])
            if not code and fold(name) in _TOTAL_NAMES:
                row = ReadIndicator(code="", name=name, level=0, line=line, is_total=True)
            elif not code:
                self.warn(line, f"dòng «{name[:60]}» không có mã số; bỏ qua.")
                continue
            elif not _DOTTED_CODE.match(code):
                self.warn(line, f"«{code[:60]}» không phải là mã tiêu chí; bỏ qua dòng này.")
                continue
            else:
                parts = code.split(".")
                parent = ".".join(parts[:-1]) or None
                if parent and parent not in seen:
                    self.warn(line, f"tiêu chí {code} không có mục {parent} ở trên.")
                    parent = None
                if code in seen:
                    self.warn(line, f"mã {code} lặp lại; bỏ qua dòng sau.")
                    continue
                seen.add(code)
                row = ReadIndicator(
                    code=code, name=name, level=len(parts), line=line, parent_code=parent
                )
            row.written_lead = cells[5].strip()
            self.numbers(line, code, cells[2:5], row)
            self.set.indicators.append(row)
        self.carry_leads()
        self.warn_mixed_separators()
        self.check_sums()

    def carry_leads(self) -> None:
        """A blank lead cell means the lead above continues (a merged cell, flattened).

        1. an area row without a lead starts afresh: its criteria name their own;
        2. a group without a lead whose first part names one is led by its parts;
        3. any other blank cell takes the last lead written above it in the area.
        """
        rows = self.set.indicators
        first_child = {}
        for row in rows:
            if row.parent_code and row.parent_code not in first_child:
                first_child[row.parent_code] = row
        carry = ""
        for row in rows:
            if row.is_total:
                continue
            if row.written_lead:
                row.lead_text = carry = row.written_lead
            elif row.level == 1:
                carry = ""
            elif row.code in first_child and first_child[row.code].written_lead:
                continue
            elif carry:
                row.lead_text, row.lead_inherited = carry, True
            else:
                self.warn(row.line, f"tiêu chí {row.code} không ghi cơ quan chủ trì.")

    def check_sums(self) -> None:
        """Each group's listed parts must add up to it, the areas to the total."""
        rows = self.set.indicators
        for parent in rows:
            if parent.is_total:
                parts = [r for r in rows if r.level == 1]
                label = "dòng tổng"
            else:
                parts = [r for r in rows if r.parent_code == parent.code]
                label = f"{'lĩnh vực' if parent.level == 1 else 'tiêu chí'} {parent.code}"
            if not parts:
                continue
            differences = []
            for column, column_label in (
                ("maximum", "điểm tối đa"),
                ("previous", "điểm năm trước"),
                ("target", "mục tiêu"),
            ):
                stated = getattr(parent, column)
                values = [getattr(r, column) for r in parts]
                if stated is None or None in values:
                    continue
                added = sum(values, Decimal(0))
                if added != stated:
                    differences.append(
                        f"{column_label} cộng lại {format_score(added)}, "
                        f"dòng ghi {format_score(stated)}"
                    )
            if differences:
                codes = ", ".join(r.code for r in parts)
                self.warn(
                    parent.line,
                    f"các mục được liệt kê của {label} ({codes}) không cộng lại bằng "
                    f"{label}: {'; '.join(differences)}. Đề nghị kiểm tra lại văn bản.",
                )


class _SipasReader(_TableReader):
    """TT | Tiêu chí | Kết quả năm trước | Mục tiêu | Chủ trì theo dõi | Đơn vị thực hiện."""

    number_columns = ("previous", "target")
    percent = True

    def read(self, rows: list[tuple[int, list[str]]]) -> None:
        group = ""
        lead = following = ""
        for line, cells in rows:
            cells = [*cells, "", "", "", ""]
            code = self.clean_code(line, cells[0])
            name = self.clean_name(code, cells[1])
            written_lead, written_following = cells[4].strip(), cells[5].strip()
            if not code and fold(name) in _TOTAL_NAMES:
                row = ReadIndicator(code="", name=name, level=0, line=line, is_total=True)
            elif _ROMAN.match(code):
                group, lead, following = code, "", ""
                row = ReadIndicator(code=code, name=name, level=1, line=line)
            elif code.isdigit() and group:
                row = ReadIndicator(
                    code=f"{group}.{code}", name=name, level=2, line=line, parent_code=group
                )
            else:
                self.warn(line, f"dòng «{name[:60]}» không thuộc nhóm nào; bỏ qua.")
                continue
            row.unit = "percent"
            self.numbers(line, row.code, cells[2:4], row)
            if written_lead.startswith(("-", "–", "+")) and not written_following:
                # A list of bodies in the lead column: the merged "thực hiện" cell, shifted.
                self.warn(
                    line,
                    f"{row.code}: cột chủ trì ghi danh sách đơn vị thực hiện "
                    f"(«{written_lead[:60]}»); đã coi là đơn vị thực hiện.",
                )
                written_following, written_lead = written_lead, ""
            row.written_lead = written_lead
            if not row.is_total:
                if written_lead:
                    lead = written_lead
                if written_following:
                    following = written_following
                row.lead_text, row.lead_inherited = lead, bool(lead) and not written_lead
                row.following_text = following
                row.following_inherited = bool(following) and not written_following
                row.following_names = following_names(following)
            self.set.indicators.append(row)
        self.warn_mixed_separators()


def following_names(text: str) -> list[str]:
    """The specific agencies named in a "đơn vị thực hiện" cell, as written.

    The cell is a bulleted list of sentences ("- Sở Nội vụ phối hợp với Văn phòng
    UBND Thành phố kiểm tra ..."): the subject and the partners of each, with
    collective phrases ("Các Sở, cơ quan tương đương Sở") left out.
    """
    names: list[str] = []
    for segment in re.split(r"(?:^|\s)[-–+]\s+", text):
        segment = segment.strip(" .;,")
        if not segment:
            continue
        parts = leading_agencies(segment) + coordinating_agencies(segment)[0]
        for part in parts:
            if not part.generic and part.text not in names:
                names.append(part.text)
    return names


def measured_set(targets: list[ProseTarget]) -> ReadSet | None:
    """The plan's own measured targets the coordinator kept on the review page
    (`prose.read_prose_targets`), as a set numbered 1, 2, … in text order."""
    if not targets:
        return None
    read_set = ReadSet(kind=MEASURED, title=TITLES[MEASURED], line=targets[0].line)
    for code, target in enumerate(targets, start=1):
        read_set.indicators.append(
            ReadIndicator(
                code=str(code),
                name=target.name,
                level=1,
                line=target.line,
                unit="percent",
                comparison=target.comparison,
                target=target.target,
            )
        )
    return read_set


def review_warnings(text: str) -> list[str]:
    """The indicator tables' warnings, for the plan review page beside the parser's."""
    return [str(w) for w in read_indicators(text).warnings]
