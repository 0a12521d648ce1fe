"""Sign-in throttling with django-axes: per account across addresses, per address across accounts.

Axes records every failed sign-in (`AccessAttempt`, one row per username,
address and browser; the admin lists them and unlocks; `manage.py axes_reset`
clears them). Its own rule compares the largest of the counts with one limit;
ours has two limits, so `SignInThrottle` decides:

1. an account is locked after `LOGIN_FAILURE_LIMIT` failures (default 5) from
   any number of addresses: six tries from each of five addresses no longer
   give 25 guesses at one password;
2. an address is locked after `LOGIN_ADDRESS_FAILURE_LIMIT` failures (default
   20) against any number of accounts: a list of usernames tried from one
   machine stops there; the limit is higher because an office's officers share
   one address behind its router;
3. a failure counts for `LOGIN_LOCKOUT_MINUTES` (default 15) after the last
   failure of its row; a lock ends when enough of the failures behind it have
   expired, and `locked_until()` says when, for the page (attempts during a
   lock are refused without being counted, so that time does not move);
4. a successful sign-in clears the failures of that account from that
   address only: an attacker who owns one account cannot wipe an address's
   count by signing in to it, nor a victim's count gathered elsewhere.

The password-change form is covered too (`check_password_change` and
`password_change_failed`): a wrong "current password" is a failed sign-in of
that account, so a borrowed session cannot guess the password there.

Usernames are compared in lower case with blanks trimmed, so "CANBO.STP" does
not escape the lock of "canbo.stp". The client's address is `client_ip()`,
which trusts exactly `TRUSTED_PROXY_COUNT` proxies (see there).
"""

from __future__ import annotations

from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render
from django.utils import timezone


def client_ip(request) -> str:
    """The client's address, trusting only the proxies we run (axes' AXES_CLIENT_IP_CALLABLE).

    With `TRUSTED_PROXY_COUNT = n` (nginx in front: 1), the n-th address from the
    right of X-Forwarded-For is the one our own proxy saw; anything further left
    was written by the client and can be forged. Without a proxy (n = 0), or
    when the header is missing, REMOTE_ADDR. Without this, everybody behind the
    proxy shares one address and the per-address limit locks out everyone.

    Not django-ipware's proxy count: ipware counts the proxies' own entries in
    the header, which nginx (`$proxy_add_x_forwarded_for`) does not add, and in
    its strict mode a forged extra hop makes it fall back to REMOTE_ADDR, the
    proxy's address, which every user shares.
    """
    if request is None:
        return ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def attempted_username(request, credentials: dict | None) -> str | None:
    """The username an attempt names, as the counts compare it (AXES_USERNAME_CALLABLE)."""
    if credentials:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "POST", {}).get("username")
    return (raw or "").strip().lower() or None


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler with one limit per account and another per address."""

    def _limits(self, request, credentials) -> list[tuple[dict, int]]:
        username = get_client_username(request, credentials)
        limits = [({"ip_address": request.axes_ip_address}, settings.LOGIN_ADDRESS_FAILURE_LIMIT)]
        if username:
            limits.insert(0, ({"username": username}, settings.LOGIN_FAILURE_LIMIT))
        return limits

    def locked_until(self, request, credentials: dict | None = None) -> datetime | None:
        """When the attempt's account and address are both free again; None if they are now.

        For each of the two counts: its rows newest first, adding their failures
        until the limit is reached; the row that reaches it is the last one that
        must expire (each row counts until `cool-off` after its last failure).
        """
        cool_off = get_cool_off(request)
        since = request.axes_attempt_time - cool_off
        until = None
        for lookup, limit in self._limits(request, credentials):
            rows = (
                AccessAttempt.objects.filter(**lookup, attempt_time__gte=since)
                .order_by("-attempt_time")
                .values_list("attempt_time", "failures_since_start")
            )
            total = 0
            for attempt_time, failures in rows:
                total += failures
                if total >= limit:
                    ends = attempt_time + cool_off
                    until = ends if until is None else max(until, ends)
                    break
        return until

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Axes compares this number with AXES_FAILURE_LIMIT; our two counts have
        their own limits, so the answer is "at the limit" or "under it"."""
        if self.locked_until(request, credentials) is not None:
            return settings.AXES_FAILURE_LIMIT
        return 0

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful sign-in: that account's failures from that address (step 4)."""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return deleted


def locked_until(request, credentials: dict | None = None) -> datetime | None:
    AxesProxyHandler.update_request(request)
    return AxesProxyHandler.get_implementation().locked_until(request, credentials)


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """The locked-out attempt's page (AXES_LOCKOUT_CALLABLE): when to try again, in Vietnamese."""
    until = locked_until(request, credentials)
    context = {
        "until": timezone.localtime(until) if until else None,
        "minutes": settings.LOGIN_LOCKOUT_MINUTES,
        "account_limit": settings.LOGIN_FAILURE_LIMIT,
    }
    return render(
        request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def _own_credentials(request) -> dict:
    return {"username": request.user.get_username()}


def check_password_change(request):
    """The lockout page if the signed-in user's account (or address) is locked, else None."""
    if AxesProxyHandler.is_allowed(request, _own_credentials(request)):
        return None
    return lockout_response(request, credentials=_own_credentials(request))


def password_change_failed(request):
    """A wrong current password on the password-change form counts as a failed
    sign-in of the account; the lockout page when it was one too many, else None."""
    user_login_failed.send(sender=__name__, credentials=_own_credentials(request), request=request)
    if getattr(request, "axes_locked_out", False):
        return lockout_response(request, credentials=_own_credentials(request))
    return None
