"""The menu (agencies/menu.py), the skip link and the help page, through the views."""

from __future__ import annotations

import re

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _menu(html: str) -> str:
    return html[html.index('<nav class="menu"') : html.index("</nav>")]


def _current(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', _menu(html))


def test_the_link_of_the_page_is_marked_current_longest_prefix_first(client, coordinator):
    client_for(client, coordinator)
    assert _current(client.get("/ke-hoach/").content.decode()) == ["/ke-hoach/"]
    # "Nhập kế hoạch" is /ke-hoach/nhap/: it wins over its prefix "Kế hoạch".
    assert _current(client.get("/ke-hoach/nhap/").content.decode()) == ["/ke-hoach/nhap/"]
    assert _current(client.get("/cho-duyet/").content.decode()) == ["/cho-duyet/"]
    # The home page is no menu item: nothing is current.
    assert _current(client.get("/", follow=True).content.decode()) in ([], ["/ke-hoach/"])


def test_an_officer_menu_has_its_agency_and_inbox_not_the_coordinators_pages(
    client, officer_stp, stp
):
    html = client_for(client, officer_stp).get("/viec-cua-don-vi/").content.decode()
    menu = _menu(html)
    assert f'href="/co-quan/{stp.code}/"' in menu
    assert "Việc cần làm" in menu and _current(html) == ["/viec-cua-don-vi/"]
    for coordinator_only in ("Chờ duyệt", "Tạo kế hoạch", "Nhập kế hoạch", "Mã truy cập API"):
        assert coordinator_only not in menu


def test_every_page_starts_with_a_skip_link_to_the_main_content(client, viewer):
    html = client_for(client, viewer).get("/bao-cao/").content.decode()
    assert html.index('class="skip-link" href="#noi-dung"') < html.index('<header class="topbar">')
    assert '<main class="container" id="noi-dung" tabindex="-1">' in html
    # The menu button is in the page for the script to show; it names what it opens.
    assert 'aria-controls="menu-chinh"' in html and 'id="menu-chinh"' in html


@pytest.mark.parametrize(
    ("persona", "first_heading"),
    [
        ("coordinator", "Điều phối (Sở Nội vụ)"),
        ("officer_stp", "Cán bộ đầu mối của cơ quan"),
        ("viewer", "Lãnh đạo (chỉ xem)"),
    ],
)
def test_the_help_page_puts_the_readers_own_role_first(client, request, persona, first_heading):
    user = request.getfixturevalue(persona)
    html = client_for(client, user).get("/huong-dan/").content.decode()
    headings = re.findall(r'<h2 id="vai-tro-[a-z]+">([^<]+)', html)
    assert headings[0].strip() == first_heading
    assert len(headings) == 3
    assert "vai trò của bạn" in html
    assert _current(html) == ["/huong-dan/"]


def test_the_help_page_asks_a_stranger_to_sign_in(client):
    response = client.get("/huong-dan/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
