"""The layout stage and the rules read from real 2025 texts, each on a short excerpt.

The excerpts are copied (shortened) from the crawled documents in
/work/shared/fixtures/real-2025: tables flattened one cell per line with lone "|"
lines, hard-wrapped lines, markdown emphasis, the furniture of the site they were
copied from.
"""

from __future__ import annotations

from planning.parsing import parse_text
from planning.parsing.extract import normalize_text
from planning.parsing.importing import assignment_rows
from planning.parsing.layout import lay_out


def rows(text: str, year: int = 2025) -> list[dict]:
    return assignment_rows(parse_text(text, default_year=year))


def keys(text: str, year: int = 2025) -> list[tuple[str, str]]:
    return [(r["lead_agency"], r["due_month"]) for r in rows(text, year)]


FLATTENED_TABLE = """PHỤ LỤC
|
**TT**
|
**Nhiệm vụ**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian dự kiến hoàn thành**
|
**Kết quả dự kiến**
|
|
**I**
|
**Hoàn
thiện thể chế**
|
|
1
|
Phối hợp rà soát, sửa đổi Luật
Quy hoạch và xây dựng các văn bản quy phạm pháp luật có liên quan.
|
Sở Tài chính
|
Các sở, ngành, UBND xã, phường, đặc khu
|
Quý IV/2025
|
Luật Quy hoạch
|
|
2
|
Xây dựng hạ tầng công nghệ
thông tin, trang thiết bị tại Sở Tài chính.
|
Trung tâm Chuyển đổi số Thành phố
|
Sở Khoa học và Công nghệ
|
Năm 2025 - 2026
|
Cổng thông tin
|
|
Xây dựng hạ tầng kỹ thuật
dự phòng.
|
Sở Khoa học và Công nghệ
|
|
3
|
Đề xuất điều chỉnh, bổ sung nhiệm vụ.
|
Sở Tài chính
|
Các sở, ngành
|
Khi có phát sinh.
|
|
"""


def test_a_table_flattened_one_cell_per_line_is_read_row_by_row():
    got = rows(FLATTENED_TABLE)
    assert [(r["lead_agency"], r["due_month"]) for r in got] == [
        ("Sở Tài chính", "2025-12"),
        ("Trung tâm Chuyển đổi số Thành phố", "2026-12"),
        # A sub-row without a number: its time cell was merged with the row above.
        ("Sở Khoa học và Công nghệ", "2026-12"),
        # "Khi có phát sinh": a task of the table with no dated deadline, phrase kept.
        ("Sở Tài chính", ""),
    ]
    assert got[0]["title"].startswith("Phối hợp rà soát, sửa đổi Luật Quy hoạch và xây dựng")
    assert got[3]["due_text"] == "Khi có phát sinh."


def test_a_rebuilt_table_row_points_at_the_line_of_its_task_cell():
    parsed = parse_text(FLATTENED_TABLE, default_year=2025)
    lines = FLATTENED_TABLE.split("\n")
    first = parsed.rows[0]
    assert lines[first.line - 1] == "Phối hợp rà soát, sửa đổi Luật"


def test_a_head_of_agency_column_is_not_the_lead_column():
    text = (
        "| STT | Tên nhiệm vụ | Người đứng đầu chịu trách nhiệm | Cơ quan chủ trì "
        "| Cơ quan phối hợp | Kết quả | Thời hạn hoàn thành |\n"
        "| 1 | Xây dựng bộ quy tắc ứng xử văn hóa trên môi trường số | Cục trưởng Cục Báo chí "
        "| Các Cục: Di sản văn hóa, Bản quyền tác giả | Các đơn vị | Bộ quy tắc | Tháng 12/2025 |\n"
    )
    assert keys(text) == [("Cục Di sản văn hóa", "2025-12"), ("Cục Bản quyền tác giả", "2025-12")]


def test_a_lead_cell_with_one_name_per_line_gives_each_name():
    text = (
        "|\nTT\n|\nNhiệm vụ\n|\nCơ quan chủ trì\n|\nThời gian\n|\n|\n"
        "4\n|\nBố trí nhân lực đảm bảo đủ năng lực.\n|\n"
        "Trung tâm Chuyển đổi số Thành phố\nSở Tài chính\n|\nNăm 2026\n|\n|\n"
    )
    assert keys(text) == [
        ("Trung tâm Chuyển đổi số Thành phố", "2026-12"),
        ("Sở Tài chính", "2026-12"),
    ]


def test_a_merged_sub_row_reads_the_same_as_pipe_rows_and_one_cell_per_line():
    # A web page's rowspan: the sub-row lists only its task and lead cells. Copied as
    # pipe rows (padded or not) it must read as the flattened copy does.
    header = "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n"
    first = (
        "| 2 | Xây dựng hạ tầng công nghệ. | Trung tâm Chuyển đổi số | Sở Tài chính | Năm 2026 |\n"
    )
    for sub in (
        "| Xây dựng hạ tầng kỹ thuật dự phòng. | Sở Khoa học và Công nghệ |\n",
        "| Xây dựng hạ tầng kỹ thuật dự phòng. | Sở Khoa học và Công nghệ |  |  |  |\n",
    ):
        assert keys(header + first + sub) == [
            ("Trung tâm Chuyển đổi số", "2026-12"),
            ("Sở Khoa học và Công nghệ", "2026-12"),
        ]


def test_an_abbreviation_on_its_own_line_goes_on_with_the_name_of_a_lead_cell():
    flattened = (
        "|\nTT\n|\nNhiệm vụ\n|\nCơ quan chủ trì\n|\nThời gian\n|\n|\n"
        "7\n|\nRà soát, tái cấu trúc quy trình.\n|\n"
        "Các đơn vị được giao thực hiện\nTTHC\n|\n31/12/2025\n|\n|\n"
    )
    piped = (
        "| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |\n"
        "| 7 | Rà soát, tái cấu trúc quy trình. | Các đơn vị được giao thực hiện TTHC "
        "| 31/12/2025 |\n"
    )
    assert keys(flattened) == keys(piped)
    assert all(
        part.strip() != "TTHC" for r in rows(flattened) for part in r["lead_agency"].split(";")
    )


def test_prose_between_two_flattened_tables_is_not_a_cell_of_the_first():
    table = (
        "|\nTT\n|\nNhiệm vụ\n|\nCơ quan chủ trì\n|\nThời gian\n|\n|\n"
        "1\n|\nRà soát quy trình nội bộ.\n|\nSở Tài chính\n|\nQuý IV/2025\n|\n|\n"
    )
    prose = "\n2. Sở Tư pháp kiểm tra văn bản (hoàn thành trong tháng 9/2025).\n\nPHỤ LỤC II\n\n"
    assert keys(table + prose + table) == [
        ("Sở Tài chính", "2025-12"),
        ("Sở Tư pháp", "2025-09"),
        ("Sở Tài chính", "2025-12"),
    ]


def test_a_short_line_of_a_hard_wrapped_text_ends_its_paragraph():
    # Wrapped at 60: the heading stops short of the width, so "Sở Tư pháp …" below it
    # opens the lead block instead of running on in the heading.
    text = (
        "1. Nội dung: Xây dựng và tổ chức thực hiện văn bản quy\n"
        "phạm pháp luật (QPPL) của Thành phố\n"
        "Sở Tư pháp chủ trì, phối hợp với các sở, ban, ngành; UBND\n"
        "các quận, huyện, thị xã:\n"
        "- Tổ chức tập huấn, bồi dưỡng đối với đội ngũ làm công tác\n"
        "pháp chế (hoàn thành trong tháng 9/2022).\n"
        "- Kiểm tra, đôn đốc, tăng cường kỷ luật, kỷ cương trong\n"
        "công tác xây dựng văn bản (hoàn thành trong tháng 11/2022).\n"
    )
    assert keys(text, 2022) == [("Sở Tư pháp", "2022-09"), ("Sở Tư pháp", "2022-11")]


def test_a_pipe_row_cut_by_a_hard_wrap_is_one_row_again():
    text = (
        "| TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |\n"
        "Thời gian hoàn thành |\n"
        "|---|---|---|---|---|\n"
        "| 1. | Xây dựng, trình Thủ tướng Chính phủ ban hành chương\n"
        "trình tuyên truyền thường xuyên. |\n"
        "Bộ Khoa học và Công nghệ | Ban Tuyên giáo Trung ương; các\n"
        "bộ, ngành, địa phương | 6/2025 |\n"
        "| 2. | Xây dựng chương trình chuyên biệt | Bộ Nội vụ | Các bộ\n"
        "| Thường xuyên\n"
        "|\n"
    )
    assert keys(text) == [("Bộ Khoa học và Công nghệ", "2025-06"), ("Bộ Nội vụ", "")]


def test_a_pdf_page_break_drops_its_page_number_and_joins_the_paragraph_it_cut():
    # pdftotext ends each page with a form feed; Word prints the page number at the top.
    text = (
        "KẾ HOẠCH\n"
        "1. Sở Nội vụ chủ trì:\n"
        "- Rà soát, sửa đổi quy chế làm việc của các cơ quan chuyên môn và\n"
        "\n\f\n2\n\n"
        "cập nhật hồ sơ công việc (hoàn thành trong tháng 7/2022).\n"
        "\f\n3\n"
        "- Kiểm tra công tác văn thư (hoàn thành trong tháng 9/2022).\n"
    )
    got = rows(text, 2022)
    assert [(r["lead_agency"], r["due_month"]) for r in got] == [
        ("Sở Nội vụ", "2022-07"),
        ("Sở Nội vụ", "2022-09"),
    ]
    assert "chuyên môn và cập nhật hồ sơ công việc" in got[0]["title"]


def test_a_number_after_a_page_break_that_is_not_the_page_number_stays():
    text = "Trang đầu.\n\f\n7\nSở Tư pháp kiểm tra (hoàn thành trong tháng 9/2022).\n"
    lines = [line.text for line in lay_out(normalize_text(text).split("\n"))]
    assert any(line.startswith("7") for line in lines)


def test_emphasis_and_site_furniture_are_not_read():
    text = (
        "Bản dịch này thuộc quyền sở hữu của **\nTHƯ VIỆN PHÁP LUẬT**. Mọi hành vi sao chép\n"
        "Đang tải văn bản...\n"
        "## Hỗ trợ Nhân dân sửa nhà trước ngày 30/11/2025\n"
        "- Bộ Xây dựng hướng dẫn sửa nhà, hoàn thành trước ngày 30/11/2025.\n"
        "Xem chi tiết nội dung tại Công điện 227/CĐ-TTg ngày 23/11/2025.\n"
        "**CÔNG ĐIỆN**\n"
        "1. Bộ Y tế bổ sung thuốc chữa bệnh, **hoàn thành trước ngày 30/11/2025.**\n"
        "## Văn bản liên quan\n"
        "Sở Nội vụ trình đề án, hoàn thành trước ngày 15/12/2025.\n"
    )
    # The site's summary before the text and its pages after it are not the plan's.
    got = rows(text)
    assert [(r["lead_agency"], r["due_month"]) for r in got] == [("Bộ Y tế", "2025-11")]
    assert "*" not in got[0]["title"] and "*" not in got[0]["due_text"]


def test_hard_wrapped_labelled_block_is_read_as_one_task():
    text = (
        "II. NỘI DUNG\n\n"
        "2. Tổ chức tập huấn chuyên\nsâu, bồi dưỡng kiến thức pháp luật\n\n"
        "- Cơ quan chủ trì: Bộ Công\nan.\n\n"
        "- Cơ quan phối hợp: các bộ,\ncơ quan ngang bộ.\n\n"
        "- Thời gian thực hiện: Quý\nIV năm 2025.\n"
    )
    got = rows(text)
    assert [(r["lead_agency"], r["due_month"]) for r in got] == [("Bộ Công an", "2025-12")]
    assert got[0]["title"] == "Tổ chức tập huấn chuyên sâu, bồi dưỡng kiến thức pháp luật"


def test_a_numbering_alone_on_its_line_heads_the_text_below_it():
    text = (
        "IV. NHIỆM VỤ CỤ THỂ\n\n1.\n\nNhiệm vụ của thành viên Ban Chỉ đạo\n\n"
        "1.2.\n\nSở Tài chính - Cơ quan thường trực Ban Chỉ đạo\n\n"
        "- Phối hợp với các cơ quan chuyên môn có liên quan hướng dẫn chỉ tiêu,\n"
        "biểu mẫu kiểm kê.\n\n"
        "Thời gian hoàn thành: Tháng 12/2025.\n\n"
        "- Làm đầu mối tổ chức tập huấn.\n\n"
        "Thời gian thực hiện: Tháng 11 - 12/2025.\n"
    )
    got = rows(text)
    assert [(r["section"], r["lead_agency"], r["due_month"]) for r in got] == [
        ("1.2", "Sở Tài chính", "2025-12"),
        ("1.2", "Sở Tài chính", "2025-12"),
    ]


def test_a_hyphenated_name_in_a_heading_is_not_cut_at_its_dash():
    text = (
        "1. Viện Nghiên cứu phát triển kinh tế - xã hội Thành phố\n"
        "- Khảo sát mức độ hài lòng, hoàn thành trong tháng 9/2025.\n"
    )
    assert keys(text) == [("Viện Nghiên cứu phát triển kinh tế - xã hội Thành phố", "2025-09")]


def test_minister_and_provincial_leaders_are_addressed_as_their_agencies():
    text = (
        "Thủ tướng Chính phủ yêu cầu:\n"
        "1. Bí thư tỉnh ủy và Chủ tịch Ủy ban nhân dân các\n"
        "tỉnh: Đắk Lắk, Gia Lai và Lâm Đồng tiếp tục phân công nhiệm vụ cụ\n"
        "thể, trong đó tập trung một số nhiệm vụ sau:\n"
        "(1) Huy động các lực lượng hỗ trợ dọn dẹp, khôi phục sản xuất kinh doanh\n"
        "**trước ngày 30/11/2025.**\n"
        "2. Bộ trưởng Bộ Tài chính chủ trì:\n"
        "(1) Khẩn trương hoàn thiện dự thảo Nghị quyết, trình Chính phủ trước\n"
        "ngày 26/11/2025.\n"
    )
    assert keys(text) == [
        ("Ủy ban nhân dân tỉnh Đắk Lắk", "2025-11"),
        ("Ủy ban nhân dân tỉnh Gia Lai", "2025-11"),
        ("Ủy ban nhân dân tỉnh Lâm Đồng", "2025-11"),
        ("Bộ Tài chính", "2025-11"),
    ]


def test_a_group_of_sở_keeps_a_name_with_và_whole():
    text = (
        "Giao các Sở: Kế hoạch và Đầu tư, Tư pháp rà soát quy trình, "
        "hoàn thành trong tháng 8/2025.\n"
    )
    assert keys(text) == [("Sở Kế hoạch và Đầu tư", "2025-08"), ("Sở Tư pháp", "2025-08")]


def test_a_conclusion_names_its_topic_before_the_lead():
    text = (
        "1. Về dự án nạo vét luồng tàu: Bộ Xây dựng khẩn trương rà soát, bàn giao dự án "
        "cho tỉnh Thanh Hóa, hoàn thành trước ngày 31 tháng 12 năm 2025.\n"
        "2. Về kiến nghị tăng số lượng cấp phó: giao Bộ Nội vụ chủ trì, phối hợp với các "
        "cơ quan liên quan nghiên cứu, báo cáo Chính phủ trước ngày 30 tháng 11 năm 2025.\n"
    )
    assert keys(text) == [("Bộ Xây dựng", "2025-12"), ("Bộ Nội vụ", "2025-11")]


def test_a_minister_quoted_in_a_headline_is_not_a_lead():
    text = (
        "Bộ trưởng Bộ Nội vụ: Dự kiến hoàn thành việc sắp xếp đơn vị hành chính cấp xã "
        "trước ngày 30/6\n"
    )
    assert keys(text) == []


def test_a_span_of_years_in_a_deadline_cell_is_due_at_its_end():
    text = (
        "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |\n"
        "| 1 | Đào tạo, bồi dưỡng chuyên môn | Sở Nội vụ | Năm 2025-2030 |\n"
        "| 2 | Góp ý Thông tư | Sở Tư pháp | Năm 2025 - 2026 |\n"
    )
    assert keys(text) == [("Sở Nội vụ", "2030-12"), ("Sở Tư pháp", "2026-12")]


def test_a_typed_plan_with_unfinished_headings_is_not_joined():
    # One paragraph per line, headings without a full stop: nothing here is hard-wrapped.
    text = (
        "1. Cải cách thể chế\n"
        "Sở Tư pháp rà soát văn bản quy phạm pháp luật, hoàn thành trong tháng 9/2025.\n"
        "2. Cải cách thủ tục hành chính\n"
        "Văn phòng UBND tỉnh công bố thủ tục hành chính, hoàn thành trong Quý IV/2025.\n"
    )
    assert [(r["section"], r["lead_agency"], r["due_month"]) for r in rows(text)] == [
        ("1", "Sở Tư pháp", "2025-09"),
        ("2", "Văn phòng UBND tỉnh", "2025-12"),
    ]


def test_a_labelled_time_without_a_dated_end_is_an_undated_task():
    text = (
        "1. Sở Tài chính\n\n"
        "- Tuyên truyền, quán triệt các quy định về quản lý tài sản công.\n\n"
        "Thời gian thực hiện: Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê.\n\n"
        "- Tổ chức tập huấn, bồi dưỡng kiến thức.\n\n"
        "Thời gian thực hiện: Theo kế hoạch công tác tư pháp hàng năm.\n\n"
        "- Thực hiện chế độ hỗ trợ.\n\n"
        "Thời gian thực hiện: Từ 01/7/2025.\n\n"
        "- Tổng hợp kết quả kiểm kê.\n\n"
        "Thời gian hoàn thành: Từ tháng 11 đến tháng 12/2025.\n"
    )
    got = rows(text)
    assert [(r["lead_agency"], r["due_month"]) for r in got] == [
        ("Sở Tài chính", ""),
        ("Sở Tài chính", ""),
        ("Sở Tài chính", ""),
        ("Sở Tài chính", "2025-12"),
    ]
    assert got[0]["due_text"] == "Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê"


def test_a_collective_heading_leads_with_the_members_it_lists():
    text = (
        "1.3. Các cơ quan tham mưu quản lý ngành (gồm các Sở: Xây dựng, Công Thương)\n\n"
        "- Phối hợp hướng dẫn các cơ quan, đơn vị thực hiện kiểm kê.\n\n"
        "Thời gian hoàn thành: Tháng 12/2025.\n"
    )
    assert keys(text) == [("Sở Xây dựng", "2025-12"), ("Sở Công Thương", "2025-12")]


def test_more_label_wordings_name_the_lead_and_the_deadline():
    text = (
        "4. Tổ chức tập huấn kỹ năng xây dựng pháp luật\n\n"
        "Đơn vị chủ trì tham mưu thực hiện: Sở Tư pháp.\n\n"
        "Đơn vị phối hợp thực hiện: Các cơ quan, đơn vị liên quan.\n\n"
        "Thời gian thực hiện: Tháng 12/2025.\n\n"
        "5. Xây dựng Nghị định quy định chi tiết Luật\n\n"
        "+ Cơ quan chủ trì: Bộ Công an.\n\n"
        "+ Thời hạn ban hành: trước ngày 01 tháng 01 năm 2026.\n\n"
        "6. Rà soát văn bản quy phạm pháp luật\n\n"
        "- Cơ quan thực hiện: Bộ Công an tiến hành rà soát các văn bản quy phạm pháp luật có "
        "liên quan đến Luật thuộc thẩm quyền quản lý.\n\n"
        "- Thời gian thực hiện: năm 2026 - 2027.\n"
    )
    assert keys(text) == [
        ("Sở Tư pháp", "2025-12"),
        ("Bộ Công an", "2026-01"),
        ("Bộ Công an", "2027-12"),
    ]


def test_a_group_list_separated_by_semicolons_keeps_commas_inside_names():
    text = (
        "| STT | Tên nhiệm vụ | Cơ quan chủ trì | Thời hạn hoàn thành |\n"
        "| 4 | Rà soát, tái cấu trúc quy trình thủ tục hành chính | Các Cục: Bản quyền tác giả; "
        "Xuất bản, In và Phát hành; Báo chí. Vụ Kế hoạch, Tài chính | Tháng 12/2025 |\n"
    )
    assert keys(text) == [
        ("Cục Bản quyền tác giả", "2025-12"),
        ("Cục Xuất bản, In và Phát hành", "2025-12"),
        ("Cục Báo chí", "2025-12"),
        ("Vụ Kế hoạch, Tài chính", "2025-12"),
    ]


def test_named_provinces_and_adverbs_after_an_addressee():
    text = (
        "3. Về các dự án giao thông:\n"
        "b) Thành phố Hà Nội và các tỉnh Bắc Ninh, Gia Lai đẩy nhanh tiến độ lập, phê duyệt "
        "Báo cáo nghiên cứu khả thi, hoàn thành trong tháng 12/2025.\n"
        "c) Bộ Tư pháp kịp thời khắc phục tình trạng chậm của Hệ thống, hoàn thành trong tháng "
        "11 năm 2025.\n"
    )
    assert keys(text) == [
        ("Thành phố Hà Nội", "2025-12"),
        ("tỉnh Bắc Ninh", "2025-12"),
        ("tỉnh Gia Lai", "2025-12"),
        ("Bộ Tư pháp", "2025-11"),
    ]


def test_thousands_of_separator_lines_parse_in_linear_time():
    import time

    def seconds(n: int) -> float:
        start = time.perf_counter()
        # The last part: small tables read across by OCR, each header scanned once.
        table = "STT Nội dung chủ trì\n1 a 2023 Sở Tư pháp\n2 b 2024 Sở Nội vụ\n3 c 2024 Sở Y tế\n"
        text = "|\n" * n + "| --- | --- |\n" * n + "1.\n\n" * n + table * (n // 4)
        parse_text(text, default_year=2025)
        return time.perf_counter() - start

    small, large = seconds(5_000), seconds(20_000)
    # Four times the lines may take about four times as long, not sixteen (a loose bound:
    # the machine is shared).
    assert large < 10 * max(small, 0.05)
