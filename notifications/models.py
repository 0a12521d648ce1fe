"""The reminder policy and the notification log.

The policy says *when* reminders go out; a coordinator edits it in the admin.
The log is how a reminder is sent exactly once: every notice is a row
identified by (scope, kind, period), inserted under a unique constraint
*before* anything is sent, then claimed with a conditional UPDATE by whichever
worker gets to it first (see `notifications.sweep`).
"""

from __future__ import annotations

from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from planning.models import Assignment, Indicator


def parse_day_list(value: str) -> list[int]:
    """ "7, 1" → [7, 1] (largest first, no duplicates)."""
    days = set()
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) < 1:
            raise ValidationError(
                _("“%(value)s” phải là các số ngày dương, cách nhau bằng dấu phẩy."),
                params={"value": value},
                code="invalid",
            )
        days.add(int(part))
    return sorted(days, reverse=True)


def validate_day_list(value: str) -> None:
    parse_day_list(value)


class ReminderPolicy(models.Model):
    """When reminders go out. One row (pk=1), created with the defaults on first use."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Thứ Hai")
        TUESDAY = 1, _("Thứ Ba")
        WEDNESDAY = 2, _("Thứ Tư")
        THURSDAY = 3, _("Thứ Năm")
        FRIDAY = 4, _("Thứ Sáu")
        SATURDAY = 5, _("Thứ Bảy")
        SUNDAY = 6, _("Chủ nhật")

    before_days = models.CharField(
        _("nhắc trước hạn (ngày)"),
        max_length=50,
        default="7,1",
        validators=[validate_day_list],
        help_text=_("Số ngày trước hạn, cách nhau bằng dấu phẩy. Mặc định: 7,1."),
    )
    overdue_first_day = models.PositiveSmallIntegerField(
        _("nhắc quá hạn lần đầu sau (ngày)"), default=1, validators=[MinValueValidator(1)]
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("nhắc quá hạn lặp lại mỗi (ngày)"), default=7, validators=[MinValueValidator(1)]
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("báo cáo lãnh đạo sau số lần nhắc quá hạn"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Sau lần nhắc quá hạn thứ mấy thì gửi thư cho lãnh đạo cơ quan và Sở Nội vụ."),
    )
    send_after = models.TimeField(
        _("gửi thư từ"),
        default=time(7, 30),
        help_text=_("Không gửi thư mới trước giờ này (giờ Việt Nam)."),
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("ngày gửi thư tổng hợp tuần"), choices=Weekday, default=Weekday.MONDAY
    )
    digest_upcoming_days = models.PositiveSmallIntegerField(
        _("thư tổng hợp liệt kê việc sắp đến hạn trong (ngày)"), default=30
    )
    monthly_day = models.PositiveSmallIntegerField(
        _("ngày gửi báo cáo tháng"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("số lần gửi tối đa"), default=5, validators=[MinValueValidator(1)]
    )
    retry_minutes = models.PositiveSmallIntegerField(
        _("gửi lại sau (phút)"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("Lần gửi lại thứ n chờ n lần gấp đôi khoảng này (15, 30, 60… phút)."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("quy định nhắc việc")
        verbose_name_plural = _("quy định nhắc việc")

    def __str__(self) -> str:
        return str(_("Quy định nhắc việc"))

    @classmethod
    def current(cls) -> ReminderPolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy

    @property
    def before_day_list(self) -> list[int]:
        return parse_day_list(self.before_days)

    def due_soon_windows(
        self, today: date, until: date | None = None
    ) -> list[tuple[int, date, date]]:
        """(days, first due date, last due date) for each "n days before" reminder.

        The reminder "7 days before" covers due dates 7 down to 2 days ahead and
        "1 day before" 1 down to 0, so a sweep that missed a day still sends it,
        and each is sent once per due date. `until` (a day after `today`) also
        takes the reminders that would fall due up to it: a Friday's sweep sends
        the weekend's (`notifications.sweep.reminder_horizon`).
        """
        days = self.before_day_list
        last_day = until or today
        windows = []
        for index, d in enumerate(days):
            nearer = days[index + 1] if index + 1 < len(days) else -1
            windows.append((d, today + timedelta(days=nearer + 1), last_day + timedelta(days=d)))
        return windows

    def overdue_step(self, due: date, today: date) -> tuple[int, date] | None:
        """Which overdue reminder is current on `today`: (n, the day it fell due).

        Reminder 1 falls due `overdue_first_day` days after the due date, then one
        every `overdue_every_days`; a missed day is caught up within the interval.
        """
        late = (today - due).days
        if late < self.overdue_first_day:
            return None
        n = (late - self.overdue_first_day) // self.overdue_every_days + 1
        slot = due + timedelta(days=self.overdue_first_day + (n - 1) * self.overdue_every_days)
        return n, slot

    def retry_delay(self, attempts: int) -> timedelta:
        """Backoff after the `attempts`-th failed try: 15, 30, 60… minutes."""
        return timedelta(minutes=self.retry_minutes * 2 ** max(0, attempts - 1))


class Notification(models.Model):
    """One notice to send, or sent: the exactly-once record.

    `scope` + `kind` + `period` name the notice ("a:42" / overdue /
    "2022-07-31#2" is the second overdue reminder of assignment 42 for its due
    date 31/07/2022; "i:7" / missing_result / "2022-09-30" reminds the lead agency
    of measured target 7 that the quarter ending 30/09/2022 has no value). The
    unique constraint on them is the guarantee: the row is inserted before
    sending, and a second sweep's insert fails.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Nhắc trước hạn")
        OVERDUE = "overdue", _("Nhắc quá hạn")
        ESCALATION = "escalation", _("Báo cáo lãnh đạo")
        WEEKLY_DIGEST = "weekly_digest", _("Tổng hợp tuần")
        MONTHLY_SUMMARY = "monthly_summary", _("Báo cáo tháng")
        NOTICE = "notice", _("Thông báo")
        MISSING_RESULT = "missing_result", _("Nhắc nhập kết quả chỉ tiêu")
        MANUAL = "manual", _("Đôn đốc")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi thất bại")
        SKIPPED = "skipped", _("Bỏ qua")

    scope = models.CharField(_("phạm vi"), max_length=50)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind)
    period = models.CharField(_("kỳ"), max_length=50)
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("nhiệm vụ được giao"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        help_text=_("Chỉ tiêu chưa có kết quả của kỳ đã kết thúc (nhắc nhập kết quả)."),
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    due_date = models.DateField(_("hạn được nhắc"), null=True, blank=True)
    step = models.PositiveIntegerField(
        _("bước"), default=0, help_text=_("Số ngày trước hạn, hoặc lần nhắc quá hạn thứ mấy.")
    )
    due_on = models.DateField(_("đến lượt gửi ngày"), help_text=_("Ngày thư này đến lượt gửi."))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới"))
    recipients = models.TextField(_("người nhận"), blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư nhắc việc")
        verbose_name_plural = _("nhật ký nhắc việc")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "kind", "period"], name="notification_once_per_period"
            ),
        ]
        indexes = [
            # The send phase of the sweep: pending rows whose time has come.
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            # The queue phase's NOT EXISTS: was this reminder already logged?
            models.Index(fields=["assignment", "kind", "due_date"], name="notification_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scope} {self.period}"

    @property
    def recipient_list(self) -> list[str]:
        return [r for r in self.recipients.split(",") if r]

    @staticmethod
    def problems_of(copies: list[tuple[str, str, str]]) -> str:
        """Per recipient, from (address, status, reply) triples: "a@x: 550 …; b@y: 451 …"."""
        return "; ".join(
            f"{a}: {reply}" for a, status, reply in copies if status != "sent" and reply
        )

    @property
    def error_to_show(self) -> str:
        """`last_error`, unless it only repeats what the copies (prefetched) say per recipient."""
        copies = [(d.address, d.status, d.reply) for d in self.deliveries.all()]
        if copies and self.last_error == self.problems_of(copies)[:2000]:
            return ""
        return self.last_error


class Delivery(models.Model):
    """One recipient's copy of a notice: what the mail server answered for that address.

    A notice is sent to each of its recipients separately, with a `message_id`
    fixed when the copy is first made, so a 451 to one officer is retried for
    that officer only, and a repeat carries the same Message-ID. The unique
    constraint makes "the same notice to the same address" one row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        DEFERRED = "deferred", _("Tạm thời bị từ chối")
        REFUSED = "refused", _("Bị từ chối")
        GAVE_UP = "gave_up", _("Không gửi được")
        SKIPPED = "skipped", _("Bỏ qua")

    OPEN = (Status.PENDING, Status.DEFERRED)
    """Still to be sent: not yet tried, or refused for now."""
    UNSERVED = (Status.REFUSED, Status.GAVE_UP)
    """Never reached the recipient: what a coordinator needs to look at."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("thư nhắc việc"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    address = models.CharField(_("địa chỉ"), max_length=254)
    message_id = models.CharField(_("Message-ID"), max_length=200)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    reply = models.TextField(_("máy chủ thư trả lời"), blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần gửi tới một người nhận")
        verbose_name_plural = _("các lần gửi tới người nhận")
        ordering = ["notification", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "address"], name="delivery_once_per_address"
            ),
        ]
        indexes = [
            # `send_reminders --retry-now` and the log page's count of refusals.
            models.Index(fields=["status"], name="delivery_status"),
        ]

    def __str__(self) -> str:
        return f"{self.address} · {self.get_status_display()}"

    @property
    def state_label(self) -> str:
        """What the log page says about this copy, in the words a coordinator reads."""
        if self.status == self.Status.DEFERRED:
            # A reply code means the server refused; none means we could not reach it.
            what = "Tạm thời bị từ chối" if self.reply[:1] == "4" else "Chưa gửi được"
            if self.next_attempt_at:
                when = timezone.localtime(self.next_attempt_at)
                return f"{what} — sẽ gửi lại lúc {when:%H:%M} ngày {when:%d/%m/%Y}"
            return what
        if self.status == self.Status.REFUSED:
            return f"Bị từ chối: {self.reply}"
        if self.status == self.Status.GAVE_UP:
            return f"Không gửi được sau nhiều lần thử: {self.reply}"
        return str(self.get_status_display())

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Notice(models.Model):
    """One in-app notice ("Thông báo") for one user: something that needs them.

    Made from the history events planning announces (`notifications.notices`)
    and from the sweep's escalations. `source` names what it came from
    ("e:<event pk>", "n:<notification pk>"); unique with the user, so the same
    event never notifies the same person twice. `email` is the row of the
    exactly-once log that e-mails it, for users who asked for that.
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Nhiệm vụ mới được giao")
        RETURNED = "returned", _("Báo cáo hoàn thành bị trả lại")
        EXTENSION_APPROVED = "extension_approved", _("Đề nghị gia hạn được chấp thuận")
        EXTENSION_REJECTED = "extension_rejected", _("Đề nghị gia hạn bị từ chối")
        ACCEPTED = "accepted", _("Hoàn thành được chấp nhận")
        DUE_CHANGED = "due_changed", _("Hạn hoàn thành thay đổi")
        SUBMITTED = "submitted", _("Báo cáo hoàn thành mới")
        EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn mới")
        ESCALATED = "escalated", _("Cơ quan quá hạn, đã báo cáo lãnh đạo")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("loại"), max_length=30, choices=Kind)
    source = models.CharField(_("nguồn"), max_length=50)
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("nhiệm vụ được giao"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    summary = models.CharField(_("nội dung"), max_length=500)
    detail = models.TextField(_("chi tiết"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)
    email = models.OneToOneField(
        Notification,
        verbose_name=_("thư gửi kèm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notice",
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "source"], name="notice_once_per_user"),
        ]
        indexes = [
            # The header's unread count and the list page, newest first.
            models.Index(fields=["user", "read_at", "created_at"], name="notice_user_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
