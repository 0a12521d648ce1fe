"""`Idempotency-Key` for API writes: a retried request never writes twice.

A system that sent a progress report and lost the answer (a timeout, a
dropped connection) sends it again with the same key and gets the first
answer back. Steps, in the write's own transaction:

1. insert the (token, key) row first; the unique constraint makes a second,
   concurrent request with the key wait for the first one's commit and then
   fail the insert, so two writes with one key can never both happen;
2. a key seen before: the same request gets the stored status and body; a
   different request (method, path or body) under the key is refused (422);
3. the answer is stored on the row before the transaction commits, so a key
   is either unused, or done with its answer: there is no half state. A
   refused write (a 4xx) rolls back with its row, so the key can be used again.
"""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from rest_framework.response import Response

from .errors import ApiError
from .models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode())
    data = {k: v for k, v in request.data.items() if not hasattr(v, "read")}
    digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    for name, upload in sorted(request.FILES.items()):
        digest.update(f"{name}:{upload.name}:{upload.size}".encode())
    return digest.hexdigest()


def idempotent(write):
    """Wrap a write action `write(self, request, *args, **kwargs) -> Response`."""

    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            with transaction.atomic():
                return write(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise ApiError(
                f"{HEADER} dài quá {MAX_KEY_LENGTH} ký tự.", code="idempotency_key_invalid"
            )
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(
                        token=request.auth, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:
                record = IdempotentRequest.objects.get(token=request.auth, key=key)
                if record.fingerprint != fingerprint:
                    raise ApiError(
                        f"{HEADER} này đã được dùng cho một yêu cầu khác.",
                        code="idempotency_conflict",
                        status=422,
                    ) from None
                response = Response(record.body, status=record.status_code)
                response["Idempotent-Replayed"] = "true"
                return response
            response = write(view, request, *args, **kwargs)
            record.status_code = response.status_code
            record.body = response.data
            record.save(update_fields=["status_code", "body"])
            return response

    wrapper.__name__ = write.__name__
    wrapper.__doc__ = write.__doc__
    return wrapper
