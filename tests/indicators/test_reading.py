"""Reading KH 192's appendix of targets, with its real faults, and small tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from planning.indicators.reading import read_indicators


@pytest.fixture(scope="module")
def kh192(request):
    text = request.getfixturevalue("kh192_text")
    return read_indicators(text)


def _by_code(read_set):
    return {row.code: row for row in read_set.indicators}


def _messages(read):
    return [str(w) for w in read.warnings]


def test_both_tables_are_found_in_plan_order(kh192):
    assert [s.kind for s in kh192.sets] == ["par_index", "sipas"]


def test_par_index_has_8_areas_and_71_criteria_then_the_total(kh192):
    rows = kh192.sets[0].indicators
    criteria = [r for r in rows if not r.is_total]
    assert len(criteria) == 79
    assert len([r for r in criteria if r.level == 1]) == 8
    assert len([r for r in criteria if r.level > 1]) == 71
    total = rows[-1]
    assert total.is_total
    assert (total.maximum, total.previous, total.target) == (
        Decimal("100"),
        Decimal("88.54"),
        Decimal("92.55"),
    )


def test_a_code_typed_with_a_space_is_read_as_dotted_and_reported(kh192):
    rows = _by_code(kh192.sets[0])
    assert "2.2" in rows
    assert rows["2.2"].name == "Xử lý VBQPPL sau rà soát, hệ thống hóa"
    assert rows["2.2"].parent_code == "2"
    assert any("«2 2»" in m and "2.2" in m for m in _messages(kh192))


def test_a_code_repeated_in_the_name_is_dropped_from_the_name(kh192):
    assert _by_code(kh192.sets[0])["2.4.1"].name.startswith("Tính đồng bộ")


def test_group_7_1_whose_listed_parts_do_not_add_up_is_a_warning(kh192):
    messages = [m for m in _messages(kh192) if "tiêu chí 7.1 " in m]
    assert len(messages) == 1
    assert "7.1.9, 7.1.10, 7.1.11" in messages[0]
    assert "7,25" in messages[0]


def test_groups_that_add_up_raise_no_warning(kh192):
    messages = " ".join(_messages(kh192))
    for code in ("lĩnh vực 1 ", "tiêu chí 2.4 ", "lĩnh vực 7 ", "dòng tổng"):
        assert code not in messages


def test_a_blank_lead_cell_continues_the_lead_above(kh192):
    rows = _by_code(kh192.sets[0])
    assert (rows["1.1"].lead_text, rows["1.1"].lead_inherited) == ("Sở Nội vụ", False)
    for code in ("1.2", "1.3", "1.4", "1.5"):
        assert (rows[code].lead_text, rows[code].lead_inherited) == ("Sở Nội vụ", True)
    assert rows["1.6"].lead_text == "Văn phòng UBND Thành phố"
    assert rows["2.4.3"].lead_text == "Sở Tư pháp"  # sub-criteria under an inherited group
    assert rows["6.2"].lead_text == "Sở Tài chính"  # from 6.1.2, across the end of group 6.1


def test_areas_and_groups_led_by_their_parts_have_no_lead_of_their_own(kh192):
    rows = _by_code(kh192.sets[0])
    assert all(rows[code].lead_text == "" for code in "12345678")
    assert rows["4.4"].lead_text == ""  # 4.4.1-4.4.3 name three different leads
    assert rows["4.4.2"].lead_text == "Sở Nội vụ"


def test_sipas_reads_the_overall_index_and_five_groups_of_24_items(kh192):
    rows = kh192.sets[1].indicators
    overall = rows[0]
    assert overall.is_total and overall.name == "CHỈ SỐ CHUNG"
    assert (overall.previous, overall.target, overall.comparison) == (
        Decimal("87.11"),
        Decimal("88.00"),
        "gt",
    )
    assert [r.code for r in rows if r.level == 1] == ["I", "II", "III", "IV", "V"]
    assert len([r for r in rows if r.level == 2]) == 24
    assert all(r.unit == "percent" for r in rows)


def test_decimal_commas_beside_points_are_read_and_reported(kh192):
    rows = _by_code(kh192.sets[1])
    assert rows["I"].previous == Decimal("89.28")  # written "89,28"
    assert rows["I.1"].previous == Decimal("89.23")  # written "89.23"
    assert any("dấu phẩy" in m and "SIPAS" in m for m in _messages(kh192))


def test_sipas_items_follow_their_groups_lead_and_following_agencies(kh192):
    rows = _by_code(kh192.sets[1])
    assert (rows["III.2"].lead_text, rows["III.2"].lead_inherited) == ("Sở Nội vụ", True)
    assert rows["I.3"].lead_text == "Văn phòng UBND Thành phố"
    assert rows["I.3"].following_names == ["Sở Nội vụ", "Văn phòng UBND Thành phố"]


def test_a_list_of_bodies_in_the_lead_column_is_taken_as_following_and_reported(kh192):
    rows = _by_code(kh192.sets[1])
    assert rows["III.4"].lead_text == "Sở Nội vụ"
    assert rows["III.4"].following_text.startswith("- Các Sở")
    assert any("III.4" in m and "cột chủ trì" in m for m in _messages(kh192))


SMALL = """\
A. CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX)
STT | Tiêu chí | Điểm tối đa | Điểm năm 2021 | Mục tiêu năm 2022 | Chủ trì tham mưu |
1 | Lĩnh vực một | 3 | 2,5 | 3 |
|
1.1 | Tiêu chí a | 1 | 1 | 1 | Sở Tư pháp |
1.2 | Tiêu chí b | {b_max} | 1.5 | 2 | |
| TỔNG ĐIỂM | 3 | 2.5 | 3 |
"""


def test_a_small_table_that_adds_up_has_no_warning():
    read = read_indicators(SMALL.format(b_max="2"))
    assert _messages(read) == [
        "Dòng 2: Chỉ số cải cách hành chính (PAR INDEX): số thập phân ghi lẫn dấu chấm "
        "và dấu phẩy (dấu phẩy ở 1); đã đọc cả hai là dấu thập phân."
    ]
    assert read.sets[0].indicators[2].lead_text == "Sở Tư pháp"


def test_a_small_table_whose_maximum_does_not_add_up_names_the_column():
    messages = _messages(read_indicators(SMALL.format(b_max="1.5")))
    mismatch = [m for m in messages if "lĩnh vực 1 " in m]
    assert len(mismatch) == 1
    assert "điểm tối đa cộng lại 2,5, dòng ghi 3" in mismatch[0]
    assert "mục tiêu" not in mismatch[0]


def test_text_without_tables_reads_nothing():
    read = read_indicators("Kế hoạch không có phụ lục chỉ tiêu.\n1. Nhiệm vụ | Sở Nội vụ")
    assert read.sets == [] and read.warnings == []


def test_a_row_whose_first_cell_is_not_a_code_is_skipped_and_reported():
    text = SMALL.format(b_max="2").replace("1.2 | Tiêu chí b", "Ghi chú: xem phụ lục | Tiêu chí b")
    read = read_indicators(text)
    assert [r.code for r in read.sets[0].indicators] == ["1", "1.1", ""]
    assert any("«Ghi chú: xem phụ lục» không phải là mã tiêu chí" in m for m in _messages(read))
