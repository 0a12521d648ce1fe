"""Reading agency names out of plan sentences, and fanning lists out.

Plans name agencies in lists that share a head word ("các Sở: Tài chính,
Thông tin và Truyền thông, Tư pháp" is three Sở), mix them with collective
phrases that name nobody in particular ("các sở, ban, ngành; UBND các quận,
huyện, thị xã"), and put them in front of a verb ("Văn phòng UBND Thành phố
phối hợp với ..."). This module turns such text into a list of names as
written; resolving a name against the registry is `AgencyDirectory`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agencies.matching import fold as _slow_fold

from .agency_words import CATEGORIES, HEAD_WORDS, NOT_AGENCY_STARTS, STOP_VERBS


def _build_fold_table() -> dict[int, str]:
    table = {}
    for code in range(0xC0, 0x1F00):
        ch = chr(code)
        folded = _slow_fold(ch)
        if folded != ch:
            table[code] = folded
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """`agencies.matching.fold` for NFC text, by table (the parser folds every line)."""
    return " ".join(text.translate(_FOLD_TABLE).lower().split())


_STOP_RE = re.compile(
    r"\s(?:" + "|".join(re.escape(v) for v in sorted(STOP_VERBS, key=len, reverse=True)) + r")\b"
)
_UBND_PREFIX = re.compile(r"^(?:ubnd|uy ban nhan dan|thu truong)\s+", re.I)
_LEVEL_ONLY = re.compile(r"^(?:ubnd|uy ban nhan dan|chu tich ubnd)\s+(?:cap|cac cap)\b")
_COLLECTIVE_START = re.compile(r"^(?:cac|nhung|moi|toan bo|tat ca)\s+")


@dataclass(frozen=True)
class NamePart:
    """One name read from a list: a specific agency, or a collective phrase."""

    text: str
    generic: bool = False


_PREFIX_RES: dict[tuple[str, ...], re.Pattern] = {}


def _starts_with(folded: str, words: tuple[str, ...]) -> str | None:
    pattern = _PREFIX_RES.get(words)
    if pattern is None:
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        pattern = _PREFIX_RES[words] = re.compile(rf"(?:{alternatives})(?=[ :]|$)")
    match = pattern.match(folded)
    return match.group(0) if match else None


def looks_like_agency(text: str) -> bool:
    """Whether `text` starts the way an agency's name starts ("Sở ...", "UBND ...")."""
    folded = fold(text[:60]).lstrip("-–•+* ")
    if not folded or _starts_with(folded, NOT_AGENCY_STARTS):
        return False
    head = _starts_with(folded, HEAD_WORDS)
    if head is None:
        return False
    rest = text.strip().lstrip("-–•+* ").split()[len(head.split()) :]
    # "Sở Tư pháp" but not "sở, ban, ngành"; "huyện Sóc Sơn" but not "huyện, thị xã".
    return bool(rest) and (
        rest[0][:1].isupper()
        or rest[0][:1].isdigit()
        or head in ("ubnd", "uy ban nhan dan")  # "UBND các huyện" as written out in full
        or fold(rest[0]) in {"tinh", "thanh", "huyen", "quan", "thi", "xa", "phuong"}
    )


def _category(folded_words: list[str]) -> int:
    """How many words of `folded_words` form a category noun (0 when none)."""
    found = _starts_with(" ".join(folded_words[:4]), CATEGORIES)
    return len(found.split()) if found else 0


def _clean(segment: str) -> str:
    segment = re.sub(r"\[\d+\]", "", segment)
    segment = segment.strip(" \t-–•+*.:;,()")
    segment = re.sub(r"\s+(?:có liên quan|liên quan)$", "", segment)
    return " ".join(segment.split())


# Official names that hold a comma ("Bộ Văn hóa, Thể thao và Du lịch"): not a list.
# Names with a comma of their own: "Văn hóa, Thể thao và Du lịch", "Vụ Kế hoạch, Tài chính".
_COMMA_IN_NAME = re.compile(
    r"\b(Văn\s+h(?:óa|oá)|Kế\s+hoạch),(\s*(?:Thể\s+thao|Tài\s+chính)\b)", re.I
)
# "các Cục: Bản quyền tác giả; Xuất bản, In và Phát hành; Báo chí": a group list that
# separates its names by semicolons keeps the commas inside them.
_SEMICOLON_GROUP = re.compile(r"\bcác\s+\w+\s*:[^.:]*;[^.:]*", re.I)
_KEPT_COMMA = "\u2063"  # invisible separator standing in for the name's comma while splitting


def _split_segments(text: str) -> list[str]:
    """Split on commas and semicolons, and on "và" only before a new agency."""
    parts: list[str] = []
    pieces: list[str] = []
    text = _COMMA_IN_NAME.sub(rf"\1{_KEPT_COMMA}\2", text)
    text = _SEMICOLON_GROUP.sub(lambda m: m[0].replace(",", _KEPT_COMMA), text)
    for comma_piece in re.split(r"[,;]|\s\+\s|\.\s+(?=[A-ZĐ])", text):
        dash_pieces = re.split(r"\s[-–]\s", comma_piece)
        pieces.append(dash_pieces[0])
        for dash_piece in dash_pieces[1:]:
            if looks_like_agency(dash_piece) or fold(dash_piece).startswith("cac "):
                pieces.append(dash_piece)
            else:
                pieces[-1] = f"{pieces[-1]} - {dash_piece}"
    for piece in pieces:
        chunks = re.split(r"\s+(?:và|cùng)\s+(?=\S)", piece)
        buffer = chunks[0]
        for chunk in chunks[1:]:
            if looks_like_agency(chunk) or fold(chunk).startswith("cac "):
                parts.append(buffer)
                buffer = chunk
            else:
                buffer = f"{buffer} và {chunk}"
        parts.append(buffer)
    return [p.replace(_KEPT_COMMA, ",") for p in (_clean(p) for p in parts) if p]


# An acronym that names a body ("VTV", "TTXVN", "EVN"); not a roman numeral, and not the
# abbreviations of plans' subjects and papers ("TTHC", "NSNN", "CSDL", "KH", "QĐ").
_ACRONYM = re.compile(
    r"(?![IVXLC]+$)(?!(?:TTHC|CCHC|NSNN|CNTT|CSDL|DVC|VBQPPL|QPPL|KTXH|STT|TT|GDP|NQ|QĐ|KH|CT"
    r"|TB|CV|CĐ)$)[A-ZĐ]{2,8}"
)


def split_agencies(text: str) -> list[NamePart]:
    """The agencies a list names, fanned out, in order.

    1. "các Sở: Tài chính, Tư pháp" and "các huyện A, B" set a group prefix
       ("Sở", "huyện") that the following bare names take;
    2. a collective phrase naming nobody ("các sở, ban, ngành", "UBND các
       quận, huyện, thị xã") becomes one generic part, and bare category
       words after it ("ban", "thị xã") are swallowed;
    3. anything else that starts like an agency is kept as written; words
       that are not a name at all are dropped.
    """
    parts: list[NamePart] = []
    prefix = ""  # group head ("Sở", "UBND huyện") the following bare names take
    generic_run = False
    for raw in _split_segments(text):
        # "Thường trực Ban Bí thư, Chủ tịch Ủy ban Trung ương …": each member may be addressed
        # by its head's title, like the first.
        segment = _LEADER_TITLE.sub("", raw) if parts else raw
        # "các Sở: Tài chính" -> group "các Sở", first name "Tài chính".
        if ":" in segment:
            group, _, first = segment.partition(":")
            new_prefix = _group_prefix(group.strip())
            if new_prefix is not None:
                prefix, generic_run = new_prefix, False
                segment = first.strip()
                if not segment:
                    continue
            else:
                segment = group.strip()
        folded = fold(segment)
        ubnd = _UBND_PREFIX.match(folded)
        inner_words = segment.split()[len(ubnd.group(0).split()) :] if ubnd else segment.split()
        inner_folded = fold(" ".join(inner_words))
        collective = _COLLECTIVE_START.match(inner_folded)
        if collective:
            words = inner_words[len(collective.group(0).split()) :]
            cat_len = _category([fold(w) for w in words])
            names = words[cat_len:]
            if cat_len and names and names[0][:1].isupper():
                head = " ".join(words[:cat_len])
                prefix = (
                    f"{' '.join(segment.split()[: len(ubnd.group(0).split())])} {head}"
                    if ubnd
                    else head
                ).strip()
                parts.append(NamePart(f"{prefix} {' '.join(names)}"))
                generic_run = False
            else:
                parts.append(NamePart(segment, generic=True))
                generic_run = True
                prefix = ""
            continue
        if _LEVEL_ONLY.match(folded):
            parts.append(NamePart(segment, generic=True))  # "UBND cấp huyện", "UBND các cấp"
            generic_run, prefix = True, ""
            continue
        if looks_like_agency(segment) or _ACRONYM.fullmatch(segment):
            # an acronym alone in a list names a body: "VTV, VOV, TTXVN, các địa phương"
            parts.append(NamePart(segment))
            generic_run = False
            prefix = ""
            continue
        cat_len = _category(fold(segment).split())
        if generic_run and cat_len == len(segment.split()):
            # "ban", "ngành", "thị xã" continuing "các sở, ...": part of the same phrase.
            parts[-1] = NamePart(f"{parts[-1].text}, {segment}", generic=True)
            continue
        if prefix and segment[:1].isupper():
            # "các tỉnh: Đắk Lắk, Gia Lai và Lâm Đồng": "và" joins two names of the group.
            # Only places: "các Sở: Kế hoạch và Đầu tư" is one Sở.
            place = re.search(r"\b(?:tỉnh|huyện|xã|quận|phường|thành phố|thị xã)$", prefix, re.I)
            names = re.split(r"\s+và\s+(?=[A-ZĐ])", segment) if place else [segment]
            for name in names:
                parts.append(NamePart(f"{prefix} {name}"))
            continue
        if cat_len and cat_len < len(segment.split()) and segment.split()[cat_len][:1].isupper():
            parts.append(NamePart(segment))  # "huyện Đông Anh"
            continue
    return parts


def _group_prefix(group: str) -> str | None:
    """ "các Sở" -> "Sở"; "UBND các huyện" -> "UBND huyện"; None when not a group."""
    folded = fold(group)
    ubnd = _UBND_PREFIX.match(folded)
    words = group.split()
    lead = words[: len(ubnd.group(0).split())] if ubnd else []
    rest = words[len(lead) :]
    collective = _COLLECTIVE_START.match(fold(" ".join(rest)))
    if not collective:
        return None
    rest = rest[len(collective.group(0).split()) :]
    cat_len = _category([fold(w) for w in rest])
    if not cat_len or cat_len != len(rest):
        return None
    return " ".join([*lead, *rest]).strip()


def subject_phrase(text: str, *, colon: bool = True) -> str:
    """The words in front of the first verb: "Sở Nội vụ chủ trì, ..." -> "Sở Nội vụ".

    With colon=False a colon does not end the phrase ("các Sở: Tài chính, Tư pháp").
    """
    cut = len(text)
    for pattern in (_STOP_RE, re.compile(r"[:(]" if colon else r"\(")):
        match = pattern.search(text)
        if match:
            cut = min(cut, match.start())
    return text[:cut].strip(" ,;")


# "Giám đốc Sở Nội vụ", "Chủ tịch UBND các huyện", "Chánh Văn phòng UBND tỉnh": a
# directive addresses the head; the assignment goes to the agency.
_LEADER_TITLE = re.compile(
    r"^(?:Đồng\s+chí\s+)?(?:Bí\s+thư\s+(?:tỉnh|thành)\s+ủy\s+và\s+)?(?:Phó\s+)?"
    r"(?:Giám\s+đốc|Chủ\s+tịch|Thủ\s+trưởng|Chánh|Trưởng|Chỉ\s+huy\s+trưởng|"
    r"Người\s+đứng\s+đầu|Bộ\s+trưởng|Cục\s+trưởng|Vụ\s+trưởng|Thống\s+đốc)"
    r"\s+(?=(?:các\s+)?[A-ZĐÁÀẢÃẠÂĂÉÈÊÍÌÓÒÔƠÚÙƯÝỦỦ])"
)


def leading_agencies(text: str) -> list[NamePart]:
    """The agencies that are the subject of a sentence, or [] when it has none.

    "Sở Tư pháp, Sở Nội vụ chủ trì ..." -> both; "Thành phố ..." -> [].
    """
    stripped = _LEADER_TITLE.sub("", text.strip())
    if not stripped:
        return []
    folded = fold(stripped)
    starts_collective = bool(_COLLECTIVE_START.match(folded)) or bool(
        _UBND_PREFIX.match(folded) and _COLLECTIVE_START.match(_UBND_PREFIX.sub("", folded))
    )
    if not (looks_like_agency(stripped) or starts_collective):
        return []
    phrase = subject_phrase(stripped, colon=False)
    if ":" in phrase and not re.search(r"\bcác\s+\w+\s*:", phrase, re.I):
        phrase = subject_phrase(stripped)  # "Sở Nội vụ: tổng hợp ..." (not "các Sở: A, B")
        if stripped != text.strip() and re.match(r"\s*:\s*\S", stripped[len(phrase) :]):
            return []  # "Bộ trưởng Bộ Nội vụ: Dự kiến …": a person speaking, not a lead
    return split_agencies(phrase)


_COORD_RE = re.compile(r"\bphối\s+hợp\s+(?:chặt\s+chẽ\s+)?(?:với|cùng)\s+(.+)", re.I)


def coordinating_agencies(text: str) -> tuple[list[NamePart], str]:
    """The agencies after "phối hợp với", and that phrase as written."""
    match = _COORD_RE.search(text)
    if not match:
        return [], ""
    tail = match.group(1)
    tail = re.split(r"[:(]|\s[-–]\s(?![A-ZĐ])", tail, maxsplit=1)[0]
    phrase = _cut_at_verb(tail)
    return split_agencies(phrase), phrase


_ONE_WORD_VERBS = frozenset(v for v in STOP_VERBS if " " not in v)
# Compared against two words at a time, so a set lookup gives what a scan would.
_TWO_WORD_VERBS = frozenset(v for v in STOP_VERBS if len(v.split()) == 2)


def _cut_at_verb(text: str) -> str:
    """Agencies after "phối hợp với" run until the first verb that is not "và"."""
    words = text.split()
    out: list[str] = []
    for index, word in enumerate(words):
        lower = word.lower().strip(",;")
        two = " ".join(w.lower() for w in words[index : index + 2])
        if out and (two in _TWO_WORD_VERBS or (lower in _ONE_WORD_VERBS and word[:1].islower())):
            break
        out.append(word)
    return " ".join(out).strip(" ,;.")


# "(Cơ quan chủ trì: Văn phòng UBND tỉnh; cơ quan phối hợp: Sở Tư pháp; thời gian: Quý II)":
# a task that names its agencies with labels instead of as the sentence's subject.
# The label must open a clause, so "Sở Tư pháp chủ trì: ..." (a subject) is not read as one.
_LABEL_START = r"(?:^|[(;,.\-–]\s*)"
_LABELLED_LEAD = re.compile(
    _LABEL_START + r"(?:(?:cơ\s+quan|đơn\s+vị)\s+)?(?:chủ\s+trì|thực\s+hiện)\s*:\s*([^;()]+)",
    re.I,
)
_LABELLED_COORD = re.compile(
    _LABEL_START + r"(?:(?:cơ\s+quan|đơn\s+vị)\s+)?phối\s+hợp\s*:\s*([^;()]+)", re.I
)


def labelled_agencies(text: str) -> tuple[list[NamePart], list[NamePart], str]:
    """Lead and coordinating agencies named by labels, and the coordination as written."""
    lead = _LABELLED_LEAD.search(text)
    if not lead:
        return [], [], ""
    leads = split_agencies(lead.group(1).strip(" ,.;"))
    coord = _LABELLED_COORD.search(text)
    phrase = coord.group(1).strip(" ,.;") if coord else ""
    return leads, split_agencies(phrase) if phrase else [], phrase
