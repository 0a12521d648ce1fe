"""Making, finding and revoking API tokens.

A token is `cchc_` followed by 40 random URL-safe characters; the database
keeps its SHA-256 and its first characters (to tell tokens apart in lists).
Comparing hashes found by an indexed lookup leaks nothing useful by timing:
the attacker would have to guess a preimage of the hash.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Membership

from .models import ApiToken

PREFIX = "cchc_"
LAST_USED_PRECISION = timedelta(minutes=1)
"""`last_used_at` is written at most once a minute per token, not on every call."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_token(
    *, name: str, agency: Agency | None = None, can_write: bool = False, actor: User | None = None
) -> tuple[ApiToken, str]:
    """Make a token and its service account; returns the token and its key (shown once).

    1. the service account has no usable password and cannot log in to the pages;
    2. its membership gives it the access of an officer of `agency`, or of a
       leader when there is none, so the existing access rules apply as they are;
    3. a write token needs an agency: the workflow lets only the lead agency's
       officers report on an assignment.
    """
    name = name.strip()
    if not name:
        raise ValueError("Tên hệ thống không được để trống.")
    if can_write and agency is None:
        raise ValueError("Mã được ghi phải gắn với một cơ quan chủ trì.")
    if ApiToken.objects.filter(name=name).exists():
        raise ValueError(f"Đã có mã truy cập cho hệ thống “{name}”.")
    key = PREFIX + secrets.token_urlsafe(30)
    user = get_user_model().objects.create_user(
        username=f"api.{secrets.token_hex(6)}", first_name=f"Hệ thống {name}"[:150]
    )
    role = Membership.Role.OFFICER if agency is not None else Membership.Role.VIEWER
    fallback = agency or Agency.objects.filter(code="SNV").first() or Agency.objects.first()
    if fallback is None:
        raise ValueError("Chưa có cơ quan nào trong danh mục.")
    Membership.objects.create(user=user, agency=fallback, role=role)
    token = ApiToken.objects.create(
        name=name,
        agency=agency,
        can_write=can_write,
        user=user,
        key_hash=hash_key(key),
        prefix=key[: len(PREFIX) + 4],
        created_by=actor,
    )
    return token, key


def find_token(key: str) -> ApiToken | None:
    """The active token with this key, its service account loaded; None otherwise."""
    if not key.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user__membership__agency", "agency")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def revoke_token(*, token: ApiToken) -> None:
    """The key stops working at once; the row stays, so the history keeps its name."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db()
    token.user.is_active = False
    token.user.save(update_fields=["is_active"])  # a save: cached users follow it
