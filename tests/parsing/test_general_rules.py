"""Rules added while measuring the parser on real documents, each on a generic snippet."""

from __future__ import annotations

import pytest

from planning.parsing import parse_text
from planning.parsing.importing import assignment_rows


def keys(text: str, year: int = 2023) -> list[tuple[str, str]]:
    return [
        (r["lead_agency"], r["due_month"])
        for r in assignment_rows(parse_text(text, default_year=year))
    ]


def test_each_sentence_with_its_own_deadline_is_its_own_task():
    text = (
        "UBND cấp huyện rà soát số liệu. Hồ sơ gửi về Sở Nội vụ trước 15/8. "
        "Sở Nội vụ sẽ tổng hợp, trình UBND tỉnh trước 30/9.\n"
    )
    # The first deadline belongs to a duty of nobody in particular; the second to Sở Nội vụ.
    assert keys(text) == [("Sở Nội vụ", "2023-09")]


def test_deadline_first_adverbial_names_the_subject_after_the_comma():
    text = (
        "- Trước ngày 30/6/2023, Sở Nội vụ trình UBND tỉnh phương án sắp xếp.\n"
        "- Trong quý III/2023, Sở Tư pháp hoàn thành rà soát văn bản.\n"
    )
    assert keys(text) == [("Sở Nội vụ", "2023-06"), ("Sở Tư pháp", "2023-09")]


def test_recurring_deadline_opening_a_clause_gives_one_assignment_per_period():
    text = "Từ ngày 1 đến ngày 5 hằng tháng, Phòng Tổng hợp cập nhật kết quả lên hệ thống.\n"
    assert keys(text) == [("Phòng Tổng hợp", f"2023-{m:02d}") for m in range(1, 13)]


def test_markdown_separator_row_is_not_a_task():
    text = (
        "| STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn |\n"
        "| --- | :--- | --- | --- | ---: |\n"
        "| 1 | Rà soát thủ tục | Sở Tư pháp | Sở Nội vụ | Quý II/2023 |\n"
    )
    rows = assignment_rows(parse_text(text, default_year=2023))
    assert [(r["lead_agency"], r["due_month"], r["coordinating_agencies"]) for r in rows] == [
        ("Sở Tư pháp", "2023-06", "Sở Nội vụ")
    ]


def test_table_columns_in_any_order_with_naming_variants():
    text = (
        "| TT | Cơ quan chủ trì | Nội dung công việc | Tiến độ | Cơ quan phối hợp |\n"
        "| 1 | Sở Nội vụ | Đánh giá chỉ số CCHC | Tháng 12/2023 | Sở Tư pháp |\n"
        "| STT | Nội dung | Chủ trì | Phối hợp | Thời gian thực hiện |\n"
        "| 1 | Tuyên truyền | Sở Thông tin và Truyền thông | | Năm 2023 |\n"
    )
    assert keys(text) == [("Sở Nội vụ", "2023-12"), ("Sở Thông tin và Truyền thông", "2023-12")]


def test_header_spanning_two_rows_reads_lead_and_coordinating_columns():
    text = (
        "| STT | Nhiệm vụ | Cơ quan thực hiện | | Thời gian hoàn thành |\n"
        "| | | Chủ trì | Phối hợp | |\n"
        "| 1 | Rà soát quy định | Sở Tư pháp | Sở Nội vụ | Quý III/2023 |\n"
    )
    rows = assignment_rows(parse_text(text, default_year=2023))
    assert [(r["lead_agency"], r["due_month"], r["coordinating_agencies"]) for r in rows] == [
        ("Sở Tư pháp", "2023-09", "Sở Nội vụ")
    ]


def test_tab_separated_table():
    text = (
        "STT\tNhiệm vụ\tCơ quan chủ trì\tThời gian hoàn thành\n"
        "1\tCập nhật dữ liệu\tSở Nội vụ\tTháng 4/2023\n"
    )
    assert keys(text) == [("Sở Nội vụ", "2023-04")]


@pytest.mark.parametrize(
    ("cell", "months"),
    [
        ("Quý I, II/2023", ["2023-06"]),  # a span: done by the end of the last quarter
        ("Quý II và Quý IV/2023", ["2023-06", "2023-12"]),  # separate periods: one each
        ("tháng 6 và tháng 12/2023", ["2023-06", "2023-12"]),
        ("6 tháng, năm", ["2023-06", "2023-12"]),  # the half-year and the year report
        ("trước ngày 30/6 hằng năm", ["2023-06"]),
        ("Hằng quý", ["2023-03", "2023-06", "2023-09", "2023-12"]),
        ("Hàng năm", ["2023-12"]),
        ("Trong năm 2023", ["2023-12"]),
        ("2023", ["2023-12"]),  # a deadline column holding only the year
        ("Tháng 3-6/2023", ["2023-06"]),  # a range, due at its end
        ("Từ tháng 3 đến tháng 6/2023", ["2023-06"]),
        ("Quý I/2023 và Quý III/2023", ["2023-03", "2023-09"]),  # two deliveries
        ("2023 - 2025", ["2025-12"]),  # a span of years, due at the end of the last
        ("Giai đoạn 2023-2025", ["2025-12"]),
        ("30/6", ["2023-06"]),  # a day without its year takes the plan's
    ],
)
def test_deadline_cells_with_lists_and_recurrence(cell, months):
    text = (
        f"| STT | Nội dung | Chủ trì | Thời hạn |\n| 1 | Báo cáo kết quả | Sở Nội vụ | {cell} |\n"
    )
    assert keys(text) == [("Sở Nội vụ", m) for m in months]


def test_directive_addressing_heads_of_agencies():
    text = (
        "Chủ tịch UBND tỉnh yêu cầu:\n"
        "1. Giám đốc Sở Nội vụ chủ trì tham mưu sửa đổi quy chế, hoàn thành trong tháng 7/2023.\n"
        "2. Giám đốc Sở Thông tin và Truyền thông hoàn thành nâng cấp Cổng dịch vụ công "
        "trước 30/9/2023.\n"
        "3. Chủ tịch UBND các huyện, thị xã, thành phố chỉ đạo quyết liệt; báo cáo kết quả "
        "trước ngày 15/12/2023.\n"
    )
    assert keys(text) == [
        ("Sở Nội vụ", "2023-07"),
        ("Sở Thông tin và Truyền thông", "2023-09"),
    ]


def test_fan_out_lists_in_sentences():
    text = (
        "1. Giao Sở Tài chính, Sở Nội vụ và UBND huyện Cư Kuin hoàn thành rà soát "
        "trong tháng 8/2023.\n"
        "2. Các Sở: Tư pháp, Nội vụ, Y tế hoàn thành công bố thủ tục trước ngày 15/9/2023.\n"
        "3. UBND các huyện: Ea Súp, Buôn Đôn tổ chức đối thoại, hoàn thành trong Quý IV/2023.\n"
    )
    assert keys(text) == [
        ("Sở Tài chính", "2023-08"),
        ("Sở Nội vụ", "2023-08"),
        ("UBND huyện Cư Kuin", "2023-08"),
        ("Sở Tư pháp", "2023-09"),
        ("Sở Nội vụ", "2023-09"),
        ("Sở Y tế", "2023-09"),
        ("UBND huyện Ea Súp", "2023-12"),
        ("UBND huyện Buôn Đôn", "2023-12"),
    ]


def test_period_lists_in_sentences():
    text = (
        "- Sở Nội vụ tổng hợp báo cáo, hoàn thành trong tháng 6 và tháng 12/2023.\n"
        "- Sở Tư pháp tự kiểm tra, hoàn thành trong Quý I, II/2023.\n"
    )
    assert keys(text) == [
        ("Sở Nội vụ", "2023-06"),
        ("Sở Nội vụ", "2023-12"),
        ("Sở Tư pháp", "2023-06"),
    ]


@pytest.mark.parametrize(
    "tail",
    [
        "; thời gian hoàn thành: tháng 6/2023.",
        ". Thời hạn: tháng 6/2023.",
        ". Tiến độ: tháng 6/2023.",
        " (thời gian thực hiện: tháng 6/2023).",
    ],
)
def test_labelled_deadline_after_a_colon(tail):
    text = (
        "II. NHIỆM VỤ\n1. Sở Tư pháp chủ trì:\n"
        f"- Tổ chức tập huấn nghiệp vụ cho cán bộ pháp chế{tail}\n"
    )
    assert keys(text) == [("Sở Tư pháp", "2023-06")]


def test_agencies_named_by_labels():
    text = (
        "III. NHIỆM VỤ CỤ THỂ\n"
        "2. Rà soát thủ tục hành chính (Cơ quan chủ trì: Văn phòng UBND tỉnh; "
        "cơ quan phối hợp: Sở Tư pháp; thời gian: Quý II/2023).\n"
        "3. Sở Tư pháp chủ trì: kiểm tra văn bản, hoàn thành trong tháng 8/2023.\n"
    )
    rows = assignment_rows(parse_text(text, default_year=2023))
    assert [(r["lead_agency"], r["coordinating_agencies"], r["due_month"]) for r in rows] == [
        ("Văn phòng UBND tỉnh", "Sở Tư pháp", "2023-06"),
        ("Sở Tư pháp", "", "2023-08"),
    ]


def test_appendix_rows_are_filed_under_the_appendix():
    text = (
        "II. NHIỆM VỤ\n1. Sở Nội vụ chủ trì:\n- Kiểm tra CCHC (hoàn thành trong tháng 5/2023).\n"
        "PHỤ LỤC: DANH MỤC NHIỆM VỤ\n"
        "STT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn hoàn thành\n"
        "1 | Xây dựng bộ chỉ số | Sở Tư pháp | Quý II/2023\n"
    )
    rows = assignment_rows(parse_text(text, default_year=2023))
    assert [(r["section"], r["lead_agency"], r["due_month"]) for r in rows] == [
        ("II.1", "Sở Nội vụ", "2023-05"),
        ("PL", "Sở Tư pháp", "2023-06"),
    ]


def test_request_verbs_of_a_directive_stand_before_the_subject():
    text = (
        "Chủ tịch UBND tỉnh yêu cầu:\n"
        "1. Đề nghị Sở Y tế hoàn thành kết nối hồ sơ sức khỏe điện tử trong Quý IV/2023.\n"
        "2. Yêu cầu Giám đốc các Sở: Y tế, Giáo dục và Đào tạo báo cáo kết quả "
        "chậm nhất ngày 20/12/2023.\n"
        "3. Yêu cầu các cơ quan, đơn vị nghiêm túc thực hiện, hoàn thành trong năm 2023.\n"
    )
    assert keys(text) == [
        ("Sở Y tế", "2023-12"),
        ("Sở Y tế", "2023-12"),
        ("Sở Giáo dục và Đào tạo", "2023-12"),
    ]


def test_docx_table_with_a_header_merged_over_lead_and_coordinating_columns():
    import io

    import docx

    from planning.parsing import read_plan_file

    document = docx.Document()
    document.add_paragraph("I. NHIỆM VỤ CỤ THỂ")
    table = document.add_table(rows=4, cols=5)
    for i, text in enumerate(["STT", "Nhiệm vụ", "", "", "Thời gian hoàn thành"]):
        table.cell(0, i).text = text
    table.cell(0, 2).merge(table.cell(0, 3)).text = "Cơ quan thực hiện"
    table.cell(1, 2).text, table.cell(1, 3).text = "Chủ trì", "Phối hợp"
    rows = [
        ["1", "Số hóa hồ sơ TTHC", "Văn phòng UBND tỉnh", "Sở Tư pháp", "Quý III/2023"],
        ["2", "Đánh giá chỉ số SIPAS", "Sở Nội vụ", "", "Tháng 11/2023"],
    ]
    for r, values in enumerate(rows, start=2):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)

    text = read_plan_file(buffer.getvalue(), "ke-hoach.docx")
    found = assignment_rows(parse_text(text, default_year=2023))
    assert [(r["lead_agency"], r["coordinating_agencies"], r["due_month"]) for r in found] == [
        ("Văn phòng UBND tỉnh", "Sở Tư pháp", "2023-09"),
        ("Sở Nội vụ", "", "2023-11"),
    ]


def test_title_stops_where_the_body_begins_and_a_directives_issuer_is_no_signer():
    text = (
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\nSố: 12/CT-UBND\nLào Cai, ngày 05 tháng 4 năm 2023\n"
        "CHỈ THỊ\nVề tăng cường kỷ luật hành chính\nI. NHIỆM VỤ CỤ THỂ\n"
        "1. Sở Nội vụ kiểm tra công vụ, hoàn thành trong tháng 6/2023.\n"
    )
    header = parse_text(text).header
    assert header.title == "Về tăng cường kỷ luật hành chính"
    assert header.signer == ""
    assert (header.number, header.place, str(header.issued_on)) == (
        "12/CT-UBND",
        "Lào Cai",
        "2023-04-05",
    )


def test_task_with_its_agencies_and_deadline_on_labelled_lines():
    text = (
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Cải cách thể chế\n"
        "1.1. Xây dựng văn bản quy phạm pháp luật của tỉnh\n"
        "- Cơ quan chủ trì: Sở Tư pháp.\n- Cơ quan phối hợp: Các sở, ban, ngành.\n"
        "- Thời gian hoàn thành: Tháng 6/2023.\n"
        "1.2. Kiểm tra, rà soát văn bản\n"
        "- Đơn vị chủ trì: Sở Tư pháp, Văn phòng UBND tỉnh.\n- Thời gian thực hiện: Quý IV/2023.\n"
        "2. Sở Thông tin và Truyền thông chủ trì:\n"
        "a) Số hóa hồ sơ, kết quả giải quyết TTHC\n"
        "+ Phối hợp: Văn phòng UBND tỉnh\n+ Thời gian: trước 30/9/2023\n"
    )
    rows = assignment_rows(parse_text(text, default_year=2023))
    assert [
        (r["title"], r["lead_agency"], r["coordinating_agencies"], r["due_month"]) for r in rows
    ] == [
        ("Xây dựng văn bản quy phạm pháp luật của tỉnh", "Sở Tư pháp", "", "2023-06"),
        ("Kiểm tra, rà soát văn bản", "Sở Tư pháp", "", "2023-12"),
        ("Kiểm tra, rà soát văn bản", "Văn phòng UBND tỉnh", "", "2023-12"),
        (
            "Số hóa hồ sơ, kết quả giải quyết TTHC",
            "Sở Thông tin và Truyền thông",
            "Văn phòng UBND tỉnh",
            "2023-09",
        ),
    ]


def test_labels_on_one_line_after_the_task_heading():
    text = (
        "2. Cải cách thủ tục hành chính\na) Công bố danh mục thủ tục hành chính\n"
        "Cơ quan thực hiện: Văn phòng UBND tỉnh; thời hạn: Quý I/2023.\n"
    )
    assert keys(text) == [("Văn phòng UBND tỉnh", "2023-03")]


def test_lead_cell_marking_who_leads_and_who_coordinates():
    text = (
        "TT | Nội dung công việc | Cơ quan thực hiện | Thời gian hoàn thành\n"
        "1 | Rà soát quy trình nội bộ | Sở Nội vụ (chủ trì); Sở Tư pháp (phối hợp) | Quý II/2023\n"
    )
    rows = assignment_rows(parse_text(text, default_year=2023))
    assert [(r["lead_agency"], r["coordinating_agencies"], r["due_month"]) for r in rows] == [
        ("Sở Nội vụ", "Sở Tư pháp", "2023-06")
    ]


def test_lettered_heading_naming_an_agency_leads_the_bullets_under_it():
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n1. Trách nhiệm của các cơ quan, đơn vị\n"
        "a) Sở Nội vụ\n"
        "- Chủ trì tham mưu ban hành kế hoạch kiểm tra, hoàn thành trong tháng 3/2023.\n"
        "- Tổng hợp, báo cáo kết quả thực hiện Kế hoạch định kỳ 6 tháng, năm.\n"
        "b) Sở Thông tin và Truyền thông, Sở Khoa học và Công nghệ\n"
        "Phối hợp với Sở Nội vụ tuyên truyền về cải cách hành chính; "
        "thời gian thực hiện: năm 2023.\n"
        "c) UBND các huyện, thị xã, thành phố: triển khai Kế hoạch "
        "(hoàn thành trong Quý IV/2023).\n"
    )
    rows = assignment_rows(parse_text(text, default_year=2023))
    assert [
        (r["section"], r["lead_agency"], r["coordinating_agencies"], r["due_month"]) for r in rows
    ] == [
        ("IV.1.a", "Sở Nội vụ", "", "2023-03"),
        ("IV.1.a", "Sở Nội vụ", "", "2023-06"),
        ("IV.1.a", "Sở Nội vụ", "", "2023-12"),
        ("IV.1.b", "Sở Thông tin và Truyền thông", "Sở Nội vụ", "2023-12"),
        ("IV.1.b", "Sở Khoa học và Công nghệ", "Sở Nội vụ", "2023-12"),
    ]


def test_agency_names_end_where_the_work_begins():
    text = (
        "II. NHIỆM VỤ\n2. Nâng cao Chỉ số SIPAS\n"
        "* Văn phòng UBND tỉnh chủ trì, phối hợp với Sở Thông tin và Truyền thông nâng cấp "
        "Cổng dịch vụ công, hoàn thành trong tháng 8/2023;\n"
        "+ UBND quận Ninh Kiều, UBND huyện Phong Điền thí điểm mô hình một cửa hiện đại, "
        "hoàn thành trong Quý III/2023.\n"
    )
    rows = assignment_rows(parse_text(text, default_year=2023))
    assert [(r["lead_agency"], r["coordinating_agencies"], r["due_month"]) for r in rows] == [
        ("Văn phòng UBND tỉnh", "Sở Thông tin và Truyền thông", "2023-08"),
        ("UBND quận Ninh Kiều", "", "2023-09"),
        ("UBND huyện Phong Điền", "", "2023-09"),
    ]


def test_named_day_between_the_cue_and_its_date():
    text = (
        "1. Sở Y tế hoàn thành cấp thẻ bảo hiểm, xong trước ngày Quốc khánh 02/9/2024.\n"
        "2. Sở Công Thương tổ chức hội chợ trước ngày Tết Nguyên đán (10/02/2024).\n"
    )
    assert keys(text, 2024) == [("Sở Y tế", "2024-09"), ("Sở Công Thương", "2024-02")]


def test_official_name_with_a_comma_is_one_agency():
    text = (
        "1. Sở Văn hóa, Thể thao và Du lịch, Sở Tư pháp tổ chức tuyên truyền, "
        "hoàn thành trong tháng 5/2024.\n"
        "2. Các Sở: Văn hóa, Thể thao và Du lịch, Y tế báo cáo trước ngày 20/6/2024.\n"
    )
    assert keys(text, 2024) == [
        ("Sở Văn hóa, Thể thao và Du lịch", "2024-05"),
        ("Sở Tư pháp", "2024-05"),
        ("Sở Văn hóa, Thể thao và Du lịch", "2024-06"),
        ("Sở Y tế", "2024-06"),
    ]


def test_people_committee_written_in_full_is_its_own_list_member():
    text = (
        "1. Bộ Xây dựng, Bộ Công an và Ủy ban nhân dân các tỉnh, thành phố rà soát "
        "dữ liệu nhà ở, hoàn thành trước ngày 30/9/2024.\n"
    )
    # The collective "Ủy ban nhân dân các tỉnh, ..." names nobody; it is not glued onto Bộ Công an.
    assert keys(text, 2024) == [("Bộ Xây dựng", "2024-09"), ("Bộ Công an", "2024-09")]


def test_a_giao_heading_leads_the_bullets_under_it():
    text = (
        "2.1. Giao Vụ Tổng hợp\n"
        "- Xây dựng kịch bản thu ngân sách (hoàn thành trước 15/10/2024).\n"
        "- Báo cáo kết quả rà soát trong tháng 12/2024.\n"
        "2.2. Giao Cục Kiểm tra:\n"
        "- Hoàn thành cơ sở dữ liệu trong Quý I/2025.\n"
    )
    assert keys(text, 2024) == [
        ("Vụ Tổng hợp", "2024-10"),
        ("Vụ Tổng hợp", "2024-12"),
        ("Cục Kiểm tra", "2025-03"),
    ]


def test_lettered_labels_on_one_line_and_on_their_own_lines():
    text = (
        "1. Rà soát văn bản quy phạm sau sắp xếp\n"
        "a) Cơ quan chủ trì: Sở Tư pháp; b) Cơ quan phối hợp: Sở Nội vụ "
        "c) Thời gian thực hiện: Quý IV/2025\n"
        "2. Tuyên truyền pháp luật về dân chủ ở cơ sở\n"
        "- a) Cơ quan chủ trì: Sở Văn hóa, Thể thao và Du lịch\n"
        "b) Cơ quan phối hợp: Sở Nội vụ\n"
        "c) Thời gian thực hiện: Thường xuyên\n"
    )
    assert keys(text, 2025) == [("Sở Tư pháp", "2025-12"), ("Sở Văn hóa, Thể thao và Du lịch", "")]


def test_acronyms_in_a_lead_cell_are_agencies():
    text = (
        "| TT | Tên nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |\n"
        "| 1 | Tuyên truyền về chuyển đổi số | VTV, VOV, TTXVN, các địa phương | 6/2025 |\n"
    )
    assert keys(text, 2025) == [("VTV", "2025-06"), ("VOV", "2025-06"), ("TTXVN", "2025-06")]


def test_horizons_are_not_deadlines():
    text = (
        "1. Sở Khoa học và Công nghệ chủ trì, phấn đấu đến năm 2030 hoàn thành chuyển đổi số.\n"
        "2. Sở Nội vụ giám sát việc thực hiện Chiến lược đến năm 2025, định hướng đến năm 2030.\n"
        "3. Sở Tư pháp rà soát Quy hoạch thời kỳ 2021-2030, tầm nhìn đến năm 2050, "
        "hoàn thành trước ngày 30/6/2025.\n"
    )
    assert keys(text, 2025) == [("Sở Tư pháp", "2025-06")]


def test_the_date_an_event_takes_place_is_not_a_deadline():
    text = (
        "- Sở Tư pháp tuyên truyền các dự án Luật trong kỳ họp thứ 8 của Quốc hội diễn ra "
        "vào tháng 11/2024; báo cáo kết quả trước ngày 15/12/2024.\n"
        "- Sở Nội vụ chuẩn bị hội nghị khai mạc vào ngày 20/10/2024.\n"
    )
    assert keys(text, 2024) == [("Sở Tư pháp", "2024-12")]


def test_page_numbers_and_underlines_of_a_pdf_text_layer_are_no_numbering():
    text = (
        "2.4. Giao Vụ Tổng hợp\n\n"
        "- Rà soát dự toán thu năm sau (hoàn thành trước 15/10/2024).\n\n"
        "--- PAGE BREAK ---\n\n5\n\n"
        "- Báo cáo kết quả rà soát (trước 30/11/2024).\n\n"
        "_2.5. Giao Vụ Pháp chế.\n\n"
        "- Trình Tổng cục phương án sửa đổi trước ngày 15/12/2024.\n"
    )
    rows = assignment_rows(parse_text(text, default_year=2024))
    assert [(r["section"], r["lead_agency"], r["due_month"]) for r in rows] == [
        ("2.4", "Vụ Tổng hợp", "2024-10"),
        ("2.4", "Vụ Tổng hợp", "2024-11"),
        ("2.5", "Vụ Pháp chế", "2024-12"),
    ]


def test_a_purpose_opener_and_the_speaker_stand_before_the_subject():
    text = (
        "2.1. Để thể chế hoá đầy đủ Nghị quyết, Đảng đoàn Quốc hội xác định các nhiệm vụ sau:\n"
        "- Rà soát các vướng mắc về pháp luật; cơ bản hoàn thành trong năm 2025.\n"
        "3. Về các nhiệm vụ trọng tâm trong Quý I năm 2025, Tổng Bí thư nêu rõ, Ban cán sự "
        "đảng Chính phủ chỉ đạo rà soát Quy hoạch điện VIII.\n"
    )
    assert keys(text, 2025) == [
        ("Đảng đoàn Quốc hội", "2025-12"),
        ("Ban cán sự đảng Chính phủ", "2025-03"),
    ]


def test_the_date_something_happened_is_not_a_deadline():
    text = (
        "Ngày 22/12/2024, Bộ Chính trị đã ban hành Nghị quyết số 57-NQ/TW, theo đó giao "
        "Sở Khoa học và Công nghệ chủ trì triển khai.\n"
    )
    assert keys(text, 2025) == []


def test_a_general_department_is_an_agency():
    text = (
        "3. Tổng cục Thống kê căn cứ nhiệm vụ được giao, báo cáo Bộ Tài chính kết quả "
        "thực hiện chậm nhất là ngày 20 tháng 12.\n"
    )
    assert keys(text, 2022) == [("Tổng cục Thống kê", "2022-12")]


def test_every_member_of_a_list_may_be_addressed_by_its_head():
    text = (
        "1. Giám đốc Sở Nội vụ, Giám đốc Sở Tài chính rà soát biên chế, hoàn thành trước "
        "ngày 30/6/2025.\n"
        "2. Thường trực Ban Bí thư, Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam "
        "chỉ đạo ban hành kế hoạch, hoàn thành trong quý I/2025.\n"
    )
    assert keys(text, 2025) == [
        ("Sở Nội vụ", "2025-06"),
        ("Sở Tài chính", "2025-06"),
        ("Thường trực Ban Bí thư", "2025-03"),
        ("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "2025-03"),
    ]


# A task table as OCR reads a scan: each printed line runs across all the columns, the
# row number stands on a cell's middle line, a page break repeats the header.
READ_ACROSS_TABLE = """PHỤ LỤC
STT Nội dung công việc Thời gian Cơ quan chủ trì Cơ quan phối hợp
Rà soát, đánh giá các thủ tục hành chính thuộc Sở Tư pháp Các sở, ngành
1 | phạm vi quản lý, đề xuất phương án đơn giản hóa | Quý II/2023 liên quan
và công bố kết quả rà soát.
Xây dựng cơ sở dữ liệu cán bộ, công chức, viên Sở Nội vụ Sở Tài chính
2 | chức của tỉnh, kết nối với cơ sở dữ liệu quốc gia. 2023-2024

--- PAGE BREAK ---

STT Nội dung công việc Thời gian Cơ quan chủ trì Cơ quan phối hợp
Tổ chức tập huấn kỹ năng số cho công chức cấp xã Sở Thông tin và Truyền thông
3 | trên địa bàn tỉnh, ưu tiên các xã vùng sâu, vùng xa. 2024 UBND các huyện
"""


def test_a_table_read_across_by_ocr_gives_one_row_per_number():
    assert keys(READ_ACROSS_TABLE) == [
        ("Sở Tư pháp", "2023-06"),
        ("Sở Nội vụ", "2024-12"),
        ("Sở Thông tin và Truyền thông", "2024-12"),
    ]


def test_a_read_across_row_whose_lead_is_unreadable_is_left_out():
    garbled = READ_ACROSS_TABLE.replace("Sở Nội vụ Sở Tài chính", "Sở N ụ Sở Tài chính")
    assert keys(garbled) == [("Sở Tư pháp", "2023-06"), ("Sở Thông tin và Truyền thông", "2024-12")]


def test_a_deadline_opening_a_paragraph_covers_its_later_subjects():
    text = (
        "Về các nhiệm vụ trọng tâm trong Quý II năm 2023, Sở Nội vụ chủ trì tổng kết công tác "
        "cải cách hành chính. Sở Tư pháp rà soát các văn bản quy phạm pháp luật; bảo đảm tiến độ.\n"
    )
    assert keys(text) == [("Sở Nội vụ", "2023-06"), ("Sở Tư pháp", "2023-06")]
    # An opener without a deadline frames nothing.
    assert keys(text.replace("trong Quý II năm 2023", "của năm")) == []


def test_a_lower_case_line_after_a_full_stop_continues_in_a_wrapped_text():
    text = (
        "1. Sở Công Thương chủ trì rà soát các cụm công nghiệp trên địa bàn tỉnh, đánh\n"
        "giá hiệu quả đầu tư hạ tầng, đề xuất phương án xử lý các cụm chậm triển khai,\n"
        "bảo đảm quỹ đất cho doanh nghiệp, hoàn thiện hồ sơ theo quy định..\n"
        "trình Ủy ban nhân dân tỉnh trước ngày 30/9/2023.\n"
        "2. Sở Xây dựng hướng dẫn các huyện lập quy hoạch chung đô thị, bảo đảm\n"
        "kết nối hạ tầng giao thông, cấp thoát nước và xử lý chất thải.\n"
    )
    assert keys(text) == [("Sở Công Thương", "2023-09")]
