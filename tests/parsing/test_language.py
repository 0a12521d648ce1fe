"""The language of plans, on snippets written like real plans (not KH 192)."""

from __future__ import annotations

from datetime import date

import pytest

from planning.parsing import parse_text, select_deadline
from planning.parsing.importing import assignment_rows

from .snippets import APPENDIX, BLOCKS, GIAO, HEADER, PLAN, SIGNATURE


def rows_of(text: str, **kwargs) -> list[dict]:
    return assignment_rows(parse_text(text, **kwargs))


def by_title(rows: list[dict], start: str) -> list[dict]:
    return [r for r in rows if r["title"].startswith(start)]


def test_header_with_split_date_leading_zero_number_title_and_signer():
    header = parse_text(HEADER + SIGNATURE).header
    assert header.number == "0156/KH-UBND"
    assert header.place == "Đồng Tháp"
    assert header.issued_on == date(2023, 2, 15)
    assert header.title == "CẢI CÁCH HÀNH CHÍNH NĂM 2023 CỦA TỈNH ĐỒNG THÁP"
    assert header.issuing_body == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    assert header.signer == "Nguyễn Văn Dương"


def test_header_inside_pipe_table():
    text = (
        "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "Số: 142/KH-UBND | Đắk Lắk, ngày 20 tháng 6 năm 2022 |\n"
    )
    header = parse_text(text).header
    assert (header.number, header.place, header.issued_on) == (
        "142/KH-UBND",
        "Đắk Lắk",
        date(2022, 6, 20),
    )


def test_document_date_and_citations_are_not_deadlines():
    rows = rows_of(HEADER)
    assert rows == []


def test_appendix_pipe_table_gives_one_row_per_agency_and_period():
    rows = rows_of(HEADER + APPENDIX)
    review = by_title(rows, "Rà soát văn bản")
    assert [(r["lead_agency"], r["due_month"], r["section"]) for r in review] == [
        ("Sở Tư pháp", "2023-06", "I")
    ]
    plan_row = by_title(rows, "Xây dựng kế hoạch kiểm tra")[0]
    assert plan_row["coordinating_agencies"] == "Sở Tư pháp; Sở Tài chính"
    quarterly = by_title(rows, "Báo cáo tình hình kiểm soát")
    assert [r["due_month"] for r in quarterly] == ["2023-03", "2023-06", "2023-09", "2023-12"]
    assert {r["section"] for r in quarterly} == {"II"}
    ongoing = by_title(rows, "Tuyên truyền")[0]
    assert (ongoing["due_month"], ongoing["due_text"]) == ("", "Thường xuyên")
    fan_out = by_title(rows, "Số hóa hồ sơ")
    assert [r["lead_agency"] for r in fan_out] == ["Sở Khoa học và Công nghệ", "Sở Nội vụ"]


def test_giao_sentences_give_lead_deadline_and_fan_out():
    rows = rows_of(HEADER + GIAO)
    first = by_title(rows, "Giao Sở Nội vụ")[0]
    assert (first["lead_agency"], first["due_month"], first["due_text"]) == (
        "Sở Nội vụ",
        "2023-08",
        "trước ngày 15/8/2023",
    )
    second = by_title(rows, "Giao Sở Tư pháp")[0]
    assert second["due_month"] == "2023-09"
    assert second["coordinating_agencies"] == "Sở Nội vụ; Công an tỉnh"
    four = by_title(rows, "Giao Văn phòng UBND tỉnh")
    assert [r["lead_agency"] for r in four] == [
        "Văn phòng UBND tỉnh",
        "Sở Tài chính",
        "Sở Thông tin và Truyền thông",
        "Sở Tư pháp",
    ]
    assert {r["due_month"] for r in four} == {"2023-12"}
    two = by_title(rows, "Giao UBND các huyện")
    assert [(r["lead_agency"], r["due_month"]) for r in two] == [
        ("UBND huyện Cao Lãnh", "2023-10"),
        ("UBND huyện Tháp Mười", "2023-10"),
    ]
    clause = by_title(rows, "Giao Sở Y tế")[0]
    assert (clause["due_month"], clause["due_text"]) == ("2023-09", "quý 3 năm 2023")


def test_blocks_subjects_and_recurring_work():
    rows = rows_of(HEADER + BLOCKS)
    quarterly = by_title(rows, "Tổng hợp, báo cáo UBND tỉnh")
    assert [(r["lead_agency"], r["due_month"]) for r in quarterly] == [
        ("Sở Nội vụ", "2023-03"),
        ("Sở Nội vụ", "2023-06"),
        ("Sở Nội vụ", "2023-09"),
        ("Sở Nội vụ", "2023-12"),
    ]
    half = by_title(rows, "Tham mưu phân bổ")[0]
    assert (half["lead_agency"], half["due_month"]) == ("Sở Kế hoạch và Đầu tư", "2023-06")
    assert half["coordinating_agencies"] == "Sở Tài chính"
    ongoing = by_title(rows, "Thực hiện Nghị quyết")[0]
    assert (ongoing["due_month"], ongoing["due_text"]) == ("", "thường xuyên")
    subject = by_title(rows, "Sở Xây dựng")[0]
    assert (subject["lead_agency"], subject["due_month"]) == ("Sở Xây dựng", "2023-11")
    # "Phấn đấu ... năm 2023" and the general duty of "Các sở, ban, ngành" are not tasks.
    assert not by_title(rows, "Phấn đấu")
    assert not by_title(rows, "Xây dựng kế hoạch cải cách")


def test_whole_plan_has_no_stray_rows():
    rows = rows_of(PLAN)
    lines = sorted({r["line"] for r in rows})
    titles = {r["title"][:25] for r in rows}
    assert len(lines) == 14, titles  # 5 "Giao", 4 in blocks, 5 in the appendix


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Tổ chức hội nghị (hoàn thành trong tháng 7/2022).", date(2022, 7, 31)),
        ("Ban hành quy chế, hoàn thành tháng 7/2022.", date(2022, 7, 31)),
        ("Báo cáo UBND Thành phố (hoàn thành trong 11/2022).", date(2022, 11, 30)),
        ("Rà soát thủ tục (hoàn thành trong tháng 9.2022).", date(2022, 9, 30)),
        ("Rà soát thủ tục, hoàn thành trước tháng 10-2022.", date(2022, 10, 31)),
        ("Hoàn thiện mô hình (hoàn thành trong Quý III/2022).", date(2022, 9, 30)),
        ("Tổng kết, hoàn thành trong quý 3 năm 2022.", date(2022, 9, 30)),
        ("Gửi báo cáo trước 31/12/2022.", date(2022, 12, 31)),
        ("Gửi báo cáo trước ngày 15/8/2022.", date(2022, 8, 15)),
        ("Gửi báo cáo trước 16 giờ 00 ngày 15/8/2022.", date(2022, 8, 15)),
        ("Hoàn thành trong 6 tháng đầu năm 2022.", date(2022, 6, 30)),
        ("Thực hiện xong trong năm 2022 (hoàn thành năm 2022).", date(2022, 12, 31)),
        ("Khảo sát sự hài lòng (tháng 9).", date(2022, 9, 30)),
        ("Thời hạn: trước ngày 20/10.", date(2022, 10, 20)),
        ("Rà soát, hoàn thành trước 30/9.", date(2022, 9, 30)),
        ("Tổng hợp; thời gian hoàn thành: 09/2022.", date(2022, 9, 30)),
        ("Trao quà, xong trước ngày Quốc khánh 02/9/2022.", date(2022, 9, 2)),
        ("Kiểm tra trước ngày Quốc tế Thiếu nhi 01/6/2022.", date(2022, 6, 1)),
    ],
)
def test_deadline_forms(text, due):
    found = select_deadline(text, 2022)
    assert found is not None
    assert found[0].due_date == due


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [
        ("Định kỳ hằng quý báo cáo kết quả.", "quarter"),
        ("Báo cáo kết quả (định kỳ hằng tháng).", "month"),
        ("Thực hiện thường xuyên (thường xuyên).", None),
    ],
)
def test_recurring_and_ongoing(text, recurrence):
    deadline = select_deadline(text, 2022)[0]
    assert deadline.due_date is None
    assert deadline.recurrence == recurrence


@pytest.mark.parametrize(
    "text",
    [
        "Phấn đấu hoàn thành nhiệm vụ được giao.",
        "Góp phần hoàn thành thắng lợi kế hoạch phát triển kinh tế - xã hội năm 2022.",
        "Phấn đấu năm 2022 Chỉ số PAR INDEX tăng 1-2 bậc.",
        "Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ.",
        "Theo Kế hoạch số 273/KH-UBND ngày 22 tháng 9 năm 2021 của UBND tỉnh.",
        "Thực hiện Nghị quyết 17/NQ-CP năm 2019 về Chính phủ điện tử.",
        "Định kỳ báo cáo (lồng ghép vào Báo cáo CCHC chuyên đề quý III, năm 2022).",
        "Thường xuyên cập nhật thông tin trên Cổng thông tin điện tử.",
        "Quản lý ngân sách nhà nước hàng năm theo quy định.",
    ],
)
def test_not_deadlines(text):
    assert select_deadline(text, 2022) is None


def test_month_without_year_takes_the_plan_year():
    text = (
        "Số: 12/KH-UBND\nHà Nội, ngày 02 tháng 3 năm 2024\n"
        "1. Sở Tư pháp\n- Rà soát (hoàn thành trong tháng 9).\n"
    )
    rows = rows_of(text)
    assert [(r["lead_agency"], r["due_month"]) for r in rows] == [("Sở Tư pháp", "2024-09")]


def test_wrapped_lines_are_joined():
    text = (
        "1. Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ:\n"
        "- Tổ chức tập huấn cho đội ngũ làm công tác pháp chế của các sở, ngành\n"
        "và cấp huyện (hoàn thành trong tháng 9/2022).\n"
    )
    rows = rows_of(text, default_year=2022)
    assert len(rows) == 1
    assert rows[0]["title"].endswith("(hoàn thành trong tháng 9/2022).")


@pytest.mark.django_db
def test_unknown_agency_is_kept_as_written_and_flagged(registry):
    text = (
        "1. Ban Quản lý dự án Đường sắt đô thị\n"
        "- Báo cáo tiến độ (hoàn thành trong tháng 8/2022).\n"
        "2. Sở Tư pháp\n- Rà soát (hoàn thành trước 30/9/2022).\n"
    )
    rows = assignment_rows(parse_text(text, default_year=2022), registry)
    assert [(r["lead_agency"], r["known_agency"]) for r in rows] == [
        ("Ban Quản lý dự án Đường sắt đô thị", False),
        ("Sở Tư pháp", True),
    ]
    assert any("chưa có trong danh mục" in w for w in rows[0]["warnings"])


def test_table_with_other_column_names_and_a_level_only_lead():
    text = (
        "TT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện |\n"
        "1 | Kiện toàn bộ phận một cửa | UBND cấp huyện | Sở Nội vụ | Tháng 4/2024 |\n"
        "2 | Đánh giá chỉ số SIPAS | Sở Nội vụ | Bảo hiểm xã hội tỉnh | Trước 15/11/2024 |\n"
    )
    rows = rows_of(text, default_year=2024)
    assert [(r["lead_agency"], r["coordinating_agencies"], r["due_month"]) for r in rows] == [
        ("UBND cấp huyện", "Sở Nội vụ", "2024-04"),
        ("Sở Nội vụ", "Bảo hiểm xã hội tỉnh", "2024-11"),
    ]
    assert "ghi chung" in rows[0]["warnings"][0]
