"""Turning an uploaded file into rows, or refusing it with a message people understand.

Sở Nội vụ trackers arrive as whatever Excel saved: CSV in UTF-8 (with or
without BOM), "Unicode text" (UTF-16, tab-separated), Windows-1258 (the
Vietnamese ANSI code page, with tone marks as combining characters), comma or
semicolon separated; or XLSX. This module reads all of them into a
`tablib.Dataset` of NFC text (or dates, for real Excel date cells) and refuses,
before anything is imported, what cannot be read faithfully: an empty file, a
file over the size limit (`planning.uploads.limits.spreadsheet()`, stated on
the upload page), a wrong encoding (VNI/TCVN3 legacy fonts), formulas, merged
cells. An .xlsx is inspected part by part first (`planning.uploads.archives`):
a workbook that unzips too far, or holds more rows or cells than stated, is
refused before openpyxl reads it, and openpyxl then reads it as a stream.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

import tablib
from openpyxl.utils.cell import column_index_from_string as column_index
from openpyxl.utils.cell import coordinate_from_string, get_column_letter

from planning.formatting import FORMULA_PREFIXES, format_number
from planning.uploads import limits as upload_limits
from planning.uploads.archives import ArchiveError, Count, open_archive, scan_parts

MAX_REPORTED = 20


class SheetError(ValueError):
    """The file as a whole cannot be imported; `messages` says why, in Vietnamese."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


def _too_many_rows(most: str) -> str:
    return f"Bảng tính có hơn {most} dòng, vượt quá giới hạn; hãy tách thành nhiều tệp nhỏ hơn."


def _too_many_cells(most: str) -> str:
    return (
        f"Bảng tính có hơn {most} ô dữ liệu, vượt quá giới hạn; hãy tách thành nhiều tệp nhỏ hơn."
    )


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


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    """The rows of a CSV file as read, refusing past the stated rows and cells."""
    text = decode_text(data)
    if not text.strip():
        raise SheetError("Tệp trống: không có dòng tiêu đề và không có dữ liệu.")
    first_line = text.lstrip().split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    limits = upload_limits.spreadsheet()
    rows = cells = 0
    try:
        for row in reader:
            rows += 1
            cells += len(row)
            if rows > limits.max_rows:
                raise SheetError(_too_many_rows(format_number(limits.max_rows)))
            if cells > limits.max_cells:
                raise SheetError(_too_many_cells(format_number(limits.max_cells)))
            yield row
    except csv.Error as exc:
        raise SheetError(f"Tệp CSV bị lỗi định dạng: {exc}.") from None


def read_csv(data: bytes) -> tablib.Dataset:
    rows = list(_csv_rows(data))
    found = [
        f"Dòng {number}, cột '{rows[0][i] if i < len(rows[0]) else i + 1}'"
        for number, row in enumerate(rows[1:], start=2)
        for i, cell in enumerate(row)
        if cell.lstrip().startswith("=")
    ]
    if found:
        raise SheetError(_formula_message(found))
    return _dataset(rows)


def inspect_xlsx(data: bytes) -> tuple[int, dict[str, list[str]]]:
    """(rows, merged ranges by worksheet part) of a workbook, read as a stream.

    Refuses (SheetError) a workbook that unzips too far, holds more rows,
    cells or shared strings than `limits.spreadsheet()` states, or places a
    row or a cell far beyond them: openpyxl fills the gap up to a row's last
    cell and the rows missing before a row's number, so a single cell at
    XFD1048576 would make it create seventeen billion.
    """
    limits = upload_limits.spreadsheet()
    merged: dict[str, list[str]] = {}

    def look(part: str, name: str, attributes: dict[str, str]) -> None:
        if name == "mergeCell":
            merged.setdefault(part, []).append(attributes.get("ref", ""))
        elif name == "row" and int(attributes.get("r") or 0) > limits.max_rows:
            raise ArchiveError(_too_many_rows(format_number(limits.max_rows)))
        elif name == "c" and attributes.get("r"):
            letters, _ = coordinate_from_string(attributes["r"])
            if column_index(letters) > upload_limits.MAX_COLUMNS:
                raise ArchiveError(
                    f"Bảng tính có ô {attributes['r']} nằm ngoài "
                    f"{upload_limits.MAX_COLUMNS} cột đầu tiên; hãy xóa các cột thừa "
                    "rồi lưu lại trước khi nhập."
                )

    try:
        archive = open_archive(data, max_inflated=limits.max_inflated)
        counts = scan_parts(
            archive,
            [
                Count("row", limits.max_rows, _too_many_rows("{most}")),
                Count("c", limits.max_cells, _too_many_cells("{most}")),
                Count("si", limits.max_cells, _too_many_cells("{most}")),
                Count(
                    "*",
                    limits.max_elements,
                    "Tệp Excel có cấu trúc bất thường (hơn {most} thành phần bên trong); "
                    "hệ thống không đọc tệp này.",
                ),
            ],
            on_element=look,
        )
    except ArchiveError as exc:
        raise SheetError(str(exc)) from None
    except ValueError:  # a cell or row address that is not one
        raise SheetError(_BROKEN_XLSX) from None
    return counts["row"], merged


_BROKEN_XLSX = "Không mở được tệp .xlsx: tệp bị hỏng hoặc không phải bảng tính."


def read_xlsx(data: bytes) -> tablib.Dataset:
    """The first sheet of a workbook, refusing formulas and merged cells.

    1. `inspect_xlsx` bounds what the file holds and finds its merged ranges
       (openpyxl's streaming reader does not expose them);
    2. openpyxl reads the sheet read-only (a stream), with the dimensions the
       file states ignored (they can lie either way) and no column beyond the
       ones `inspect_xlsx` allowed.
    """
    import openpyxl

    _, merged_by_part = inspect_xlsx(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
        raise SheetError(_BROKEN_XLSX) from None
    try:
        return _read_sheet(sheet, merged_by_part.get(sheet._worksheet_path.lstrip("/"), []))
    finally:
        workbook.close()


def _read_sheet(sheet, merged: list[str]) -> tablib.Dataset:
    if merged:
        in_header = [ref for ref in merged if ref[:1].isalpha() and _first_row(ref) == 1]
        where = "ô tiêu đề bị gộp" if in_header else "có ô bị gộp"
        raise SheetError(
            f"Bảng tính {where} ({', '.join(sorted(merged)[:MAX_REPORTED])}). Hãy bỏ gộp ô "
            "(Unmerge Cells) để mỗi cột có một tiêu đề và mỗi dòng đủ giá trị."
        )
    sheet.reset_dimensions()
    rows = [list(r) for r in sheet.iter_rows(max_col=upload_limits.MAX_COLUMNS)]
    header = [c.value for c in rows[0]] if rows else []
    found = [
        f"Dòng {cell.row}, cột '{header[cell.column - 1] or get_column_letter(cell.column)}'"
        if cell.column - 1 < len(header)
        else f"Ô {cell.coordinate}"
        for row in rows
        for cell in row
        if getattr(cell, "data_type", None) == "f"
    ]
    if found:
        raise SheetError(_formula_message(found))
    return _dataset([[c.value for c in row] for row in rows])


def _first_row(ref: str) -> int:
    return coordinate_from_string(ref.split(":")[0])[1]


def _kind(*, name: str, data: bytes) -> str:
    """ "xlsx" or "csv" by content first, then by name; SheetError for what is neither."""
    limit = upload_limits.spreadsheet().max_bytes
    if len(data) > limit:
        raise SheetError(upload_limits.too_big_message(len(data), limit))
    if not data.strip():
        raise SheetError("Tệp trống: không có dòng tiêu đề và không có dữ liệu.")
    lower = name.lower()
    if data.startswith(b"PK\x03\x04") or lower.endswith(".xlsx"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        raise SheetError("Định dạng .xls cũ không được hỗ trợ: hãy lưu lại dưới dạng .xlsx.")
    return "csv"


def inspect_upload(*, name: str, data: bytes) -> int:
    """At most how many rows the file holds, or SheetError: the checks that fit in a request.

    An .xlsx is streamed through `inspect_xlsx`, a CSV's rows are read and
    dropped (both bounded: they stop at the first limit passed). The
    caller decides from the count whether to read the rows now or in the queue.
    """
    if _kind(name=name, data=data) == "xlsx":
        rows, _ = inspect_xlsx(data)
        return rows
    return sum(1 for _ in _csv_rows(data))


def read_upload(*, name: str, data: bytes) -> tablib.Dataset:
    """The rows of an uploaded tracker, or SheetError with every reason to refuse it."""
    if _kind(name=name, data=data) == "xlsx":
        return read_xlsx(data)
    return read_csv(data)
