"""Pages that belong to no app: the favicon and the logout page.

Who may see what: anyone gets the favicon and the logout page; only a signed-in
user (`officer_stp`) is offered the logout button, and only a POST logs out.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import client_for


def test_every_page_links_the_svg_favicon(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    path = finders.find("favicon.svg")
    assert path
    with open(path, encoding="utf-8") as svg:
        assert svg.read().startswith("<svg")


def test_favicon_ico_is_sent_to_the_svg(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"


def test_logout_by_get_shows_a_vietnamese_page_with_the_button(client, officer_stp):
    response = client_for(client, officer_stp).get(reverse("logout"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bạn có muốn đăng xuất không?" in html
    assert f'<form method="post" action="{reverse("logout")}">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    # Only looking at the page logs nobody out.
    assert client.get(reverse("agencies:account")).status_code == 200


def test_logout_by_post_still_logs_out(client, officer_stp):
    response = client_for(client, officer_stp).post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("agencies:account")).status_code == 302


def test_logout_page_for_someone_signed_out_offers_the_login(client, db):
    response = client.get(reverse("logout"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bạn chưa đăng nhập hoặc đã đăng xuất." in html
    assert f'href="{reverse("login")}"' in html
