"""Every main page in a real Chromium at 390 px and 1400 px, on the demo's data.

At 390 px (a phone): no page scrolls sideways (tables scroll inside their own
box), the menu folds behind one button that opens and closes it; at 1400 px the
menu is open and the button hidden. On both, axe-core (the copy bundled by
axe-playwright-python, run from disk) finds no accessibility violation, and the
first Tab reaches the skip link, which moves focus to the page's content.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from planning.models import Assignment, Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-cchc-2022"  # load_demo's accounts
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}

WIDTHS = """() => ({
    page: document.documentElement.scrollWidth,
    view: document.documentElement.clientWidth,
    header: document.querySelector('header.topbar').getBoundingClientRect().height})"""


def _pages():
    kh192 = Plan.objects.get(number="192/KH-UBND")
    stp_task = Assignment.objects.filter(agency__code="STP", plan=kh192).order_by("pk").first()
    return {
        "snv.dieuphoi": [
            "/ke-hoach/",
            f"/ke-hoach/{kh192.pk}/",
            f"/ke-hoach/{kh192.pk}/chi-tieu/",
            "/bao-cao/",
            "/cho-duyet/",
            "/co-quan/",
            "/co-quan/STP/",
            "/nhat-ky-nhac-viec/",
            "/ke-hoach/nhap/",
            "/ke-hoach/moi/",
            "/bang-tinh/",
            "/he-thong/",
            "/ma-truy-cap-api/",
            f"/nhiem-vu/{stp_task.pk}/",
            "/huong-dan/",
            "/tai-khoan/",
            f"/ke-hoach/{kh192.pk}/nhiem-vu/",
            "/tim-kiem/?q=so+tu+phap",
            "/thong-bao/",
            "/nhat-ky-thay-doi/",
            "/cach-cham-diem/",
            "/ngay-nghi-lam-bu/",
        ],
        "stp.canbo": [
            "/viec-cua-don-vi/",
            f"/nhiem-vu/{stp_task.pk}/",
            f"/nhiem-vu/{stp_task.pk}/bao-cao-hoan-thanh/",
            f"/nhiem-vu/{stp_task.pk}/gia-han/",
            "/co-quan/STP/",
            "/bao-cao/",
            "/thong-bao/",
        ],
        "lanhdao.ubnd": ["/bao-cao/", f"/ke-hoach/{kh192.pk}/", "/co-quan/", "/huong-dan/"],
    }


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return _pages()


def _signed_in(browser, live_server, username, viewport):
    context = browser.new_context(locale="vi-VN", viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def _violations(page):
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
        for v in result.response["violations"]
    ]


def test_main_pages_on_a_phone_and_a_desktop(browser, live_server, demo):
    """One test, so the demo is loaded once (a transactional test flushes it)."""
    _phone(browser, live_server, demo)
    _desktop(browser, live_server, demo)
    _skip_link(browser, live_server)


def _phone(browser, live_server, demo):
    """No page scrolls sideways on a phone, the menu folds, axe passes."""
    wide, problems = [], []
    for username, paths in demo.items():
        context, page = _signed_in(browser, live_server, username, PHONE)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (username, path, response.status)
            sizes = page.evaluate(WIDTHS)
            if sizes["page"] > sizes["view"]:
                wide.append((username, path, sizes["page"]))
            # Folded: one line of header, the menu's links hidden.
            assert sizes["header"] <= 64, (username, path, sizes["header"])
            assert not page.locator("nav.menu a").first.is_visible()
            if violations := _violations(page):
                problems.append((username, path, violations))
        # The button opens the menu, Escape closes it and gives focus back.
        toggle = page.locator(".menu-toggle")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator("nav.menu a", has_text="Báo cáo").is_visible()
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("nav.menu a").first.is_visible()
        context.close()
    assert wide == []
    assert problems == []


def _desktop(browser, live_server, demo):
    """On a desktop the menu is open, one link at most is current, axe passes."""
    problems = []
    for username, paths in demo.items():
        context, page = _signed_in(browser, live_server, username, DESKTOP)
        for path in paths:
            page.goto(live_server.url + path)
            assert page.locator(".menu-toggle").is_hidden()
            assert page.locator("nav.menu a").first.is_visible()
            current = page.locator('nav.menu a[aria-current="page"]')
            assert current.count() <= 1
            if violations := _violations(page):
                problems.append((username, path, violations))
        context.close()
    assert problems == []


def _skip_link(browser, live_server):
    """The first Tab reaches the skip link, which moves focus to the content."""
    context, page = _signed_in(browser, live_server, "stp.canbo", DESKTOP)
    page.goto(live_server.url + "/viec-cua-don-vi/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "noi-dung"
    context.close()


def test_the_sign_in_and_password_reset_pages_pass_axe_on_a_phone(browser, live_server):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    for path in ("/dang-nhap/", "/quen-mat-khau/"):
        page.goto(live_server.url + path)
        sizes = page.evaluate(WIDTHS)
        assert sizes["page"] <= sizes["view"]
        assert _violations(page) == [], path
    context.close()
