"""A user's own settings: reminder address, digest-only, password.

Every signed-in user may change their own settings, nobody else's;
an anonymous visitor is sent to the login page.
"""

import pytest
from django.urls import reverse

from agencies.models import Membership
from tests.conftest import client_for
from tests.factories import make_user

URL = reverse("agencies:account")


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_officer_chooses_digest_only_and_an_address(client, officer_stp):
    client_for(client, officer_stp)
    assert "Chỉ nhận thư tổng hợp" in client.get(URL).content.decode()
    response = client.post(URL, {"email": "canbo@stp.example", "digest_only": "on"}, follow=True)
    assert "Đã lưu cài đặt tài khoản." in response.content.decode()
    officer_stp.refresh_from_db()
    assert officer_stp.email == "canbo@stp.example"
    assert Membership.objects.get(user=officer_stp).digest_only is True
    client.post(URL, {"email": "canbo@stp.example"})
    assert Membership.objects.get(user=officer_stp).digest_only is False


def test_an_address_taken_by_another_account_is_refused(client, officer_stp, officer_stc):
    officer_stc.email = "chung@cchc.example"
    officer_stc.save()
    client_for(client, officer_stp)
    response = client.post(URL, {"email": "Chung@cchc.example"})
    assert "đã được một tài khoản khác sử dụng" in response.content.decode()
    officer_stp.refresh_from_db()
    assert officer_stp.email == ""


def test_invalid_address_is_refused_in_vietnamese(client, officer_stp):
    response = client_for(client, officer_stp).post(URL, {"email": "khong-phai-dia-chi"})
    assert "Địa chỉ thư điện tử không hợp lệ." in response.content.decode()


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_address_is_refused_and_the_old_one_kept(client, coordinator, blank):
    """A coordinator without an address would leave the monthly summary with no recipient."""
    coordinator.email = "dieuphoi@snv.example"
    coordinator.save()
    response = client_for(client, coordinator).post(URL, {"email": blank})
    assert response.status_code == 200
    assert "Vui lòng nhập địa chỉ thư điện tử" in response.content.decode()
    assert "Đã lưu cài đặt tài khoản." not in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.email == "dieuphoi@snv.example"


@pytest.mark.django_db
def test_password_change_keeps_the_session_and_validates(client):
    user = make_user("canbo.moi")
    client_for(client, user)
    url = reverse("agencies:password_change")
    weak = client.post(
        url,
        {"old_password": "mat-khau-thu-2022", "new_password1": "123", "new_password2": "123"},
    )
    assert weak.status_code == 200  # refused: too short, numeric
    response = client.post(
        url,
        {
            "old_password": "mat-khau-thu-2022",
            "new_password1": "Cai-cach-hanh-chinh-2024",
            "new_password2": "Cai-cach-hanh-chinh-2024",
        },
        follow=True,
    )
    assert "Đã đổi mật khẩu." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Cai-cach-hanh-chinh-2024")
