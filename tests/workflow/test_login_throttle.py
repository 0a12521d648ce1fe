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
