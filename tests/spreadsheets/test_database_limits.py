"""What the database would refuse is a Vietnamese message on its row, the same on
SQLite (which stores any length) and PostgreSQL; nothing of the file is saved.

Who: `coordinator` (Sở Nội vụ) uploads; the command runs as a script.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DataError

from planning.models import Assignment, Plan, Section, Task
from planning.spreadsheets.services import Problem, database_problem, import_file
from tests.conftest import client_for

from .conftest import row, sheet_csv
from .test_pages import upload

pytestmark = pytest.mark.django_db

LONG_SECTION = "III." + "1" * 396


def test_an_over_long_section_is_refused_on_its_row(plan, stp):
    assert len(LONG_SECTION) == 400
    content = sheet_csv([row(), row(**{"Nhiệm vụ": "B", "Mục": LONG_SECTION})])
    report = import_file(name="a.csv", content=content, user=None, dry_run=False)
    assert [str(p) for p in report.problems] == [
        "Dòng 3, cột 'Mục': dài 400 ký tự, quá giới hạn 30 ký tự của cột này — hãy rút gọn"
    ]
    assert Assignment.objects.count() == Task.objects.count() == Section.objects.count() == 0


def test_an_over_long_plan_number_is_refused_and_creates_nothing(stp):
    number = "77/KH-UBND-" + "X" * 50
    report = import_file(
        name="a.csv",
        content=sheet_csv([row(**{"Kế hoạch": number})]),
        user=None,
        dry_run=False,
        allow_new_plans=True,
    )
    assert [str(p) for p in report.problems] == [
        "Dòng 2, cột 'Kế hoạch': dài 61 ký tự, quá giới hạn 60 ký tự của cột này — hãy rút gọn"
    ]
    assert report.new_plans == []
    assert not Plan.objects.exists()


def test_the_preview_shows_the_limit(client, coordinator, plan, stp):
    page = upload(
        client_for(client, coordinator), sheet_csv([row(**{"Mục": LONG_SECTION})])
    ).content.decode()
    assert "cột &#x27;Mục&#x27;: dài 400 ký tự, quá giới hạn 30 ký tự" in page
    assert "Xác nhận nhập" not in page


def test_the_command_prints_the_limit_and_saves_nothing(tmp_path, plan, stp):
    path = tmp_path / "a.csv"
    path.write_bytes(sheet_csv([row(), row(**{"Nhiệm vụ": "B", "Mục": LONG_SECTION})]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="không có gì được lưu"):
        call_command("import_assignments", str(path), stdout=out, stderr=io.StringIO())
    assert "Dòng 3, cột 'Mục': dài 400 ký tự, quá giới hạn 30 ký tự" in out.getvalue()
    assert not Assignment.objects.exists()


def test_a_plan_created_meanwhile_is_a_row_message_and_nothing_is_saved(plan, stp):
    """Another import creates "77/KH-UBND" after this one has read the file and before
    it saves that plan: the database's unique constraint refuses the second plan.
    The progress callback (called after row 100) plays the other import."""
    rows = [row(**{"Nhiệm vụ": f"Việc {n}"}) for n in range(100)]
    rows.append(row(**{"Kế hoạch": "77/KH-UBND", "Thời hạn": "Quý III/2022"}))

    def other_import(processed: int, total: int) -> None:
        if processed == 100:
            Plan.objects.create(number="77/KH-UBND", year=2022, title="Của lần nhập khác")

    report = import_file(
        name="a.csv",
        content=sheet_csv(rows),
        user=None,
        dry_run=False,
        allow_new_plans=True,
        progress=other_import,
    )
    assert [str(p) for p in report.problems] == [
        "Dòng 102, cột 'Kế hoạch': không lưu được: kế hoạch này vừa được tạo trong lúc nhập "
        "(có thể bởi một lần nhập khác). Hãy thử nhập lại."
    ]
    assert not Assignment.objects.exists()
    assert list(Plan.objects.values_list("number", flat=True)) == [plan.number]


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("value too long for type character varying(30)\n", "Mục"),
        ("value too long for type character varying(60)\n", "Kế hoạch"),
        ("value too long for type character varying(255)\n", None),
    ],
)
def test_a_value_too_long_for_the_database_names_the_limit(text, column):
    problem = database_problem(7, DataError(text))
    limit = text.split("(")[1].split(")")[0]
    assert problem.line == 7 and problem.column == column
    assert f"dài quá giới hạn {limit} ký tự" in problem.message
    assert isinstance(problem, Problem) and "varying" not in str(problem)
