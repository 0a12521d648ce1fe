"""Hostile office files, built at test time: small on disk, huge once unzipped or parsed.

Each starts from a real document saved by python-docx or openpyxl, so that
everything but the hostile part is what the libraries expect, and writes the
hostile part as a stream (the test process never holds it whole).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
S = f'xmlns="{SHEET_NS}"'


def _base_docx() -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH Cải cách hành chính năm 2022")
    document.save(buffer)
    return buffer.getvalue()


def _base_xlsx() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["Kế hoạch", "Nhiệm vụ"])
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(base: bytes, replace: dict[str, Iterable[bytes]], add=()) -> bytes:
    """`base` with the parts in `replace` written from their chunks, and `add`ed parts."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            if item.filename in replace:
                with target.open(item.filename, "w", force_zip64=True) as stream:
                    for chunk in replace[item.filename]:
                        stream.write(chunk)
            else:
                target.writestr(item, source.read(item.filename))
        for name, data in add:
            target.writestr(name, data)
    return out.getvalue()


def _repeat(head: bytes, unit: bytes, times: int, tail: bytes, per_chunk: int = 50_000):
    yield head
    while times > 0:
        n = min(times, per_chunk)
        yield unit * n
        times -= n
    yield tail


def docx_paragraphs(paragraphs: int = 2_000_000) -> bytes:
    """A .docx of `paragraphs` one-letter paragraphs (two million: ~70 MB of XML, ~200 KB)."""
    body = _repeat(
        f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><w:document {W}><w:body>".encode(),
        b"<w:p><w:r><w:t>a</w:t></w:r></w:p>",
        paragraphs,
        b"</w:body></w:document>",
    )
    return _rewrite(_base_docx(), {"word/document.xml": body})


def xlsx_cells(rows: int = 300_000, columns: int = 20) -> bytes:
    """A workbook of rows × columns numeric cells (six million: ~100 MB of XML, ~1 MB)."""
    row = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
    sheet = _repeat(
        f"<?xml version='1.0' encoding='UTF-8'?><worksheet {S}><sheetData>".encode(),
        row,
        rows,
        b"</sheetData></worksheet>",
        per_chunk=5_000,
    )
    return _rewrite(_base_xlsx(), {"xl/worksheets/sheet1.xml": sheet})


def xlsx_sheet(sheet_data: str) -> bytes:
    """A workbook whose first sheet's <sheetData> is `sheet_data`."""
    sheet = (
        f"<?xml version='1.0' encoding='UTF-8'?><worksheet {S}>"
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    return _rewrite(_base_xlsx(), {"xl/worksheets/sheet1.xml": [sheet.encode()]})


def docx_with(*parts: tuple[str, bytes]) -> bytes:
    """A small, valid .docx with extra parts added (a macro, an embedded program…)."""
    return _rewrite(_base_docx(), {}, add=parts)


def docx_inflating_to(size: int) -> bytes:
    """A .docx with an image part of `size` zero bytes (deflates about 1000:1)."""
    return _rewrite(
        _base_docx(), {}, add=[("word/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(size))]
    )


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
