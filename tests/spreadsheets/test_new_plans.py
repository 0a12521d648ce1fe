"""A sheet never creates a plan by accident: new plans are listed and confirmed,
a typo of an existing plan's number is an error that names it.

Who: `coordinator` (Sở Nội vụ) uploads and confirms; the command runs as a script.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from planning.models import Assignment, AssignmentEvent, Plan, Task
from planning.spreadsheets.services import import_file
from tests.conftest import client_for
from tests.factories import make_plan

from .conftest import row, sheet_csv
from .test_pages import upload

pytestmark = pytest.mark.django_db

TYPO = "Chưa có kế hoạch"


@pytest.fixture
def kh192(db):
    return make_plan("192/KH-UBND", year=2022, issued_on=date(2022, 7, 8))


def run(content: bytes, **kwargs):
    kwargs.setdefault("dry_run", False)
    return import_file(name="nhiem-vu.csv", content=content, user=None, **kwargs)


def assert_nothing_saved(plans_before: int):
    assert Plan.objects.count() == plans_before
    assert Assignment.objects.count() == 0
    assert Task.objects.count() == 0
    assert AssignmentEvent.objects.count() == 0


def typo_file() -> bytes:
    """Two good rows of KH 5, then three rows (two tasks) of a mistyped plan."""
    return sheet_csv(
        [
            row(),
            row(**{"Nhiệm vụ": "Thứ hai"}),
            row(**{"Kế hoạch": "77/KH-UBDN"}),
            row(**{"Kế hoạch": "77/KH-UBDN", "Cơ quan chủ trì": "Sở Tài chính"}),
            row(**{"Kế hoạch": "77/KH-UBDN", "Nhiệm vụ": "Khác", "Thời hạn": "Quý III/2022"}),
        ]
    )


# --- The service ------------------------------------------------------------------


def test_a_new_plan_is_refused_unless_allowed(plan, stp, stc):
    report = run(typo_file())
    assert [(p.line, p.column) for p in report.problems] == [(4, "Kế hoạch")]
    assert "77/KH-UBDN (năm 2022): 2 nhiệm vụ, 3 dòng (dòng 4, 5, 6)" in report.problems[0].message
    assert "cần được xác nhận" in report.problems[0].message
    assert_nothing_saved(plans_before=1)  # the good rows of KH 5 are not saved either


@pytest.mark.parametrize("dry_run", [True, False])
def test_new_plans_are_listed_with_their_tasks(plan, stp, stc, dry_run):
    report = run(typo_file(), dry_run=dry_run, allow_new_plans=True)
    assert report.ok
    assert [(p.number, p.year, p.tasks, p.lines) for p in report.new_plans] == [
        ("77/KH-UBDN", 2022, 2, [4, 5, 6])
    ]


def test_only_the_confirmed_new_plans_are_created(plan, stp):
    content = sheet_csv(
        [row(**{"Kế hoạch": "77/KH-UBND"}), row(**{"Kế hoạch": "78/KH-UBND", "Nhiệm vụ": "B"})]
    )
    report = run(content, allow_new_plans=[("77/KH-UBND", 2022)])
    assert [(p.line, p.column) for p in report.problems] == [(3, "Kế hoạch")]
    assert "'78/KH-UBND'" in report.problems[0].message
    assert_nothing_saved(plans_before=1)

    report = run(content, allow_new_plans=[("77/KH-UBND", 2022), ("78/KH-UBND", 2022)])
    assert report.ok and report.created == 2
    assert sorted(Plan.objects.values_list("number", flat=True)) == [
        "5/KH-UBND",
        "77/KH-UBND",
        "78/KH-UBND",
    ]


@pytest.mark.parametrize(
    "typo",
    [
        "192/KH-UBDN",  # two letters swapped
        "192/KH-UBN",  # one left out
        "192/KH-UBNDD",  # one too many
        "192/KH-UB",  # two left out
        "192/KH-UBMD",  # one wrong
    ],
)
def test_a_number_close_to_an_existing_plan_is_an_error_naming_it(kh192, stp, typo):
    report = run(sheet_csv([row(**{"Kế hoạch": typo})]), allow_new_plans=True)
    assert [str(p) for p in report.problems] == [
        f"Dòng 2, cột 'Kế hoạch': chưa có kế hoạch '{typo}'. Có phải là 192/KH-UBND? "
        "(Nếu đúng là một kế hoạch khác, hãy tạo kế hoạch đó ở trang “Tạo kế hoạch” "
        "trước rồi nhập lại.)"
    ]
    assert report.new_plans == []
    assert_nothing_saved(plans_before=1)


@pytest.mark.parametrize(
    "number",
    [
        "193/KH-UBND",  # another document number: another plan
        "19/KH-UBND",
        "192/KH-U",  # three characters away
        "192/KH-SNV",
    ],
)
def test_numbers_further_away_are_new_plans(kh192, stp, number):
    report = run(sheet_csv([row(**{"Kế hoạch": number})]), allow_new_plans=True)
    assert report.ok, [str(p) for p in report.problems]
    assert [p.number for p in report.new_plans] == [number]


@pytest.mark.parametrize("spelling", ["192/kh-ubnd", "192 / KH-UBND", "192/KH–UBND", "192/KH-UBND"])
def test_other_spellings_of_an_existing_number_are_that_plan(kh192, stp, spelling):
    report = run(sheet_csv([row(**{"Kế hoạch": spelling})]))
    assert report.ok, [str(p) for p in report.problems]
    assert report.new_plans == []
    assert Assignment.objects.get().plan == kh192


# --- The command ------------------------------------------------------------------


def command(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_assignments", str(path), *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_command_refuses_a_new_plan_without_the_flag(tmp_path, plan, stp, stc, dry_run):
    path = tmp_path / "a.csv"
    path.write_bytes(typo_file())
    with pytest.raises(CommandError) as refused:
        command(path, *dry_run)
    message = str(refused.value)
    assert "Tệp tạo 1 kế hoạch chưa có trong hệ thống: 77/KH-UBDN (năm 2022)" in message
    assert "--allow-new-plans" in message
    assert_nothing_saved(plans_before=1)


def test_command_creates_new_plans_with_the_flag(tmp_path, plan, stp, stc):
    path = tmp_path / "a.csv"
    path.write_bytes(typo_file())
    out = command(path, "--allow-new-plans")
    assert "Kế hoạch mới đã tạo (1):\n  77/KH-UBDN (năm 2022): 2 nhiệm vụ, 3 dòng" in out
    assert Plan.objects.get(number="77/KH-UBDN").assignments.count() == 3


def test_command_refuses_a_near_miss_even_with_the_flag(tmp_path, kh192, stp):
    path = tmp_path / "a.csv"
    path.write_bytes(sheet_csv([row(**{"Kế hoạch": "192/KH-UBDN"})]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command(
            "import_assignments", str(path), "--allow-new-plans", stdout=out, stderr=io.StringIO()
        )
    assert "Có phải là 192/KH-UBND?" in out.getvalue()
    assert_nothing_saved(plans_before=1)


# --- The pages --------------------------------------------------------------------


def confirm(client, response, **data):
    job_id = response.resolver_match.kwargs["job_id"]
    return client.post(reverse("spreadsheets:confirm", args=[job_id]), data, follow=True)


def test_preview_lists_new_plans_and_confirming_needs_their_own_tick(
    client, coordinator, plan, stp, stc
):
    c = client_for(client, coordinator)
    preview = upload(c, typo_file())
    page = preview.content.decode()
    assert "Kế hoạch mới sẽ được tạo (1)" in page
    assert (
        '<td class="nowrap"><strong>77/KH-UBDN</strong></td><td class="num">2022</td>'
        '<td class="num">2</td><td>3 dòng: 4, 5, 6</td>'
    ) in page
    assert "Tôi xác nhận tạo 1 kế hoạch mới: 77/KH-UBDN (năm 2022)" in page

    refused = confirm(c, preview)
    assert refused.status_code == 200
    assert "hãy đánh dấu ô xác nhận" in refused.content.decode()
    assert_nothing_saved(plans_before=1)

    done = confirm(c, preview, confirm_new_plans="on")
    assert "Đã nhập xong: tạo mới 5, cập nhật 0, bỏ qua 0 dòng." in done.content.decode()
    assert "Kế hoạch mới đã tạo (1)" in done.content.decode()
    assert Plan.objects.get(number="77/KH-UBDN").assignments.count() == 3


def test_a_file_without_new_plans_needs_no_tick(client, coordinator, plan, stp):
    c = client_for(client, coordinator)
    preview = upload(c, sheet_csv([row()]))
    assert "Tôi xác nhận tạo" not in preview.content.decode()
    assert "Đã nhập xong: tạo mới 1" in confirm(c, preview).content.decode()


def test_preview_shows_the_values_of_new_rows(client, coordinator, plan, stp, stc):
    c = client_for(client, coordinator)
    cells = {
        "Kế hoạch": "77/KH-UBND",
        "Cơ quan phối hợp": "Sở Tài chính",
        "Thời hạn": "Quý III/2022",
        "Trạng thái": "Hoàn thành",
        "Ngày hoàn thành": "15/09/2022",
        "Văn bản kiểm chứng": "Báo cáo 12/BC-STP",
    }
    page = upload(c, sheet_csv([row(**cells)])).content.decode()
    assert (
        "Kế hoạch: 77/KH-UBND (kế hoạch mới, năm 2022)<br>Mục: 1.1<br>"
        "Nhiệm vụ: Rà soát thủ tục hành chính<br>Cơ quan chủ trì: Sở Tư pháp<br>"
        "Cơ quan phối hợp: Sở Tài chính<br>Thời hạn: Quý III/2022 (hạn 30/09/2022)<br>"
        "Trạng thái: Hoàn thành<br>Ngày hoàn thành: 15/09/2022<br>"
        "Văn bản kiểm chứng: Báo cáo 12/BC-STP"
    ) in page


def test_preview_names_the_existing_plan_for_a_typo(client, coordinator, kh192, stp):
    c = client_for(client, coordinator)
    preview = upload(c, sheet_csv([row(**{"Kế hoạch": "192/KH-UBDN"})]))
    page = preview.content.decode()
    assert "Có phải là 192/KH-UBND?" in page
    assert "Xác nhận nhập" not in page
    assert confirm(c, preview, confirm_new_plans="on").status_code == 404
    assert_nothing_saved(plans_before=1)
