"""Password reset by e-mail (config/password_reset.py): the whole way through."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache

from tests.factories import make_user

pytestmark = pytest.mark.django_db

OLD = "mat-khau-cu-2022"
NEW = "Mat-khau-moi-2026!"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(stp):
    user = make_user("canbo.reset", agency=stp)
    user.email = "canbo.reset@stp.hanoi.gov.vn"
    user.set_password(OLD)
    user.save()
    return user


def _link(message) -> str:
    return re.search(r"(http\S+/dat-lai-mat-khau/\S+/)", message.body).group(1)


def test_the_login_page_links_to_the_reset_page(client):
    assert 'href="/quen-mat-khau/"' in client.get("/dang-nhap/").content.decode()


def test_a_user_resets_the_password_from_the_link_in_the_email(client, officer, settings):
    settings.SITE_URL = "https://cchc.hanoi.gov.vn"
    response = client.post("/quen-mat-khau/", {"email": "CANBO.RESET@stp.hanoi.gov.vn"})
    assert response.status_code == 302 and response["Location"] == "/quen-mat-khau/da-gui/"
    assert "Kiểm tra hộp thư" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert message.subject == "Đặt lại mật khẩu · Theo dõi nhiệm vụ CCHC"
    link = _link(message)
    # Built from SITE_URL, not from the Host header of whoever asked.
    assert link.startswith("https://cchc.hanoi.gov.vn/dat-lai-mat-khau/")

    path = link.removeprefix("https://cchc.hanoi.gov.vn")
    form_page = client.get(path, follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/dat-lai-mat-khau/xong/"
    officer.refresh_from_db()
    assert officer.check_password(NEW) and not officer.check_password(OLD)

    # The link works once.
    again = client.get(path, follow=True).content.decode()
    assert "Liên kết này không còn dùng được" in again


def test_a_weak_new_password_is_refused_in_vietnamese(client, officer):
    client.post("/quen-mat-khau/", {"email": officer.email})
    path = re.sub(r"^https?://[^/]+", "", _link(mail.outbox[0]))
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    html = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    text = html.content.decode()
    assert html.status_code == 200 and "Mật khẩu" in text and 'role="alert"' in text
    officer.refresh_from_db()
    assert officer.check_password(OLD)


def test_an_unknown_address_gets_the_same_page_and_no_email(client, officer):
    response = client.post("/quen-mat-khau/", {"email": "nobody@example.vn"})
    assert response["Location"] == "/quen-mat-khau/da-gui/"
    assert mail.outbox == []


def test_one_address_gets_at_most_three_emails_an_hour(client, officer):
    for _ in range(6):
        response = client.post("/quen-mat-khau/", {"email": officer.email})
        assert response["Location"] == "/quen-mat-khau/da-gui/"
    assert len(mail.outbox) == 3


def test_a_directory_account_without_a_local_password_gets_no_email(client, stp):
    user = make_user("canbo.ldap", agency=stp)
    user.email = "canbo.ldap@stp.hanoi.gov.vn"
    user.set_unusable_password()
    user.save()
    client.post("/quen-mat-khau/", {"email": user.email})
    assert mail.outbox == []
    assert get_user_model().objects.get(pk=user.pk).has_usable_password() is False
