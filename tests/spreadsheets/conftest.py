"""Builders for tracker sheets, and an isolated cache for import jobs.

Who may do what here:
- `coordinator` (Sở Nội vụ): imports, previews, confirms, exports everything;
- `officer_stp` (Sở Tư pháp): exports only Sở Tư pháp's assignments, 404 on import;
- `viewer`: exports everything, 404 on import.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date

import pytest

from planning.spreadsheets.columns import COLUMNS
from tests.factories import make_plan


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    # The demo's accounts would otherwise spend seconds hashing passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    from django.core.cache import caches

    caches["default"].clear()


@pytest.fixture
def plan(db):
    """KH 5/KH-UBND of 2022, issued 10/01/2022."""
    return make_plan("5/KH-UBND", year=2022, issued_on=date(2022, 1, 10))


def row(**cells) -> dict:
    """A valid row of the tracker; keyword names are the column names without accents."""
    base = {
        "Kế hoạch": "5/KH-UBND",
        "Mục": "1.1",
        "Nhiệm vụ": "Rà soát thủ tục hành chính",
        "Cơ quan chủ trì": "Sở Tư pháp",
        "Cơ quan phối hợp": "",
        "Thời hạn": "tháng 7/2022",
        "Trạng thái": "Chưa thực hiện",
        "Ngày hoàn thành": "",
        "Văn bản kiểm chứng": "",
        "Ghi chú": "",
    }
    base.update(cells)
    return base


TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """As Excel saves "CSV" on a Vietnamese Windows: ế becomes ê + combining acute."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
            out.append((base + "".join(c for c in nfd if c in TONES)).encode("cp1258"))
    return b"".join(out)


def sheet_csv(rows, *, header=None, encoding="utf-8", delimiter=",") -> bytes:
    header = header or COLUMNS
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    if encoding == "cp1258":
        return encode_cp1258(buffer.getvalue())
    return buffer.getvalue().encode(encoding)


def sheet_xlsx(rows, *, header=None, tweak=None) -> bytes:
    from openpyxl import Workbook

    header = header or COLUMNS
    workbook = Workbook()
    ws = workbook.active
    ws.append(header)
    for r in rows:
        ws.append([r.get(h, "") for h in header])
    if tweak:
        tweak(ws)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
