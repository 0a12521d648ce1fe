"""Issue 17's walk, in a real Chromium against the live server.

A coordinator creates a plan, adds three tasks with two lead agencies each
(the due phrase read and shown before saving), finds one of them by typing its
words without diacritics; a Sở Tư pháp officer sees the new work among their
notices, reports completion, is returned, replies under the return, reports
again, and the coordinator accepts both reports in one bulk action.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from planning.models import Assignment, Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-2022"  # tests.factories.make_user
TASKS = [
    "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực tư pháp",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Kiểm tra công tác cải cách hành chính tại các đơn vị",
]


def _login(browser, live_server, username):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def _submit_completion(page, live_server, assignment, note):
    page.goto(f"{live_server.url}/nhiem-vu/{assignment.pk}/bao-cao-hoan-thanh/")
    today = timezone.localdate().strftime("%d/%m/%Y")
    page.fill("#id_completed_on", today)
    page.fill("#id_document_number", "15/BC-STP")
    page.fill("#id_document_date", today)
    page.fill("#id_note", note)
    page.locator("form.card button.primary, form button.primary").first.click()
    page.wait_for_load_state()


def test_a_plan_built_in_the_app_reaches_an_officer_and_comes_back_accepted(
    browser, live_server, coordinator, officer_stp, stp, stc
):
    year = timezone.localdate().year
    coord_context, coord = _login(browser, live_server, coordinator.username)

    # 1. "Tạo kế hoạch".
    coord.goto(f"{live_server.url}/ke-hoach/moi/")
    coord.fill("#id_number", "99/KH-UBND")
    coord.fill("#id_title", "Kế hoạch cải cách hành chính thử nghiệm")
    coord.fill("#id_year", str(year))
    coord.locator("form button.primary").first.click()
    coord.wait_for_load_state()
    plan = Plan.objects.get(number="99/KH-UBND")
    if plan.status != Plan.Status.ACTIVE:
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE)

    # 2. Three tasks, two lead agencies each; the date is shown before saving.
    for title in TASKS:
        coord.goto(f"{live_server.url}/ke-hoach/{plan.pk}/nhiem-vu/them/")
        coord.fill("#id_title", title)
        coord.fill("#id_due_text", f"Quý IV/{year + 1}")
        coord.select_option("#id_lead_agencies", label=[stp.name, stc.name])
        coord.get_by_role("button", name="Xem hạn").first.click()
        coord.wait_for_load_state()
        assert f"31/12/{year + 1}" in coord.content()  # the preview, before saving
        coord.get_by_role("button", name="Lưu").click()
        coord.wait_for_load_state()
    assert Assignment.objects.filter(plan=plan).count() == 6
    assert set(Assignment.objects.filter(plan=plan).values_list("agency__code", flat=True)) == {
        stp.code,
        stc.code,
    }

    # 3. Found without diacritics, from the header's search box.
    coord.goto(f"{live_server.url}/ke-hoach/")
    box = coord.locator("form.search-box input[name=q]")
    box.fill("so hoa ho so")
    box.press("Enter")
    coord.wait_for_load_state()
    assert "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính" in coord.content()

    # 4. The officer is told of the new work.
    officer_context, officer = _login(browser, live_server, officer_stp.username)
    officer.goto(f"{live_server.url}/thong-bao/")
    notices = officer.content()
    assert all(title in notices for title in TASKS[:1]), "the new assignment is among the notices"
    assert re.search(r"Thông báo\D*\d", officer.locator("header").inner_text())

    # 5. Report, be returned, reply, report again.
    first, second = Assignment.objects.filter(plan=plan, agency=stp).order_by("pk")[:2]
    _submit_completion(officer, live_server, first, "Đã rà soát 42 thủ tục")
    coord.goto(f"{live_server.url}/nhiem-vu/{first.pk}/")
    coord.fill("#return-reason", "Thiếu danh mục thủ tục đã rà soát")
    coord.get_by_role("button", name="Trả lại").click()
    coord.wait_for_load_state()
    officer.goto(f"{live_server.url}/nhiem-vu/{first.pk}/")
    assert "Thiếu danh mục thủ tục đã rà soát" in officer.content()
    thread = officer.locator(".thread").first
    thread.locator("summary", has_text="Trả lời").click()
    thread.locator("textarea[name=text]").fill("Đã bổ sung danh mục kèm theo")
    thread.get_by_role("button", name="Gửi trả lời").click()
    officer.wait_for_load_state()
    assert "Đã bổ sung danh mục kèm theo" in officer.content()
    _submit_completion(officer, live_server, first, "Đã rà soát 42 thủ tục, kèm danh mục")
    _submit_completion(officer, live_server, second, "Đã số hóa 1.200 hồ sơ")

    # 6. Both accepted at once from "Chờ duyệt", each in its history.
    coord.goto(f"{live_server.url}/cho-duyet/")
    for box in coord.locator("input[name=picks]").all():
        box.check()
    coord.get_by_role("button", name="Duyệt các báo cáo đã chọn").click()
    coord.wait_for_load_state()
    for assignment in (first, second):
        assignment.refresh_from_db()
        assert assignment.status == Assignment.Status.DONE
        assert assignment.events.filter(kind="accepted").count() == 1
    assert first.events.filter(kind="returned").count() == 1
    officer_context.close()
    coord_context.close()
