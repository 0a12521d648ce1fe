"""Turning an uploaded file into rows, or refusing it with a message people understand.

Sở Nội vụ trackers arrive as whatever Excel saved: CSV in UTF-8 (with or
without BOM), "Unicode text" (UTF-16, tab-separated), Windows-1258 (the
Vietnamese ANSI code page, with tone marks as combining characters), comma or
semicolon separated; or XLSX. This module reads all of them into a
`tablib.Dataset` of NFC text (or dates, for real Excel date cells) and refuses,
before anything is imported, what cannot be read faithfully: an empty file, a
file over the size limit, a wrong encoding (VNI/TCVN3 legacy fonts), formulas,
merged cells.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from datetime import date, datetime

import tablib
from django.conf import settings

from planning.formatting import FORMULA_PREFIXES

# 5 MB holds about 30,000 tracker rows; larger files are almost always a wrong export.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REPORTED = 20


def max_bytes() -> int:
    return getattr(settings, "SPREADSHEET_MAX_BYTES", DEFAULT_MAX_BYTES)


class SheetError(ValueError):
    """The file as a whole cannot be imported; `messages` says why, in Vietnamese."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB".replace(".", ",")


# --- Encodings ------------------------------------------------------------------
# Characters a Vietnamese text may hold beyond ASCII: every letter with every tone
# mark, đ, and the typographic punctuation Word and Excel put in. A Windows-1258
# reading that yields anything else ("Keá hoaïch") is a legacy VNI/TCVN3 file.
_VOWELS = "aăâeêioôơuưy"
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
_VIETNAMESE = {
    unicodedata.normalize("NFC", v + t) for v in _VOWELS + _VOWELS.upper() for t in _TONES
} | set("đĐ“”‘’–—…•°²³«»\u00a0€§±×÷·")


def _looks_vietnamese(text: str) -> bool:
    return all(ch.isascii() or ch in _VIETNAMESE for ch in text)


def decode_text(data: bytes) -> str:
    """Bytes → NFC text.

    1. a BOM decides: UTF-8 or UTF-16 (Excel's "Unicode text");
    2. otherwise UTF-8 if it decodes strictly;
    3. otherwise Windows-1258, accepted only when every character read is one
       Vietnamese uses; a VNI or TCVN3 file decodes to nonsense letters and is
       refused rather than imported as garbage.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SheetError(_ENCODING_MESSAGE) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError:
                raise SheetError(_ENCODING_MESSAGE) from None
            text = unicodedata.normalize("NFC", text)
            if not _looks_vietnamese(text):
                raise SheetError(_ENCODING_MESSAGE) from None
    if "\x00" in text:
        raise SheetError(_ENCODING_MESSAGE)
    return unicodedata.normalize("NFC", text)


_ENCODING_MESSAGE = (
    "Không đọc được bảng mã của tệp (có thể là bảng mã cũ VNI hoặc TCVN3). "
    "Hãy mở tệp bằng Excel và lưu lại dưới dạng “CSV UTF-8 (Comma delimited)” hoặc .xlsx."
)


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


# --- Cells ----------------------------------------------------------------------


def clean_cell(value):
    """One cell as the import sees it: NFC text without surrounding spaces, or a date.

    Numbers become text ("2", "1.1") because every column is text or a date;
    a leading apostrophe that our export put before = + - @ is removed again,
    so export → import is exact.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else repr(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text


def _blank(row) -> bool:
    return all(cell in ("", None) for cell in row)


def _is_comment(row) -> bool:
    """Template help lines ("# Kế hoạch: …") are skipped."""
    return bool(row) and isinstance(row[0], str) and row[0].startswith("#")


def _dataset(rows: list[list]) -> tablib.Dataset:
    """Header + rows → Dataset; refuses a sheet without data rows."""
    rows = [[clean_cell(c) for c in row] for row in rows]
    while rows and _blank(rows[0]):
        rows.pop(0)
    if not rows:
        raise SheetError("Tệp trống: không có dòng tiêu đề và không có dữ liệu.")
    header = rows[0]
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    body = []
    for number, row in enumerate(rows[1:], start=2):
        if _blank(row) or _is_comment(row):
            continue
        if any(cell not in ("", None) for cell in row[width:]):
            raise SheetError(f"Dòng {number} có dữ liệu nằm ngoài các cột có tiêu đề.")
        row = (row + [""] * width)[:width]
        body.append((number, row))
    if not body:
        raise SheetError("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
    dataset = tablib.Dataset(headers=[str(h) for h in header])
    for _, row in body:
        dataset.append(row)
    # Where each data row sits in the file, for "Dòng 14" messages.
    dataset.line_numbers = [number for number, _ in body]
    return dataset


def _formula_message(found: list[str]) -> str:
    shown = "; ".join(found[:MAX_REPORTED])
    more = f" và {len(found) - MAX_REPORTED} ô khác" if len(found) > MAX_REPORTED else ""
    return (
        f"Bảng tính có công thức ({shown}{more}). Hãy sao chép và dán giá trị "
        "(Paste Values) rồi lưu lại trước khi nhập."
    )


# --- Formats --------------------------------------------------------------------


def read_csv(data: bytes) -> tablib.Dataset:
    text = decode_text(data)
    if not text.strip():
        raise SheetError("Tệp trống: không có dòng tiêu đề và không có dữ liệu.")
    first_line = text.lstrip().split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise SheetError(f"Tệp CSV bị lỗi định dạng: {exc}.") from None
    found = [
        f"Dòng {number}, cột '{rows[0][i] if i < len(rows[0]) else i + 1}'"
        for number, row in enumerate(rows[1:], start=2)
        for i, cell in enumerate(row)
        if cell.lstrip().startswith("=")
    ]
    if found:
        raise SheetError(_formula_message(found))
    return _dataset(rows)


def read_xlsx(data: bytes) -> tablib.Dataset:
    """The first sheet of a workbook, refusing formulas and merged cells.

    Not opened read-only: only the full reader exposes merged ranges.
    """
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise SheetError(
            "Không mở được tệp .xlsx: tệp bị hỏng hoặc không phải bảng tính."
        ) from None
    sheet = workbook.worksheets[0]
    merged = sorted(str(r) for r in sheet.merged_cells.ranges)
    if merged:
        in_header = [r for r in sheet.merged_cells.ranges if r.min_row == 1]
        where = "ô tiêu đề bị gộp" if in_header else "có ô bị gộp"
        raise SheetError(
            f"Bảng tính {where} ({', '.join(merged[:MAX_REPORTED])}). Hãy bỏ gộp ô "
            "(Unmerge Cells) để mỗi cột có một tiêu đề và mỗi dòng đủ giá trị."
        )
    rows = [list(r) for r in sheet.iter_rows(values_only=False)]
    header = [c.value for c in rows[0]] if rows else []
    found = [
        f"Dòng {cell.row}, cột '{header[cell.column - 1] or cell.column_letter}'"
        if cell.column - 1 < len(header)
        else f"Ô {cell.coordinate}"
        for row in rows
        for cell in row
        if cell.data_type == "f"
    ]
    if found:
        raise SheetError(_formula_message(found))
    return _dataset([[c.value for c in row] for row in rows])


def read_upload(*, name: str, data: bytes) -> tablib.Dataset:
    """The rows of an uploaded tracker, or SheetError with every reason to refuse it."""
    limit = max_bytes()
    if len(data) > limit:
        raise SheetError(
            f"Tệp quá lớn ({_megabytes(len(data))}); giới hạn là {_megabytes(limit)}. "
            "Hãy tách thành nhiều tệp nhỏ hơn."
        )
    if not data.strip():
        raise SheetError("Tệp trống: không có dòng tiêu đề và không có dữ liệu.")
    lower = name.lower()
    if data.startswith(b"PK\x03\x04") or lower.endswith(".xlsx"):
        return read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        raise SheetError("Định dạng .xls cũ không được hỗ trợ: hãy lưu lại dưới dạng .xlsx.")
    return read_csv(data)
