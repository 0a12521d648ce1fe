"""Logged-in pages are never kept by a browser's or a proxy's cache.

A page drawn for a signed-in user holds what that user may see (another
agency's officer must never get it from a shared proxy) and figures that
change with every report; after a logout, the back button must not show it
either. So every response to a signed-in request that did not choose its own
caching says `Cache-Control: private, no-store`. The server-side page cache
(config/caching/pages.py) is ours and keyed by user: unaffected.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
