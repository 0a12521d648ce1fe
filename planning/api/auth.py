"""Who is calling: the token in `Authorization: Bearer <token>`, and what it may do."""

from __future__ import annotations

from rest_framework import authentication, exceptions, permissions, throttling

from .tokens import find_token


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer cchc_…` (or `Token cchc_…`); the request runs as the
    token's service account, and `request.auth` is the token."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Tiêu đề Authorization không đúng dạng.")
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Mã truy cập không hợp lệ.") from None
        token = find_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Mã truy cập không hợp lệ hoặc đã bị thu hồi.")
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenRequired(permissions.BasePermission):
    """Only token calls: a browser session of the pages is not an API client."""

    message = "Cần mã truy cập API (Authorization: Bearer …)."

    def has_permission(self, request, view):
        token = request.auth
        if token is None or not getattr(token, "is_active", False):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not token.can_write:
            self.message = "Mã truy cập này chỉ được đọc."
            return False
        return True


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token, counted in the shared cache (`API_RATE`, e.g. "600/min")."""

    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
