"""End to end in Debian's Chromium: a coordinator pastes a plan, edits a row, confirms.

With `pytest --screenshots`, each step is saved under docs/screenshots/.
"""

from __future__ import annotations

import os

import pytest

from agencies.models import Agency
from planning.demo import load_agencies
from planning.models import Plan

from .snippets import GIAO, HEADER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-2022"


def _shot(page, screenshot_dir, name):
    if screenshot_dir is not None:
        page.screenshot(path=os.path.join(screenshot_dir, f"import-{name}.png"), full_page=True)


def test_coordinator_pastes_edits_and_confirms(page, live_server, coordinator, screenshot_dir):
    load_agencies()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.click("text=Nhập kế hoạch")
    page.fill("#id_text", HEADER + GIAO)
    _shot(page, screenshot_dir, "1-paste")
    page.click("text=Đọc văn bản")
    page.wait_for_selector("table.review")
    assert page.locator("tr.draft-row").count() == 9
    assert page.locator("tr.has-warning").count() >= 2  # the two districts are unknown
    _shot(page, screenshot_dir, "2-draft")

    # The Sở Y tế row: give it to Sở Tư pháp instead and rename it.
    row = page.locator("tr.draft-row", has_text="Giao Sở Y tế")
    row.locator("textarea").fill("Hoàn thành đề án sắp xếp đơn vị sự nghiệp")
    stp = Agency.objects.get(code="STP")
    row.locator("select").select_option(str(stp.pk))
    # Drop the Tháp Mười row.
    drop = page.locator("tr.draft-row", has=page.locator("option:checked", has_text="Tháp Mười"))
    drop.locator("input[type=checkbox]").check()
    page.click("button[value=confirm]")
    page.wait_for_selector("text=Đã lưu kế hoạch 0156/KH-UBND")
    _shot(page, screenshot_dir, "3-saved")

    plan = Plan.objects.get(number="0156/KH-UBND", year=2023)
    assert plan.assignments.count() == 8
    task = plan.tasks.get(title="Hoàn thành đề án sắp xếp đơn vị sự nghiệp")
    assert list(task.assignments.values_list("agency__code", flat=True)) == ["STP"]
    assert str(task.due_date) == "2023-09-30"
    # The unknown district kept is created; the removed one is not.
    assert Agency.objects.filter(name="UBND huyện Cao Lãnh").exists()
    assert not Agency.objects.filter(name="UBND huyện Tháp Mười").exists()
