"""Errors as JSON with a stable code and a Vietnamese message.

    {"error": {"code": "not_found", "message": "Không tìm thấy.", "fields": {...}}}

`code` is for programs and never changes; `message` is for people.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

MESSAGES = {
    "not_found": "Không tìm thấy.",
    "not_authenticated": "Cần mã truy cập API (Authorization: Bearer …).",
    "authentication_failed": "Mã truy cập không hợp lệ hoặc đã bị thu hồi.",
    "permission_denied": "Không có quyền thực hiện thao tác này.",
    "method_not_allowed": "Phương thức không được hỗ trợ.",
    "throttled": "Quá nhiều yêu cầu; vui lòng thử lại sau.",
    "invalid": "Dữ liệu không hợp lệ.",
    "parse_error": "Nội dung yêu cầu không đọc được.",
    "unsupported_media_type": "Kiểu nội dung không được hỗ trợ.",
    "not_acceptable": "Không trả lời được theo định dạng yêu cầu.",
}


class ApiError(exceptions.APIException):
    """A refusal with our own code (e.g. `workflow`, `idempotency_conflict`)."""

    def __init__(self, message: str, *, code: str, status: int = 400):
        self.status_code = status
        super().__init__(detail=message, code=code)


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500, logged as usual
    set_rollback()
    code = exc.get_codes() if isinstance(exc, ApiError) else exc.default_code
    if isinstance(code, (dict, list)):
        code = "invalid"
    error = {"code": code}
    if isinstance(exc, exceptions.ValidationError):
        error["code"] = "invalid"
        error["message"] = MESSAGES["invalid"]
        error["fields"] = exc.detail
    elif isinstance(exc, ApiError) or code not in MESSAGES:
        error["message"] = str(exc.detail)
    else:
        error["message"] = MESSAGES[code]
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    return Response({"error": error}, status=exc.status_code, headers=headers)
