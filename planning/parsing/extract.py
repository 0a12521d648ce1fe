"""Getting text out of what a coordinator uploads: .txt, .docx, .pdf.

Word saves "plain text" as UTF-8, UTF-16 or Windows-1258 (whose Vietnamese
uses combining tone marks), so the decoder tries them in that order and
normalises to NFC. Tables come out as pipe-separated lines ("a | b | c"), the
same shape as tables pasted from a web page, so the parser reads one format.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
import zipfile

from django.conf import settings


class PlanFileError(ValueError):
    """A file that cannot be read as a plan; the message is for the user, in Vietnamese."""


def normalize_text(text: str) -> str:
    """NFC, one kind of line break, no invisible characters, Word's tab tables as pipes."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = re.sub(r"[\u200b\u200c\u200d\ufeff\u00ad]", "", text)
    text = text.replace("\u00a0", " ").replace("\f", "\n")
    lines = []
    for line in text.split("\n"):
        if line.count("\t") >= 2:
            line = " | ".join(cell.strip() for cell in line.split("\t"))
        lines.append(line.replace("\t", " ").rstrip())
    return "\n".join(lines)


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if unicodedata.category(ch) in {"Cc", "Co", "Cn", "Cs"})
    bad -= sample.count("\n") + sample.count("\t") + sample.count("\r") + sample.count("\f")
    return bad > max(3, len(sample) // 100)


def decode_text(data: bytes) -> str:
    """Bytes of a text file as NFC text: UTF-8, UTF-16 (with or without BOM), or cp1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    head = data[:4000]
    if head and head.count(b"\x00") > len(head) // 4:
        even_nuls = head[0::2].count(b"\x00")
        odd_nuls = head[1::2].count(b"\x00")
        encoding = "utf-16-le" if odd_nuls >= even_nuls else "utf-16-be"
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def docx_text(data: bytes) -> str:
    """Paragraphs and tables of a .docx, in document order; table rows as "| a | b | c |"."""
    import docx  # python-docx; imported here so plain-text parsing never needs it
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []

    def table_lines(table: Table) -> None:
        for row in table.rows:
            cells = []
            previous = None
            for cell in row.cells:
                if previous is not None and cell._tc is previous:
                    # A horizontally merged cell is listed once per grid column: keep the
                    # grid (an empty cell), so a header merged over "Chủ trì | Phối hợp"
                    # stays above both and every row has the same columns.
                    cells.append("")
                    continue
                previous = cell._tc
                cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
            lines.append("| " + " | ".join(cells) + " |")  # leading pipe: an empty first cell stays

    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            table_lines(Table(block, document))
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF: pdftotext when installed (keeps the layout), else pypdf."""
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607 - a fixed Debian tool
            input=data,
            capture_output=True,
            timeout=60,
            check=False,
        )
        if result.returncode == 0:
            return result.stdout.decode("utf-8", errors="replace")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def read_plan_file(data: bytes, filename: str = "", *, max_bytes: int | None = None) -> str:
    """The text of an uploaded plan, or PlanFileError with a Vietnamese message.

    1. size first (an empty file, a file over the limit);
    2. the kind by content, not by name (a .docx is a zip, a PDF starts "%PDF");
    3. anything else must decode to text without control characters.
    """
    limit = max_bytes if max_bytes is not None else settings.PLAN_UPLOAD_MAX_BYTES
    if not data or not data.strip():
        raise PlanFileError("Tệp rỗng: không có nội dung để đọc.")
    if len(data) > limit:
        size = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        raise PlanFileError(f"Tệp quá lớn ({size} MB): giới hạn là {limit / 1024 / 1024:.0f} MB.")
    name = filename.lower()
    try:
        if data.startswith(b"PK\x03\x04"):
            if not zipfile.is_zipfile(io.BytesIO(data)):
                raise PlanFileError("Tệp .docx bị hỏng, không đọc được.")
            text = docx_text(data)
        elif data.startswith(b"%PDF"):
            text = pdf_text(data)
            if not text.strip():
                raise PlanFileError(
                    "Tệp PDF không có lớp chữ (có thể là bản quét); "
                    "hãy tải lên bản .docx hoặc .txt."
                )
        elif name.endswith((".doc", ".xls", ".xlsx", ".png", ".jpg", ".jpeg", ".zip")):
            raise PlanFileError("Định dạng tệp không được hỗ trợ: hãy dùng .txt, .docx hoặc .pdf.")
        else:
            text = decode_text(data)
    except PlanFileError:
        raise
    except Exception as exc:  # a broken docx or pdf: the user needs a message, not a 500
        raise PlanFileError("Không đọc được tệp: tệp bị hỏng hoặc không đúng định dạng.") from exc
    if _looks_binary(text):
        raise PlanFileError(
            "Tệp không phải văn bản (tệp nhị phân): hãy dùng .txt, .docx hoặc .pdf."
        )
    text = normalize_text(text)
    if not text.strip():
        raise PlanFileError("Tệp rỗng: không có nội dung để đọc.")
    return text
