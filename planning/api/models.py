"""API tokens and the record of idempotent writes.

A token belongs to one consuming system. Only a SHA-256 hash of it is stored,
so a leaked database does not leak working tokens; the token itself is shown
once, when it is made. Each token acts through a service account of its own
(`user`), with a membership that gives it the access of an officer of the
token's agency, or of a leader: every existing access rule applies to it
unchanged, and the history names the system that wrote.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class ApiToken(models.Model):
    name = models.CharField(_("hệ thống sử dụng"), max_length=100, unique=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_("Để trống: đọc mọi kế hoạch đã ban hành, như lãnh đạo."),
    )
    can_write = models.BooleanField(_("được ghi"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản dịch vụ"),
        on_delete=models.PROTECT,
        related_name="api_token",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("đầu mã"), max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(models.Model):
    """One write made with an `Idempotency-Key`: a repeat of the key by the same
    token gets the stored answer instead of writing again."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    """A hash of the method, path and body: the same key with another request is refused."""
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotent_request_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.token_id}:{self.key}"
