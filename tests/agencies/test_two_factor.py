"""Two-factor sign-in for coordinators (TOTP), when the deployment turns it on.

Personas: the `coordinator` (Sở Nội vụ) must confirm each sign-in with a code;
`officer_stp` and the `viewer` are never asked; an anonymous visitor only
sees the login page.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-2022"
ON = override_settings(TWO_FACTOR_COORDINATORS=True)


def _code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for the device's secret."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:06d}"


def _sign_in(client, user):
    response = client.post("/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def still_time():
    """Time stands still (codes and the wait after a wrong one) unless shifted."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@ON
def test_a_coordinator_without_a_device_is_sent_to_set_one_up(client, coordinator, still_time):
    _sign_in(client, coordinator)
    response = client.get("/ke-hoach/")
    assert response.status_code == 302
    assert response["Location"].startswith("/xac-thuc/thiet-lap/?next=/ke-hoach/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "Thiết lập xác thực hai lớp" in html
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    wrong = client.post("/xac-thuc/thiet-lap/", {"code": "000000", "next": "/ke-hoach/"})
    assert "Mã không đúng" in wrong.content.decode()
    assert client.get("/ke-hoach/").status_code == 302
    at_once = client.post("/xac-thuc/thiet-lap/", {"code": _code(device), "next": "/ke-hoach/"})
    assert "Đã nhập sai 1 lần" in at_once.content.decode()  # guessing is slowed down
    still_time.shift(timedelta(seconds=5))  # the wait is over
    ok = client.post("/xac-thuc/thiet-lap/", {"code": _code(device), "next": "/ke-hoach/"})
    assert ok.status_code == 302 and ok["Location"] == "/ke-hoach/"
    assert TOTPDevice.objects.get(user=coordinator).confirmed
    assert client.get("/ke-hoach/").status_code == 200


@ON
def test_each_sign_in_needs_a_fresh_code_and_a_code_works_once(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, confirmed=True, name="phone")
    _sign_in(client, coordinator)
    response = client.get("/cho-duyet/")
    assert response["Location"].startswith("/xac-thuc/?next=/cho-duyet/")
    code = _code(device)
    assert client.post("/xac-thuc/", {"code": code, "next": "/cho-duyet/"}).status_code == 302
    assert client.get("/cho-duyet/").status_code == 200
    client.post("/dang-xuat/")
    _sign_in(client, coordinator)
    assert client.get("/cho-duyet/").status_code == 302
    replay = client.post("/xac-thuc/", {"code": code, "next": "/cho-duyet/"})
    assert replay.status_code == 200 and "đã dùng" in replay.content.decode()
    assert client.get("/cho-duyet/").status_code == 302


@ON
def test_an_outside_next_address_is_not_followed(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, confirmed=True, name="phone")
    _sign_in(client, coordinator)
    response = client.post("/xac-thuc/", {"code": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


@ON
@pytest.mark.parametrize("persona", ["officer_stp", "viewer"])
def test_officers_and_leaders_are_never_asked(client, request, persona):
    _sign_in(client, request.getfixturevalue(persona))
    assert client.get("/ke-hoach/").status_code == 200


def test_off_by_default_a_coordinator_signs_in_with_the_password_alone(client, coordinator):
    _sign_in(client, coordinator)
    assert client.get("/ke-hoach/").status_code == 200


@ON
def test_an_anonymous_visitor_is_sent_to_the_login_page_not_to_2fa(client):
    response = client.get("/xac-thuc/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
