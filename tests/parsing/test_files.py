"""Reading uploads: encodings Word exports, .docx paragraphs and tables, PDF, bad files."""

from __future__ import annotations

import io
import unicodedata

import pytest

from planning.parsing import PlanFileError, parse_text, read_plan_file
from planning.parsing.importing import assignment_rows

from .snippets import GIAO, HEADER, PLAN

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letter, then a combining tone mark."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        out.append(base.encode("cp1258") + tones.encode("cp1258"))
    return b"".join(out)


def summary(text: str) -> list[tuple]:
    return [
        (r["line"], r["lead_agency"], r["due_month"]) for r in assignment_rows(parse_text(text))
    ]


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("utf-16-le"),
        lambda t: t.replace("\n", "\r\n").encode("utf-16"),
        to_cp1258,
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-no-bom", "utf-16-crlf", "cp1258"],
)
def test_text_encodings_word_exports_read_the_same(encode):
    text = read_plan_file(encode(PLAN), "plan.txt")
    assert unicodedata.is_normalized("NFC", text)
    assert summary(text) == summary(PLAN)
    assert len(summary(text)) > 15


def test_docx_paragraphs_and_tables_are_read():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    head = document.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    head.cell(1, 0).text = "Số: 88/KH-UBND"
    head.cell(1, 1).text = "Đồng Tháp, ngày 10 tháng 3 năm 2023"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Triển khai chuyển đổi số năm 2023")
    document.add_paragraph("1. Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp:")
    document.add_paragraph("- Rà soát quy chế làm việc (hoàn thành trong tháng 5/2023).")
    document.add_paragraph("PHỤ LỤC")
    table = document.add_table(rows=3, cols=5)
    for i, label in enumerate(
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
    ):
        table.cell(0, i).text = label
    for i, value in enumerate(
        ["1", "Số hóa hồ sơ", "Sở Thông tin và Truyền thông", "Sở Nội vụ", "Quý II/2023"]
    ):
        table.cell(1, i).text = value
    for i, value in enumerate(
        ["2", "Cập nhật cơ sở dữ liệu", "UBND các huyện: Cao Lãnh, Tháp Mười", "", "Tháng 8/2023"]
    ):
        table.cell(2, i).text = value
    buffer = io.BytesIO()
    document.save(buffer)

    text = read_plan_file(buffer.getvalue(), "kehoach.docx")
    parsed = parse_text(text)
    assert (parsed.header.number, parsed.header.place) == ("88/KH-UBND", "Đồng Tháp")
    assert parsed.header.title == "Triển khai chuyển đổi số năm 2023"
    rows = [(r["lead_agency"], r["due_month"]) for r in assignment_rows(parsed)]
    assert rows == [
        ("Sở Nội vụ", "2023-05"),
        ("Sở Thông tin và Truyền thông", "2023-06"),
        ("UBND huyện Cao Lãnh", "2023-08"),
        ("UBND huyện Tháp Mười", "2023-08"),
    ]


def plan_pdf() -> bytes:
    """A small plan (header and tasks) as a PDF with a text layer."""
    weasyprint = pytest.importorskip("weasyprint")
    html = (
        "<html><body>"
        + "".join(f"<p>{line}</p>" for line in (HEADER + GIAO).splitlines())
        + "</body></html>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def test_pdf_text_layer_is_read():
    text = read_plan_file(plan_pdf(), "kehoach.pdf")
    leads = {r["lead_agency"] for r in assignment_rows(parse_text(text))}
    assert {"Sở Nội vụ", "Sở Tư pháp", "Sở Y tế"} <= leads


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "Tệp rỗng"),
        (b"   \n\n ", "blank.txt", "Tệp rỗng"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "scan.txt", "không phải văn bản"),
        (bytes(range(256)) * 50, "data.bin", "không phải văn bản"),
        (b"PK\x03\x04broken", "broken.docx", "hỏng"),
        (b"%PDF-1.4 not really", "broken.pdf", "Không đọc được tệp"),
    ],
)
def test_bad_files_get_a_vietnamese_error(data, name, message):
    with pytest.raises(PlanFileError, match=message):
        read_plan_file(data, name)


def test_file_over_the_limit_is_refused(settings):
    settings.PLAN_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(PlanFileError, match=r"Tệp quá lớn.*giới hạn"):
        read_plan_file(b"a" * 2048, "big.txt")


def test_pdf_text_layer_is_read_without_pdftotext(monkeypatch, tmp_path):
    """A server without poppler-utils reads PDF plans through pypdf (a main dependency)."""
    pdf = plan_pdf()
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no pdftotext to find
    text = read_plan_file(pdf, "kehoach.pdf")
    parsed = parse_text(text)
    leads = {r["lead_agency"] for r in assignment_rows(parsed)}
    assert {"Sở Nội vụ", "Sở Tư pháp", "Sở Y tế"} <= leads
    assert parsed.header.number == "0156/KH-UBND"
