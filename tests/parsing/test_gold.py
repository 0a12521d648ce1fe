"""KH 192 parsed from plan.txt against the assignments a careful reader extracted."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from planning.parsing import parse_text
from planning.parsing.importing import assignment_rows

EXPECTED_HEADER = "section,lead_agency,coordinating_agencies,due_month,due_text,title"


def _keys(rows, line="line", lead="lead_agency", month="due_month"):
    return {(int(r[line]), r[lead], r[month]) for r in rows}


@pytest.mark.django_db
def test_kh192_finds_the_gold_assignments_with_lead_and_month(kh192_text, gold_rows, registry):
    got = assignment_rows(parse_text(kh192_text), registry)
    found, gold = _keys(got), _keys(gold_rows)
    assert len(found & gold) >= 33, sorted(gold - found)
    assert len(found - gold) <= 2, sorted(found - gold)
    # What the demo relies on: exactly the 34, nothing more.
    assert found == gold
    assert len(got) == 34


@pytest.mark.django_db
def test_kh192_sections_and_due_texts_match_the_gold(kh192_text, gold_rows, registry):
    got = {
        (r["line"], r["lead_agency"]): r for r in assignment_rows(parse_text(kh192_text), registry)
    }
    for gold in gold_rows:
        row = got[(int(gold["line"]), gold["lead_agency"])]
        assert row["section"] == gold["section"], gold["line"]
        assert row["due_text"] == gold["due_text"], gold["line"]
        assert row["title"] == gold["title"], gold["line"]


def test_kh192_header_is_read(kh192_text):
    header = parse_text(kh192_text).header
    assert header.number == "192/KH-UBND"
    assert header.place == "Hà Nội"
    assert header.issued_on.isoformat() == "2022-07-08"
    assert header.signer == "Lê Hồng Sơn"
    assert header.title.startswith("Cải thiện, nâng cao chỉ số cải cách hành chính")


def test_kh192_generic_duties_are_skipped_with_a_note(kh192_text):
    parsed = parse_text(kh192_text)
    skipped = [line for line, message in parsed.warnings if "giao chung" in message]
    assert skipped == [125, 148]


@pytest.mark.django_db
def test_parse_plan_prints_csv_on_an_empty_registry(kh192_path):
    out = io.StringIO()
    call_command("parse_plan", str(kh192_path), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert text.splitlines()[0] == EXPECTED_HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 34
    shared = [r for r in rows if r["title"].startswith("Căn cứ Kế hoạch này")]
    # Without a registry the names are printed as written in the plan.
    assert {r["lead_agency"] for r in shared} == {
        "Văn phòng UBND Thành phố",
        "Sở Tài chính",
        "Sở Thông tin và Truyền thông",
        "Sở Tư pháp",
        "Sở Kế hoạch và Đầu tư",
        "Sở Khoa học và Công nghệ",
    }
    assert {r["due_month"] for r in shared} == {"2022-07"}


@pytest.mark.django_db
def test_parse_plan_json_uses_registry_names(kh192_path, registry):
    out = io.StringIO()
    call_command("parse_plan", str(kh192_path), "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 34
    line90 = next(r for r in rows if r["line"] == 90)
    assert line90["lead_agency"] == "Văn phòng UBND Thành phố"
    assert line90["coordinating_agencies"] == "Thành Đoàn Hà Nội"
    assert line90["due_month"] == "2022-11"


def test_parse_plan_reports_a_missing_file():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("parse_plan", "/nonexistent/plan.txt")
