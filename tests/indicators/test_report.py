"""`indicator_report` and `load_indicators`: what a user gets in the file."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from planning.indicators.models import Indicator
from planning.indicators.report import pdf_section_context
from planning.indicators.services import record_result
from planning.indicators.tables import indicator_tables
from tests.factories import make_plan


def _csv(tmp_path, *extra):
    out = tmp_path / "chi-tieu.csv"
    call_command(
        "indicator_report",
        "192/KH-UBND",
        "--format",
        "csv",
        "--output",
        str(out),
        *extra,
        stdout=io.StringIO(),
    )
    return list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))


def test_csv_has_vietnamese_headers_and_one_row_per_indicator_in_plan_order(kh192, tmp_path):
    rows = _csv(tmp_path)
    assert rows[0] == [
        "Mã số",
        "Tiêu chí",
        "Điểm tối đa",
        "Kết quả năm trước",
        "Mục tiêu",
        "Thực hiện",
        "Cơ quan chủ trì",
    ]
    body = rows[1:]
    assert len(body) == 79 + 1 + 30
    assert [r[0] for r in body[:3]] == ["1", "1.1", "1.2"]
    assert body[0][1] == "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC"
    assert body[0][2:5] == ["8,5", "8,424", "8,5"]  # decimal comma
    assert body[2][6] == "Sở Nội vụ"  # 1.2's blank lead cell, continued


def test_csv_ends_par_index_with_its_total_then_starts_sipas_with_its_overall_index(
    kh192, tmp_path
):
    body = _csv(tmp_path)[1:]
    total = body[79]
    assert total[0] == "Tổng điểm"
    assert total[2:5] == ["100", "88,54", "92,55"]
    overall = body[80]
    assert overall[0] == "Chỉ số chung"
    assert overall[3:5] == ["87,11", "> 88,00"]
    assert [r[0] for r in body[81:83]] == ["I", "I.1"]


def test_csv_shows_the_result_approved_by_the_as_of_day(kh192, coordinator, tmp_path):
    indicator = Indicator.objects.get(indicator_set__plan=kh192, code="5.5")
    record_result(
        indicator=indicator, period_end=date(2022, 12, 31), value=Decimal("0.75"), by=coordinator
    )
    before = {r[0]: r for r in _csv(tmp_path, "--as-of", "2022-12-30")}
    after = {r[0]: r for r in _csv(tmp_path, "--as-of", "2022-12-31")}
    assert before["5.5"][5] == ""
    assert after["5.5"][5] == "0,75"


def test_xlsx_keeps_numbers_as_numbers_with_their_display_format(kh192, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "chi-tieu.xlsx"
    call_command(
        "indicator_report",
        "192/KH-UBND",
        "--format",
        "xlsx",
        "--output",
        str(out),
        stdout=io.StringIO(),
    )
    sheet = load_workbook(out)["Chỉ tiêu"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["Tổng điểm"][3].value == pytest.approx(88.54)
    assert rows["Tổng điểm"][3].number_format == "0.00#"
    assert rows["1"][2].value == pytest.approx(8.5)
    # Percentages as fractions formatted like the progress report's ratios.
    sipas = rows["Chỉ số chung"]
    assert sipas[3].value == pytest.approx(0.8711)
    assert sipas[3].number_format == "0.00%"
    assert sipas[4].value == pytest.approx(0.88)
    assert sipas[4].number_format == '"> "0.00%'


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_pdf_holds_both_tables_with_the_total_and_the_overall_index(kh192, tmp_path):
    out = tmp_path / "chi-tieu.pdf"
    call_command(
        "indicator_report",
        "192/KH-UBND",
        "--format",
        "pdf",
        "--output",
        str(out),
        stdout=io.StringIO(),
    )
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU" in text
    assert "Kế hoạch số 192/KH-UBND" in text
    assert re.search(r"2\.2 +Xử lý VBQPPL", text)  # the row whose code was typed "2 2"
    assert "TỔNG ĐIỂM" in text and "88,54" in text and "92,55" in text
    assert "CHỈ SỐ CHUNG" in text and "> 88,00" in text


def test_pdf_section_context_gives_the_progress_report_both_tables(kh192):
    context = pdf_section_context(indicator_tables(kh192, date(2022, 12, 31)), date(2022, 12, 31))
    tables = context["indicator_tables"]
    assert [t.indicator_set.kind for t in tables] == ["par_index", "sipas"]
    assert tables[0].total.cells["target"] == "92,55"
    assert context["indicator_as_of"] == date(2022, 12, 31)


def test_a_plan_without_indicators_is_an_error(db, tmp_path):
    make_plan("5/KH-UBND")
    with pytest.raises(CommandError, match="chưa có chỉ tiêu"):
        call_command("indicator_report", "5/KH-UBND", "--output", str(tmp_path / "x.csv"))


def test_load_indicators_reads_a_file_and_prints_the_warnings(registry, kh192_text, tmp_path):
    make_plan("192/KH-UBND")
    source = tmp_path / "plan.txt"
    source.write_text(kh192_text, encoding="utf-8")
    out = io.StringIO()
    call_command("load_indicators", "192/KH-UBND", str(source), stdout=out)
    printed = out.getvalue()
    assert "Cảnh báo" in printed and "tiêu chí 7.1 " in printed
    assert "Chỉ số cải cách hành chính (PAR INDEX): 80 dòng" in printed
    assert "Chỉ số hài lòng (SIPAS): 30 dòng" in printed
