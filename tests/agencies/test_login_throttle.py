"""Sign-in throttling (django-axes, agencies/throttle.py): the attacks of issue 16.

Who is who: `canbo.stp`, an officer whose password an attacker guesses; the
attacker, at one or many loopback addresses; the officer's colleagues behind
the same address. Limits: 5 failures per account from any addresses, 20 per
address against any accounts, each counting 15 minutes.
"""

from __future__ import annotations

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-2022"
MORNING = "2022-07-20 08:00 +07:00"
LOCKED = "Tạm khóa đăng nhập"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, username, password, ip="127.0.0.1", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def _signed_in(response, client) -> bool:
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_five_failures_from_one_address_lock_the_account_at_every_address(client):
    make_user("canbo.stp")
    with time_machine.travel(MORNING, tick=False) as clock:
        for _ in range(5):
            _login(client, "canbo.stp", "sai")
        refused = _login(client, "canbo.stp", PASSWORD, ip="127.0.0.2")
        assert refused.status_code == 429
        page = refused.content.decode()
        assert LOCKED in page
        assert "thử lại sau <strong>08:15 ngày 20/07/2022</strong>" in page
        assert "_auth_user_id" not in client.session
        clock.shift(15 * 60 + 1)
        assert _signed_in(_login(client, "canbo.stp", PASSWORD, ip="127.0.0.2"), client)


def test_six_tries_from_each_of_five_addresses_check_five_passwords_at_most(client):
    """The issue's spread attack: 30 guesses over 5 addresses gave 25 checked passwords."""
    make_user("canbo.stp")
    with time_machine.travel(MORNING, tick=False):
        answers = [
            _login(client, "canbo.stp", f"doan-{ip}-{n}", ip=f"127.0.0.{ip}").status_code
            for ip in range(1, 6)
            for n in range(6)
        ]
        # Four wrong-password forms, the fifth failure locks, every later try is refused.
        assert answers.count(200) == 4
        assert answers[4:] == [429] * 26
        assert not _signed_in(_login(client, "canbo.stp", PASSWORD, ip="127.0.0.9"), client)
        assert AccessAttempt.objects.filter(username="canbo.stp").count() == 1


def test_thirty_usernames_from_one_address_lock_the_address(client):
    """Trying a list of usernames from one machine stops at the address's limit,
    while the same accounts still sign in from elsewhere."""
    make_user("canbo.stp")
    with time_machine.travel(MORNING, tick=False):
        answers = [
            _login(client, f"nguoi-dung-{n}", "mat-khau-pho-bien", ip="127.0.0.7").status_code
            for n in range(30)
        ]
        assert answers.count(200) == 19
        assert answers[19:] == [429] * 11
        # The real officer at that address is refused too, until the lock ends…
        assert _login(client, "canbo.stp", PASSWORD, ip="127.0.0.7").status_code == 429
        # …but the account itself is not locked: from another address it works.
        assert _signed_in(_login(client, "canbo.stp", PASSWORD, ip="127.0.0.8"), client)


def test_guessing_on_the_password_change_form_locks_the_account(client):
    """A borrowed session must not be a place to guess the current password."""
    user = make_user("canbo.stp")
    client_for(client, user)
    url = reverse("agencies:password_change")
    new = "Cai-cach-hanh-chinh-2024"

    def change(old):
        data = {"old_password": old, "new_password1": new, "new_password2": new}
        return client.post(url, data, REMOTE_ADDR="127.0.0.3")

    with time_machine.travel(MORNING, tick=False):
        answers = [change(f"doan-{n}").status_code for n in range(6)]
        assert answers == [200, 200, 200, 200, 429, 429]
        refused = change(PASSWORD)
        assert refused.status_code == 429
        assert "thử lại sau <strong>08:15" in refused.content.decode()
        user.refresh_from_db()
        assert user.check_password(PASSWORD)  # unchanged
        # The account is locked for signing in too, from any address.
        assert _login(client, "canbo.stp", PASSWORD, ip="127.0.0.4").status_code == 429
        # The failure log keeps no typed password.
        logged = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
        assert "doan-" not in logged and new not in logged


def test_a_right_current_password_still_changes_it(client):
    user = make_user("canbo.stp")
    client_for(client, user)
    new = "Cai-cach-hanh-chinh-2024"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = client.post(reverse("agencies:password_change"), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_success_clears_the_account_s_failures_from_that_address(client):
    make_user("canbo.stp")
    for _ in range(4):
        _login(client, "canbo.stp", "sai")
    assert _signed_in(_login(client, "canbo.stp", PASSWORD), client)
    client.logout()
    for _ in range(4):
        _login(client, "canbo.stp", "sai")
    assert _signed_in(_login(client, "canbo.stp", PASSWORD), client)


def test_signing_in_to_one_s_own_account_does_not_wipe_the_address_s_count(client):
    """An attacker who owns an account cannot reset the address's count with it."""
    make_user("ke.tan.cong")
    with time_machine.travel(MORNING, tick=False):
        for n in range(19):
            _login(client, f"nguoi-dung-{n}", "sai", ip="127.0.0.7")
        assert _signed_in(_login(client, "ke.tan.cong", PASSWORD, ip="127.0.0.7"), client)
        client.logout()
        assert _login(client, "nguoi-dung-19", "sai", ip="127.0.0.7").status_code == 429


def test_username_case_does_not_escape_the_lock(client):
    make_user("canbo.stp")
    for name in ["canbo.stp", "CANBO.STP", "Canbo.Stp", " canbo.STP", "CanBo.stp"]:
        _login(client, name, "sai")
    assert _login(client, "canbo.stp", PASSWORD).status_code == 429


def test_behind_our_proxy_the_forwarded_client_address_counts(client, settings):
    """nginx appends the address it saw; whatever the client wrote before it is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("canbo.stc")
    with time_machine.travel(MORNING, tick=False):
        for i in range(20):
            # The attacker forges a different left-most hop each time: no escape.
            _login(client, f"nguoi-{i}", "sai", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 203.0.113.9")
        assert (
            _login(
                client, "canbo.stc", PASSWORD, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9"
            ).status_code
            == 429
        )
        # The user at another address, behind the same proxy, still gets in.
        response = _login(client, "canbo.stc", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert _signed_in(response, client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_axes_reset_unlocks_at_once(client):
    make_user("canbo.stp")
    for _ in range(5):
        _login(client, "canbo.stp", "sai")
    assert _login(client, "canbo.stp", PASSWORD).status_code == 429
    call_command("axes_reset", verbosity=0)
    assert _signed_in(_login(client, "canbo.stp", PASSWORD), client)


def test_the_admin_lists_failures_for_unlocking(client):
    make_user("canbo.stp")
    for _ in range(5):
        _login(client, "canbo.stp", "sai")
    admin = User.objects.create_superuser("quantri", "qt@snv.example", PASSWORD)
    page = client_for(client, admin).get("/quan-tri/axes/accessattempt/")
    assert page.status_code == 200
    assert "canbo.stp" in page.content.decode()


def test_the_admin_sign_in_is_throttled_too(client):
    User.objects.create_superuser("quantri", "qt@snv.example", PASSWORD)
    for _ in range(5):
        client.post("/quan-tri/login/", {"username": "quantri", "password": "sai"})
    response = client.post("/quan-tri/login/", {"username": "quantri", "password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_the_admin_s_password_form_sends_users_to_the_throttled_one(client):
    admin = User.objects.create_superuser("quantri", "qt@snv.example", PASSWORD)
    response = client_for(client, admin).post("/quan-tri/password_change/", {"old_password": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("agencies:password_change")
