"""End to end in Debian's Chromium against the live server.

The Sở Nội vụ coordinator opens the plan (Sở Tư pháp: 0 of 2 done), a Sở Tư
pháp officer submits completion with an evidence PDF, the coordinator accepts
it from the review queue, and the plan's roll-up for Sở Tư pháp goes up by one.
With `pytest --screenshots`, each step is saved under docs/screenshots/.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_assignment

from .conftest import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-2022"


def _shot(page, screenshot_dir, name):
    if screenshot_dir is not None:
        page.screenshot(path=os.path.join(screenshot_dir, f"workflow-{name}.png"), full_page=True)


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _stp_row(page):
    return page.locator("table.rollup tr", has_text="Sở Tư pháp").locator(".summary")


@pytest.fixture
def second_page(browser):
    """The officer's own browser session, next to the coordinator's `page`."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_officer_submits_and_coordinator_accepts(
    page, second_page, live_server, plan, stp, coordinator, officer_stp, screenshot_dir, tmp_path
):
    due = timezone.localdate() + timedelta(days=30)
    task_title = "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực tư pháp"
    make_assignment(plan=plan, agency=stp, due=due, title=task_title)
    make_assignment(plan=plan, agency=stp, due=due, title="Công bố danh mục thủ tục")
    evidence = tmp_path / "bao-cao-123.pdf"
    evidence.write_bytes(PDF_BYTES)

    # 1. The coordinator opens the plan: Sở Tư pháp has done 0 of 2.
    boss = _login(page, live_server, coordinator.username)
    boss.goto(f"{live_server.url}{plan.get_absolute_url()}")
    assert _stp_row(boss).inner_text() == "0/2 (0,00%)"
    _shot(boss, screenshot_dir, "1-plan-before")

    # 2. The officer lands on the inbox, opens the task and submits completion.
    officer = _login(second_page, live_server, officer_stp.username)
    assert officer.locator("h1").inner_text() == "Việc của Sở Tư pháp"
    _shot(officer, screenshot_dir, "2-inbox")
    officer.get_by_role("link", name=task_title).click()
    officer.get_by_role("link", name="Báo cáo hoàn thành").click()
    officer.fill("#id_document_number", "123/BC-STP")
    officer.fill("#id_document_date", timezone.localdate().isoformat())
    officer.fill("#id_note", "Đã rà soát 45 thủ tục, đề xuất đơn giản hóa 12 thủ tục.")
    officer.set_input_files("#id_file", str(evidence))
    _shot(officer, screenshot_dir, "3-submit-form")
    officer.get_by_role("button", name="Gửi báo cáo hoàn thành").click()
    officer.wait_for_load_state()
    assert "Đã gửi báo cáo hoàn thành" in officer.locator(".messages").inner_text()
    _shot(officer, screenshot_dir, "4-submitted")

    # 3. The coordinator finds it in the queue, checks the evidence and accepts.
    boss.goto(f"{live_server.url}/cho-duyet/")
    assert "Văn bản số 123/BC-STP" in boss.content()
    _shot(boss, screenshot_dir, "5-review-queue")
    boss.get_by_role("link", name=task_title).click()
    with boss.expect_download() as download:
        boss.get_by_role("link", name="Tải tệp kiểm chứng").click()
    assert download.value.suggested_filename == "bao-cao-123.pdf"
    boss.get_by_role("button", name="Duyệt hoàn thành").click()
    boss.wait_for_load_state()
    assert "Đã duyệt" in boss.locator(".messages").inner_text()
    _shot(boss, screenshot_dir, "6-accepted")

    # 4. The plan's roll-up for Sở Tư pháp went up by one.
    boss.goto(f"{live_server.url}{plan.get_absolute_url()}")
    assert _stp_row(boss).inner_text() == "1/2 (50,00%)"
    _shot(boss, screenshot_dir, "7-plan-after")
