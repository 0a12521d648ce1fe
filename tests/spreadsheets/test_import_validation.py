"""Bad input is refused as a whole, each with its own message; nothing is saved."""

from __future__ import annotations

from datetime import date

import pytest

from planning.models import Assignment, AssignmentEvent, Plan, Task
from planning.spreadsheets.columns import COLUMNS
from planning.spreadsheets.readers import SheetError, read_upload
from planning.spreadsheets.services import import_file

from .conftest import row, sheet_csv, sheet_xlsx

pytestmark = pytest.mark.django_db


def run(content: bytes, name="nhiem-vu.csv", dry_run=False, **kwargs):
    return import_file(name=name, content=content, user=None, dry_run=dry_run, **kwargs)


def assert_nothing_saved():
    assert Assignment.objects.count() == 0
    assert Task.objects.count() == 0
    assert AssignmentEvent.objects.count() == 0


def messages(report) -> list[str]:
    return [str(p) for p in report.problems]


def test_valid_rows_import(plan, stp, stc):
    report = run(sheet_csv([row(), row(**{"Cơ quan chủ trì": "STC"})]))
    assert report.ok and report.created == 2
    assert Assignment.objects.filter(plan=plan).count() == 2
    assert Task.objects.count() == 1  # two lead agencies, one task


def test_missing_required_column_refused(plan, stp):
    header = [c for c in COLUMNS if c != "Thời hạn"]
    report = run(sheet_csv([row()], header=header))
    assert messages(report) == ["Dòng 1, cột 'Thời hạn': thiếu cột bắt buộc"]
    assert_nothing_saved()


def test_unknown_agency_refused_with_suggestion(plan, stp):
    report = run(
        sheet_csv([row(), row(**{"Nhiệm vụ": "Khác", "Cơ quan chủ trì": "Sở Tư Pháp HN"})])
    )
    # "Sở Tư Pháp HN" resolves (case and place name forgiven); a typo does not.
    assert report.ok
    report = run(
        sheet_csv(
            [
                row(**{"Nhiệm vụ": "Mới"}),
                row(**{"Nhiệm vụ": "Khác", "Cơ quan chủ trì": "Sở Tư phap xyz"}),
            ]
        )
    )
    assert messages(report) == [
        "Dòng 3, cột 'Cơ quan chủ trì': không tìm thấy 'Sở Tư phap xyz' — có phải 'Sở Tư pháp'?"
    ]
    # The valid first row of the refused file was rolled back too.
    assert not Task.objects.filter(title="Mới").exists()


def test_unknown_agency_in_a_fresh_database_saves_nothing(plan, stp):
    report = run(sheet_csv([row(), row(**{"Nhiệm vụ": "Khác", "Cơ quan chủ trì": "Sở Không Có"})]))
    assert messages(report) == ["Dòng 3, cột 'Cơ quan chủ trì': không tìm thấy 'Sở Không Có'"]
    assert_nothing_saved()


def test_unreadable_deadline_refused(plan, stp):
    report = run(sheet_csv([row(), row(**{"Nhiệm vụ": "B", "Thời hạn": "sớm nhất có thể"})]))
    assert messages(report) == [
        "Dòng 3, cột 'Thời hạn': không hiểu thời hạn 'sớm nhất có thể' — hãy ghi ví dụ "
        "'tháng 7/2022', 'Quý III/2022', '31/07/2022' hoặc 'Thường xuyên'"
    ]
    assert_nothing_saved()


def test_completion_before_plan_date_refused(plan, stp):
    bad = row(**{"Trạng thái": "Hoàn thành", "Ngày hoàn thành": "3/1/2022"})
    report = run(sheet_csv([row(**{"Nhiệm vụ": "A"}), bad]))
    assert messages(report) == [
        "Dòng 3, cột 'Ngày hoàn thành': ngày hoàn thành 03/01/2022 trước ngày ban hành "
        "kế hoạch (10/01/2022)"
    ]
    assert_nothing_saved()


def test_duplicate_rows_refused(plan, stp):
    report = run(sheet_csv([row(), row(**{"Nhiệm vụ": "B"}), row()]))
    assert messages(report) == [
        "Dòng 4, cột 'Nhiệm vụ': trùng với dòng 2 "
        "(cùng kế hoạch, mục, nhiệm vụ, cơ quan chủ trì và thời hạn)"
    ]
    assert_nothing_saved()


def test_done_without_completion_date_refused(plan, stp):
    report = run(sheet_csv([row(**{"Trạng thái": "Hoàn thành"})]))
    assert messages(report) == [
        "Dòng 2, cột 'Ngày hoàn thành': trạng thái 'Hoàn thành' cần ghi ngày hoàn thành"
    ]
    assert_nothing_saved()


def test_unknown_status_refused(plan, stp):
    report = run(sheet_csv([row(**{"Trạng thái": "Xong rồi"})]))
    assert "trạng thái 'Xong rồi' không hợp lệ" in messages(report)[0]
    assert_nothing_saved()


def test_every_problem_listed_at_once(plan, stp):
    report = run(
        sheet_csv(
            [
                row(**{"Cơ quan chủ trì": "Không rõ", "Thời hạn": "???"}),
                row(
                    **{"Nhiệm vụ": "B", "Trạng thái": "Hoàn thành", "Ngày hoàn thành": "31/2/2022"}
                ),
            ]
        )
    )
    assert [(p.line, p.column) for p in report.problems] == [
        (2, "Cơ quan chủ trì"),
        (2, "Thời hạn"),
        (3, "Ngày hoàn thành"),
    ]


def test_wrong_encoding_refused(plan, stp):
    # A legacy VNI-Windows file: tone marks are separate Latin-1 letters ("Keá hoaïch").
    text = sheet_csv([row()]).decode("utf-8").replace("Kế hoạch", "Keá hoaïch")
    vni = "".join(ch if ch.encode("cp1252", "ignore") else "ï" for ch in text)
    report = run(vni.encode("cp1252"))
    assert messages(report) == [
        "Không đọc được bảng mã của tệp (có thể là bảng mã cũ VNI hoặc TCVN3). Hãy mở tệp "
        "bằng Excel và lưu lại dưới dạng “CSV UTF-8 (Comma delimited)” hoặc .xlsx."
    ]
    assert_nothing_saved()


def test_empty_file_refused(plan):
    assert messages(run(b"")) == ["Tệp trống: không có dòng tiêu đề và không có dữ liệu."]
    assert messages(run(sheet_csv([]))) == ["Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."]
    assert_nothing_saved()


def test_file_over_the_limit_refused(plan, stp):
    content = sheet_csv([row()]) + b"x" * (20 * 1024 * 1024)
    assert messages(run(content)) == [
        "Tệp quá lớn (20 MB); giới hạn là 5 MB. Hãy tách thành nhiều tệp nhỏ hơn."
    ]
    assert_nothing_saved()


def test_sheet_with_formulas_refused(plan, stp):
    def add_formula(ws):
        ws["H2"] = "=TODAY()"

    report = run(sheet_xlsx([row()], tweak=add_formula), name="nhiem-vu.xlsx")
    assert messages(report) == [
        "Bảng tính có công thức (Dòng 2, cột 'Ngày hoàn thành'). Hãy sao chép và dán giá trị "
        "(Paste Values) rồi lưu lại trước khi nhập."
    ]
    assert_nothing_saved()


def test_merged_header_cells_refused(plan, stp):
    report = run(sheet_xlsx([row()], tweak=lambda ws: ws.merge_cells("A1:B1")), name="a.xlsx")
    assert messages(report) == [
        "Bảng tính ô tiêu đề bị gộp (A1:B1). Hãy bỏ gộp ô (Unmerge Cells) để mỗi cột có "
        "một tiêu đề và mỗi dòng đủ giá trị."
    ]
    assert_nothing_saved()


def test_unknown_column_refused(plan, stp):
    header = [*COLUMNS, "Điểm"]
    report = run(sheet_csv([row()], header=header))
    assert report.problems[0].column == "Điểm"
    assert "cột không thuộc mẫu" in report.problems[0].message
    assert_nothing_saved()


def test_dry_run_saves_nothing(plan, stp):
    report = run(sheet_csv([row()]), dry_run=True)
    assert report.ok and report.created == 1
    assert_nothing_saved()


def test_plan_that_does_not_exist_is_created_when_allowed(stp):
    report = run(
        sheet_csv([row(**{"Kế hoạch": "77/KH-UBND", "Thời hạn": "Quý III/2023"})]),
        allow_new_plans=True,
    )
    assert report.ok
    plan = Plan.objects.get(number="77/KH-UBND")
    assert plan.year == 2023
    assert plan.assignments.get().due_date == date(2023, 9, 30)


@pytest.mark.parametrize(
    ("cell", "due"),
    [
        ("tháng 7/2022", date(2022, 7, 31)),
        ("7/2022", date(2022, 7, 31)),
        ("Quý III/2022", date(2022, 9, 30)),
        ("31/07/2022", date(2022, 7, 31)),
        ("3/6/2023", date(2023, 6, 3)),
        ("2022-08-15", date(2022, 8, 15)),
        ("Thường xuyên", None),
    ],
)
def test_deadline_forms(plan, stp, cell, due):
    assert run(sheet_csv([row(**{"Thời hạn": cell})])).ok
    assert Assignment.objects.get().due_date == due


def test_real_excel_dates(plan, stp):
    data = row(**{"Trạng thái": "Hoàn thành"})
    data["Thời hạn"] = date(2022, 8, 15)
    data["Ngày hoàn thành"] = date(2022, 8, 1)
    assert run(sheet_xlsx([data]), name="a.xlsx").ok
    a = Assignment.objects.get()
    assert (a.due_date, a.completed_on, a.status) == (date(2022, 8, 15), date(2022, 8, 1), "done")


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("utf-16", ","), ("cp1258", ";")],
)
def test_encodings_and_delimiters(plan, stp, encoding, delimiter):
    content = sheet_csv(
        [row(**{"Ghi chú": "Đã gửi Sở Tư pháp"})], encoding=encoding, delimiter=delimiter
    )
    report = run(content)
    assert report.ok, messages(report)
    assert AssignmentEvent.objects.get(field="note").new_value == "Đã gửi Sở Tư pháp"


def test_reader_returns_nfc_text_and_skips_template_help_lines():
    content = sheet_csv([row(), {"Kế hoạch": "# Kế hoạch: số, ký hiệu"}], encoding="cp1258")
    dataset = read_upload(name="a.csv", data=content)
    assert len(dataset) == 1
    assert dataset[0][3] == "Sở Tư pháp"


def test_old_xls_refused():
    with pytest.raises(SheetError, match=r"\.xls cũ"):
        read_upload(name="a.xls", data=b"\xd0\xcf\x11\xe0whatever")


def test_new_plan_rows_with_different_deadlines_share_one_plan(stp, stc):
    rows = [
        row(**{"Kế hoạch": "77/KH-UBND", "Thời hạn": "Thường xuyên"}),
        row(**{"Kế hoạch": "77/KH-UBND", "Nhiệm vụ": "B", "Thời hạn": "Quý II/2023"}),
        row(**{"Kế hoạch": "77/KH-UBND", "Nhiệm vụ": "C", "Thời hạn": "tháng 3/2024"}),
    ]
    assert run(sheet_csv(rows), allow_new_plans=True).ok
    assert list(Plan.objects.values_list("number", "year")) == [("77/KH-UBND", 2023)]
    assert Plan.objects.get().assignments.count() == 3


def test_coordinating_agencies_are_linked_and_kept_as_written(plan, stp, stc, snv):
    cell = "Sở Tài chính; SNV; Công an Thành phố"
    assert run(sheet_csv([row(**{"Cơ quan phối hợp": cell})])).ok
    task = Task.objects.get()
    assert task.coordination_text == cell
    assert sorted(task.coordinating_agencies.values_list("code", flat=True)) == ["SNV", "STC"]
