"""Whole pages, per user, from the shared cache while nothing they show has changed.

The busiest pages (dashboard, plan page, inbox, assignment page) already draw
their figures and lists from cached fragments shared by everyone in a
visibility scope (config/caching/generation.py). What was left on a warm request was the
page around them: the base template, the header, the forms. A person who
reloads a page, or comes back to it, gets the same bytes as last time, so
`cached_page` keeps the HTML a view drew for that user and serves it again
while every input it depended on is unchanged. The key holds:

- the user (their name, role, agency and permissions are in the page; any
  save of a user, membership or agency moves the data generation anyway) and
  the user's own token (`user_token`: their unread notices in the header);
- the data generation and the code version (`figures_key`): a write to what
  the page shows (its scopes, or any write for a page without them), or a
  release, makes it unreachable at once;
- today's date (overdue status and days left are counted from it);
- the scheme, host, path, language and query string.

What belongs to the browser session rather than to the user is never stored:

- the CSRF token: the page is drawn with a placeholder where `{% csrf_token %}`
  goes (the `csrf_placeholder` context processor), and every response, the
  first one included, gets this session's token in its place;
- one-time messages ("Đã ghi nhận tiến độ"): a request with messages waiting
  draws the page afresh and stores nothing, so the message is shown once and
  never replayed.

Only GET requests whose query string uses the view's declared parameters are
cached: a made-up parameter (`?x=1`) is drawn afresh, so visitors cannot fill
the cache with variants, and a parameter a view reads is always part of the
key. A cached page expires after `settings.PAGE_CACHE_SECONDS` (5 minutes;
0 turns the page cache off) whatever happens, which bounds the memory a
user's pages take in the shared cache.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from .generation import figures_key, user_token

MAX_QUERY_STRING = 512
"""Longer query strings are not ours (our links are short): drawn, not stored."""

CSRF_PLACEHOLDER = "cchc-csrf-token-placeholder-7d1f0b6a"
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
_DRAWING_FOR_CACHE = "_cchc_drawing_for_page_cache"


def csrf_placeholder(request) -> dict:
    """Context processor: while a page is drawn for the cache, `{% csrf_token %}`
    writes the placeholder that `cached_page` replaces with the session's token.
    Listed after Django's own csrf processor, whose value it then overrides."""
    if getattr(request, _DRAWING_FOR_CACHE, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def page_key(request, params: frozenset[str], scopes=None) -> str | None:
    """The cache key of the page this request asks for, or None when it must be
    drawn afresh and not stored (see the module docstring)."""
    if not settings.PAGE_CACHE_SECONDS:
        return None
    if request.method != "GET" or not request.user.is_authenticated:
        return None
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return None
    if not params.issuperset(request.GET.keys()):
        return None
    if len(messages.get_messages(request)):  # loads them; they stay for the page
        return None
    query = sorted((name, request.GET.getlist(name)) for name in request.GET)
    where = repr((request.scheme, request.get_host(), request.path, query))
    digest = hashlib.sha256(where.encode()).hexdigest()[:32]
    return figures_key(
        "page",
        request.user.pk,
        user_token(request.user.pk),
        getattr(request, "LANGUAGE_CODE", ""),
        timezone.localdate().isoformat(),
        digest,
        scopes=scopes,
    )


def _with_session_token(response, request):
    if not response.streaming and _PLACEHOLDER_BYTES in response.content:
        token = get_token(request).encode()  # also sends the CSRF cookie when needed
        response.content = response.content.replace(_PLACEHOLDER_BYTES, token)
    return response


def cached_page(*params: str, scopes: Callable | None = None) -> Callable:
    """Serve a GET view's page from the per-user page cache (see the module
    docstring); `params` are the query parameters the view reads. Put it under
    `login_required`: access is the view's to check on the first drawing, and
    the key is the user's own.

    `scopes(request, *args, **kwargs)`, when given, says what the page shows
    (e.g. `[("plan", pk)]`, see generation.py), so changes elsewhere leave it
    cached; it may return None (the page depends on everything)."""
    allowed = frozenset(params)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            depends = scopes(request, *args, **kwargs) if scopes is not None else None
            key = page_key(request, allowed, depends)  # before drawing: see cached_figures
            if key is None:
                # Drawn afresh; it may still hold a placeholder from a fragment
                # drawn for the cache and shared through it.
                return _with_session_token(view(request, *args, **kwargs), request)
            stored = cache.get(key)
            if stored is not None:
                content_type, content = stored
                return _with_session_token(
                    HttpResponse(content, content_type=content_type), request
                )
            setattr(request, _DRAWING_FOR_CACHE, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, _DRAWING_FOR_CACHE, False)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(
                    key, (response["Content-Type"], response.content), settings.PAGE_CACHE_SECONDS
                )
            return _with_session_token(response, request)

        return wrapper

    return decorate
