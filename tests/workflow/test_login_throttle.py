"""Repeated wrong passwords lock the (username, address) pair for a while."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from tests.factories import make_user

PASSWORD = "mat-khau-thu-2022"


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_the_account_from_that_address(client, db):
    make_user("canbo.stp")
    with time_machine.travel("2022-07-20 08:00 +07:00", tick=False) as clock:
        for _ in range(5):
            assert _login(client, "canbo.stp", "sai").status_code == 200
        refused = _login(client, "canbo.stp", PASSWORD)
        assert refused.status_code == 200
        assert "quá 5 lần" in refused.content.decode()
        assert "_auth_user_id" not in client.session
        # Another address is not locked out by someone else's guesses.
        assert _login(client, "canbo.stp", PASSWORD, ip="10.0.0.2").status_code == 302
        client.logout()
        clock.shift(15 * 60 + 1)
        assert _login(client, "canbo.stp", PASSWORD).status_code == 302


def test_success_clears_the_count(client, db):
    make_user("canbo.stp")
    for _ in range(4):
        _login(client, "canbo.stp", "sai")
    assert _login(client, "canbo.stp", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "canbo.stp", "sai")
    assert _login(client, "canbo.stp", PASSWORD).status_code == 302


def test_username_case_does_not_escape_the_lock(client, db):
    make_user("canbo.stp")
    for name in ["canbo.stp", "CANBO.STP", "Canbo.Stp", "canbo.STP", "CanBo.stp"]:
        _login(client, name, "sai")
    assert "quá 5 lần" in _login(client, "canbo.stp", PASSWORD).content.decode()


def test_behind_our_proxy_the_forwarded_client_address_counts(client, db, settings):
    """nginx appends the address it saw; whatever the client wrote before it is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("canbo.stc")

    def attempt(password, forwarded):
        return client.post(
            reverse("login"),
            {"username": "canbo.stc", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    with time_machine.travel("2022-07-20 08:00 +07:00", tick=False):
        for i in range(5):
            # The attacker forges a different left-most hop each time: no escape.
            attempt("sai", f"1.2.3.{i}, 203.0.113.9")
        assert "quá 5 lần" in attempt(PASSWORD, "9.9.9.9, 203.0.113.9").content.decode()
        # The user at another address, behind the same proxy, still gets in.
        assert attempt(PASSWORD, "198.51.100.7").status_code == 302
