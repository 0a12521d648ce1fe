"""Agencies (sở, ban, ngành, UBND quận/huyện) and the people who work for them.

An agency is who a task is given to; a membership says which agency a user
speaks for and with what role, which is all the access rules need to know.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.caching.querysets import ChangeTrackingQuerySet


def split_emails(value: str) -> list[str]:
    """Split "a@x.vn, b@x.vn; c@x.vn" into addresses, dropping blanks."""
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def validate_email_list(value: str) -> None:
    for address in split_emails(value):
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("“%(address)s” không phải là địa chỉ thư điện tử hợp lệ."),
                params={"address": address},
                code="invalid",
            ) from None


class AgencyQuerySet(ChangeTrackingQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Agency(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ban, ngành")
        DISTRICT = "district", _("UBND quận, huyện, thị xã")
        COMMUNE = "commune", _("UBND xã, phường, thị trấn")
        OTHER = "other", _("Khác")

    code = models.SlugField(_("mã"), max_length=50, unique=True, help_text=_("Ví dụ: STP, SNV."))
    name = models.CharField(_("tên"), max_length=255, unique=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    aliases = models.TextField(
        _("tên gọi khác"),
        blank=True,
        help_text=_("Mỗi dòng một cách viết khác, ví dụ: “VP UBND TP”, “Sở TT&TT”."),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    emails = models.CharField(
        _("thư điện tử liên hệ"),
        max_length=500,
        blank=True,
        validators=[validate_email_list],
        help_text=_("Nhiều địa chỉ cách nhau bằng dấu phẩy."),
    )
    leader_email = models.EmailField(_("thư điện tử lãnh đạo"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def email_list(self) -> list[str]:
        return split_emails(self.emails)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    """Which agency a user speaks for, and with what role.

    One membership per user keeps the access rules simple: a coordinator of
    Sở Nội vụ sees everything, an officer only the agency's own assignments,
    a viewer (leaders of the People's Committee) reads everything.
    """

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Điều phối (Sở Nội vụ)")
        OFFICER = "officer", _("Cán bộ đầu mối")
        VIEWER = "viewer", _("Lãnh đạo (chỉ xem)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role, default=Role.OFFICER)
    digest_only = models.BooleanField(
        _("chỉ nhận thư tổng hợp"),
        default=False,
        help_text=_("Không nhận thư nhắc từng nhiệm vụ, chỉ nhận thư tổng hợp hằng tuần."),
    )
    email_notices = models.BooleanField(
        _("nhận thông báo qua thư điện tử"),
        default=False,
        help_text=_("Gửi thư cho mỗi thông báo trong ứng dụng (giao việc, trả lại, gia hạn…)."),
    )

    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        ordering = ["agency__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} – {self.agency} ({self.get_role_display()})"
