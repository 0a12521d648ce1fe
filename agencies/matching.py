"""Resolving an agency name as a plan or a spreadsheet writes it.

Plans write the same agency many ways: "Văn phòng UBND Thành phố",
"VP UBND TP", "Sở TT&TT", "Sở Thông tin và Truyền thông", "Ủy ban nhân dân
quận Ba Đình". The parser and the spreadsheet import both resolve through
`AgencyDirectory`, so a name that one accepts the other accepts too.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from .models import Agency

# Abbreviations that stand for the same words, applied to diacritic-free,
# lower-case text token by token ("&" is kept inside tokens such as "tt&tt").
ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tp": "thanh pho",
    "tp.": "thanh pho",
    "vp": "van phong",
    "tt&tt": "thong tin va truyen thong",
    "tttt": "thong tin va truyen thong",
    "kh&dt": "ke hoach va dau tu",
    "khdt": "ke hoach va dau tu",
    "kh&cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
    "gd&dt": "giao duc va dao tao",
    "gddt": "giao duc va dao tao",
    "ldtb&xh": "lao dong thuong binh va xa hoi",
    "ldtbxh": "lao dong thuong binh va xa hoi",
    "tn&mt": "tai nguyen va moi truong",
    "tnmt": "tai nguyen va moi truong",
    "nn&ptnt": "nong nghiep va phat trien nong thon",
    "nnptnt": "nong nghiep va phat trien nong thon",
    "vh&tt": "van hoa va the thao",
    "vhtt": "van hoa va the thao",
    "gtvt": "giao thong van tai",
    "qh&kt": "quy hoach va kien truc",
    "qhkt": "quy hoach va kien truc",
    "ktxh": "kinh te xa hoi",
    "kt-xh": "kinh te xa hoi",
    "bql": "ban quan ly",
}

# Place names that are often appended to an agency's name without changing it.
TRAILING_PLACES = ("thanh pho ha noi", "tp ha noi", "ha noi", "hn")


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def normalize_agency_name(name: str) -> str:
    """A comparison key: "VP UBND TP" and "Văn phòng Ủy ban nhân dân Thành phố" agree."""
    folded = fold(name)
    folded = re.sub(r"\s*&\s*", "&", folded)
    folded = re.sub(r"[“”\"'()\[\],.:;]+", " ", folded.replace("tp.", "tp "))
    folded = folded.replace(" - ", " ").replace("-", " ")
    words = [ABBREVIATIONS.get(token, token) for token in folded.split()]
    return " ".join(" ".join(words).replace("&", " va ").split())


def _strip_place(key: str) -> str:
    for place in TRAILING_PLACES:
        if key.endswith(" " + place):
            return key[: -len(place) - 1]
    return key


class AgencyDirectory:
    """Every active agency indexed by every way of writing its name.

    Built with one query; `resolve()` then costs no query at all, so a parser
    or an import that resolves thousands of names stays at one query.
    """

    def __init__(self, agencies: Iterable[Agency] | None = None):
        if agencies is None:
            agencies = Agency.objects.all()
        self._by_key: dict[str, Agency] = {}
        self._by_code: dict[str, Agency] = {}
        for agency in agencies:
            self.add(agency)

    def add(self, agency: Agency) -> None:
        self._by_code[agency.code.lower()] = agency
        for spelling in [agency.name, agency.short_name, *agency.alias_list]:
            if spelling:
                key = normalize_agency_name(spelling)
                self._by_key.setdefault(key, agency)
                self._by_key.setdefault(_strip_place(key), agency)

    def resolve(self, name: str) -> Agency | None:
        """The agency this name means, or None when it is not known.

        1. an agency code written as is ("STP");
        2. the normalised name, short name or an alias;
        3. the same without a trailing place name ("Sở Tư pháp Hà Nội").
        """
        name = (name or "").strip()
        if not name:
            return None
        if name.lower() in self._by_code:
            return self._by_code[name.lower()]
        key = normalize_agency_name(name)
        return self._by_key.get(key) or self._by_key.get(_strip_place(key))

    def suggest(self, name: str, cutoff: float = 0.8) -> Agency | None:
        """The closest known agency for a name that did not resolve ("có phải …?")."""
        key = _strip_place(normalize_agency_name(name or ""))
        if not key:
            return None
        matches = difflib.get_close_matches(key, list(self._by_key), n=1, cutoff=cutoff)
        return self._by_key[matches[0]] if matches else None

    def __len__(self) -> int:
        return len(self._by_code)
