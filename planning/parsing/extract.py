"""Getting text out of what a coordinator uploads: .txt, .docx, .pdf.

Word saves "plain text" as UTF-8, UTF-16 or Windows-1258 (whose Vietnamese
uses combining tone marks), so the decoder tries them in that order and
normalises to NFC. Tables come out as pipe-separated lines ("a | b | c"), the
same shape as tables pasted from a web page, so the parser reads one format.

Every file is held to `planning.uploads.limits.plan()` before it is read: a
.docx is inspected part by part (`planning.uploads.archives`) and its
paragraphs counted as a stream before python-docx builds its tree, a PDF's
pages counted before its text is extracted, and any text's lines counted
before the parser sees them.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata

from planning.formatting import format_number
from planning.uploads import limits as upload_limits
from planning.uploads.archives import ArchiveError, Count, open_archive, scan_parts

from .lines import PAGE_BREAK


class PlanFileError(ValueError):
    """A file that cannot be read as a plan; the message is for the user, in Vietnamese."""


def normalize_text(text: str) -> str:
    """NFC, one kind of line break, no invisible characters, Word's tab tables as pipes;
    a page break is a line holding only a form feed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = re.sub(r"[\u200b\u200c\u200d\ufeff\u00ad]", "", text)
    # A PDF's page break (form feed) stays a line of its own: the layout stage drops the
    # page number next to it and joins the paragraph the page cut.
    text = text.replace("\u00a0", " ").replace("\f", "\n\f\n")
    lines = []
    for line in text.split("\n"):
        if "\f" in line and not line.replace("\f", "").strip():
            lines.append(PAGE_BREAK)
            continue
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


def _too_many_paragraphs(most: int) -> str:
    return (
        f"Văn bản có hơn {most} đoạn văn (kể cả các ô của bảng), vượt quá giới hạn "
        "của một kế hoạch; hệ thống không đọc tệp này. Hãy kiểm tra lại tệp, hoặc "
        "tách kế hoạch thành nhiều tệp."
    )


def inspect_docx(data: bytes, limits: upload_limits.Limits) -> int:
    """Refuse a .docx whose parts unzip too far or hold too many paragraphs or elements.

    Streams every XML part (`archives.scan_parts`): a "bomb" of two million
    empty paragraphs is refused after reading the first `max_paragraphs`, in
    well under a second, before python-docx builds its tree of all of them.
    Returns the paragraphs counted.
    """
    archive = open_archive(data, max_inflated=limits.max_inflated)
    paragraphs = limits.max_paragraphs
    counts = scan_parts(
        archive,
        [
            Count("p", paragraphs, _too_many_paragraphs("{most}"), prefix="w:"),
            Count(
                "*",
                limits.max_elements,
                "Tệp Word có cấu trúc bất thường (hơn {most} thành phần bên trong); "
                "hệ thống không đọc tệp này.",
            ),
        ],
    )
    return counts["p"]


def docx_text(data: bytes, limits: upload_limits.Limits | None = None) -> str:
    """Paragraphs and tables of a .docx, in document order; table rows as "| a | b | c |"."""
    import docx  # python-docx; imported here so plain-text parsing never needs it
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    inspect_docx(data, limits or upload_limits.plan())
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


def pdf_text(data: bytes, limits: upload_limits.Limits | None = None) -> str:
    """The text layer of a PDF: pdftotext when installed (keeps the layout), else pypdf.

    A PDF of more than `max_pdf_pages` pages is refused first (pypdf reads only
    the page tree for that); pdftotext is told the last page too, in case pypdf
    could not count them.
    """
    from pypdf import PdfReader

    most = (limits or upload_limits.plan()).max_pdf_pages
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except Exception:
        pages = 0
    if pages > most:
        raise PlanFileError(
            f"Tệp PDF có {format_number(pages)} trang, vượt quá giới hạn "
            f"{format_number(most)} trang; hãy tải lên bản .docx hoặc tách tệp."
        )
    if shutil.which("pdftotext"):
        result = subprocess.run(  # noqa: S603 - fixed arguments, the file on stdin
            ["pdftotext", "-l", str(most), "-enc", "UTF-8", "-", "-"],  # noqa: S607 - Debian's
            input=data,
            capture_output=True,
            timeout=60,
            check=False,
        )
        if result.returncode == 0:
            return result.stdout.decode("utf-8", errors="replace")
    reader = PdfReader(io.BytesIO(data))
    return PAGE_BREAK.join(page.extract_text() or "" for page in reader.pages)


# A PDF page of a plan holds about this many lines (for `plan_extent` only).
LINES_PER_PDF_PAGE = 40


def plan_extent(data: bytes) -> int:
    """About how many paragraphs a plan file holds, from bounded checks alone.

    What the upload page decides from: a short plan is read in the request, a
    long one in the queue. A .docx is inspected (and a bomb refused, with
    PlanFileError) without python-docx; a PDF is estimated from its size; a
    text file's lines are counted.
    """
    if data.startswith(b"PK\x03\x04"):
        try:
            return inspect_docx(data, upload_limits.plan())
        except ArchiveError as exc:
            raise PlanFileError(str(exc)) from None
    if data.startswith(b"%PDF"):
        return len(data) // 1024 * LINES_PER_PDF_PAGE // 20  # ~20 KB a page
    return data.count(b"\n") + 1


def read_plan_file(data: bytes, filename: str = "", *, max_bytes: int | None = None) -> str:
    """The text of an uploaded plan, or PlanFileError with a Vietnamese message.

    1. size first (an empty file, a file over the limit);
    2. the kind by content, not by name (a .docx is a zip, a PDF starts "%PDF");
       a .docx or PDF over the stated paragraphs or pages is refused before
       its text is extracted;
    3. anything else must decode to text without control characters;
    4. the text may hold at most `max_paragraphs` non-empty lines, whatever
       the format: the parser's time grows with them.
    """
    limits = upload_limits.plan()
    limit = max_bytes if max_bytes is not None else limits.max_bytes
    if not data or not data.strip():
        raise PlanFileError("Tệp rỗng: không có nội dung để đọc.")
    if len(data) > limit:
        raise PlanFileError(upload_limits.too_big_message(len(data), limit))
    name = filename.lower()
    try:
        if data.startswith(b"PK\x03\x04"):
            text = docx_text(data, limits)
        elif data.startswith(b"%PDF"):
            text = pdf_text(data, limits)
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
    except ArchiveError as exc:
        raise PlanFileError(str(exc)) from None
    except Exception as exc:  # a broken docx or pdf: the user needs a message, not a 500
        raise PlanFileError("Không đọc được tệp: tệp bị hỏng hoặc không đúng định dạng.") from exc
    if _looks_binary(text):
        raise PlanFileError(
            "Tệp không phải văn bản (tệp nhị phân): hãy dùng .txt, .docx hoặc .pdf."
        )
    text = normalize_text(text)
    if not text.strip():
        raise PlanFileError("Tệp rỗng: không có nội dung để đọc.")
    return check_plan_text(text, limits)


def check_plan_text(text: str, limits: upload_limits.Limits | None = None) -> str:
    """The text, unless it holds more non-empty lines than a plan may (pasted or read)."""
    most = (limits or upload_limits.plan()).max_paragraphs
    if sum(1 for line in text.split("\n") if line.strip()) > most:
        raise PlanFileError(_too_many_paragraphs(format_number(most)))
    return text
