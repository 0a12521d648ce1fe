"""Login throttling: after repeated failures, refuse for a while.

Counted per (username, client IP) in the shared cache (`settings.CACHES`:
Redis or files, never per-process memory, so every worker sees the same
count). After `LOGIN_FAILURE_LIMIT` failures within `LOGIN_FAILURE_WINDOW`
seconds, further attempts are refused without checking the password, until
the window has passed; a successful login clears the count.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

LOGIN_FAILURE_LIMIT = getattr(settings, "LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW = getattr(settings, "LOGIN_FAILURE_WINDOW", 15 * 60)

LOCKED_MESSAGE = (
    "Bạn đã nhập sai tên đăng nhập hoặc mật khẩu quá %(limit)s lần. "
    "Vui lòng thử lại sau %(minutes)s phút hoặc liên hệ Sở Nội vụ để được hỗ trợ."
)


def client_ip(request) -> str:
    """The client's address, trusting only the proxies we run.

    With `TRUSTED_PROXY_COUNT = n` (nginx in front: 1), the n-th address from the
    right of X-Forwarded-For is the one our own proxy saw; anything further left
    was written by the client and can be forged. Without a proxy (n = 0), or
    when the header is missing, REMOTE_ADDR. Without this, everybody behind the
    proxy shares one address and the limit becomes per username only, which lets
    anyone lock a known user out.
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


def failure_key(username: str, request) -> str:
    raw = f"{username.strip().lower()}|{client_ip(request)}"
    return "login-failures:" + hashlib.sha256(raw.encode()).hexdigest()


def is_locked(username: str, request) -> bool:
    return (cache.get(failure_key(username, request)) or 0) >= LOGIN_FAILURE_LIMIT


def record_failure(username: str, request) -> None:
    key = failure_key(username, request)
    # add() starts the window only on the first failure, so it is not extended.
    if not cache.add(key, 1, timeout=LOGIN_FAILURE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=LOGIN_FAILURE_WINDOW)


def clear_failures(username: str, request) -> None:
    cache.delete(failure_key(username, request))


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing a (username, IP) after too many failures."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and is_locked(username, self.request):
            raise ValidationError(
                LOCKED_MESSAGE,
                code="throttled",
                params={"limit": LOGIN_FAILURE_LIMIT, "minutes": LOGIN_FAILURE_WINDOW // 60},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                record_failure(username, self.request)
            raise
        clear_failures(username, self.request)
        return cleaned
