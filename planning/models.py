"""Plans, their sections and tasks, and the assignments that are tracked.

A plan (Kế hoạch 192/KH-UBND) has sections ("1.3", "III.2") holding tasks
("nhiệm vụ cụ thể"). A task given to several lead agencies becomes one
*assignment* per agency: the assignment is the unit that is tracked, counted
and reminded about. Its history is kept in `AssignmentEvent`, never deleted.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from config.caching.querysets import ChangeTrackingQuerySet

from . import caching
from .deadlines import stated_due_label
from .querysets import AssignmentQuerySet

NEWEST_PLANS_FIRST = ("-year", "-issued_on", "number")
"""How plans are listed everywhere (the reports' default plan is the first)."""


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ACTIVE = "active", _("Đang thực hiện")
        CLOSED = "closed", _("Đã kết thúc")
        WITHDRAWN = "withdrawn", _("Đã hủy bỏ")

    number = models.CharField(_("số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 192/KH-UBND"))
    title = models.CharField(_("trích yếu"), max_length=1000)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.ACTIVE)
    source_text = models.TextField(_("toàn văn"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    # Bulk writes move the cache's generation too (config/caching/querysets.py).
    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = list(NEWEST_PLANS_FIRST)
        constraints = [
            models.UniqueConstraint(fields=["number", "year"], name="plan_number_year_unique"),
        ]

    def __str__(self) -> str:
        return f"Kế hoạch {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("planning:plan_detail", args=[self.pk])


class Section(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("mục"), max_length=30, help_text=_("Ví dụ: 1.3, III.2"))
    title = models.CharField(_("tiêu đề"), max_length=1000, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    # Bulk writes move the cache's generation too (config/caching/querysets.py).
    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("mục")
        verbose_name_plural = _("mục")
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="section_plan_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}" if self.title else self.code


class Task(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="tasks"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("mục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    title = models.TextField(_("nhiệm vụ"))
    deliverable = models.CharField(_("sản phẩm"), max_length=500, blank=True)
    coordinating_agencies = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="coordinated_tasks"
    )
    coordination_text = models.TextField(
        _("phối hợp (nguyên văn)"),
        blank=True,
        help_text=_("Các cơ quan phối hợp như văn bản ghi, kể cả tên chưa có trong danh mục."),
    )
    due_text = models.CharField(
        _("thời hạn (nguyên văn)"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: hoàn thành trong Quý III/2022"),
    )
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    source_line = models.PositiveIntegerField(_("dòng trong văn bản"), null=True, blank=True)

    # Bulk writes move the cache's generation too (config/caching/querysets.py).
    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.title if len(self.title) <= 80 else self.title[:79] + "…"


class Assignment(models.Model):
    """One task for one lead agency: the unit that is tracked and counted."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        SUBMITTED = "submitted", _("Chờ duyệt hoàn thành")
        DONE = "done", _("Hoàn thành")
        WITHDRAWN = "withdrawn", _("Đã rút khỏi kế hoạch")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="assignments"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan chủ trì"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    period = models.CharField(
        _("kỳ"),
        max_length=50,
        blank=True,
        help_text=_("Với nhiệm vụ định kỳ: kỳ thực hiện, ví dụ “Quý II/2022”."),
    )
    original_due_date = models.DateField(_("hạn ban đầu"), null=True, blank=True)
    due_date = models.DateField(
        _("hạn hoàn thành"),
        null=True,
        blank=True,
        help_text=_("Hạn đang áp dụng; khác hạn ban đầu khi được gia hạn."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status, default=Status.NOT_STARTED
    )
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    completion_reported_on = models.DateField(
        _("ngày báo cáo hoàn thành"),
        null=True,
        blank=True,
        help_text=_("Ngày hoàn thành được báo cáo hoặc ghi nhận; có thể muộn hơn ngày hoàn thành."),
    )
    last_progress_at = models.DateTimeField(_("cập nhật tiến độ lần cuối"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("phiên bản"), default=0, help_text=_("Tăng sau mỗi lần đổi trạng thái; chống ghi đè.")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ được giao")
        verbose_name_plural = _("nhiệm vụ được giao")
        ordering = ["plan", "task__order", "task_id", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "agency", "period"], name="assignment_task_agency_period_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(completed_on__isnull=False),
                name="assignment_done_has_completion_date",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "agency"], name="assignment_plan_agency"),
            models.Index(fields=["agency", "status", "due_date"], name="assignment_agency_due"),
            # The reminder sweep selects open work by due date.
            models.Index(fields=["status", "due_date"], name="assignment_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.task} – {self.agency}"

    def save(self, *args, **kwargs):
        # Whatever path records a completion (the workflow, the admin, a
        # spreadsheet import), the day it was recorded is kept beside it.
        if self.status == self.Status.DONE and self.completion_reported_on is None:
            self.completion_reported_on = timezone.localdate()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "completion_reported_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("planning:assignment_detail", args=[self.pk])

    # Which cached figures a change makes stale (planning/caching.py).
    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._cache_origin = (
            instance.__dict__.get("plan_id"),
            instance.__dict__.get("agency_id"),
        )
        return instance

    def cache_scopes(self):
        return caching.assignment_scopes(self)

    @classmethod
    def cache_scopes_of_rows(cls, rows, changes, *, limit):
        return caching.assignment_rows_scopes(rows, changes, limit=limit)

    @property
    def planned_due_label(self) -> str:
        """The deadline as the plan states it: "Quý III/2022 (30/09/2022)".

        Read from the recurring period's label, then the task's deadline words
        (`deadlines.stated_due_label`); uses `task`, so lists select it.
        """
        return stated_due_label(
            self.original_due_date or self.due_date, self.period, self.task.due_text
        )

    @property
    def due_label(self) -> str:
        """The deadline that applies now, as lists, exports and events show it.

        The plan's own words with the date ("Quý III/2022 (30/09/2022)",
        "Thường xuyên"); once extended, the approved date ("15/10/2022"), which
        pages follow with the planned one (`planned_due_label`).
        """
        if self.due_date == (self.original_due_date or self.due_date):
            return self.planned_due_label
        if self.is_extended:
            return self.due_date.strftime("%d/%m/%Y")
        # Moved earlier by hand: the plan's words no longer name it.
        return stated_due_label(self.due_date)

    @property
    def is_extended(self) -> bool:
        return bool(
            self.original_due_date and self.due_date and self.due_date > self.original_due_date
        )

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def is_overdue(self, today: date) -> bool:
        return (
            self.status not in (self.Status.DONE, self.Status.WITHDRAWN)
            and self.due_date is not None
            and self.due_date < today
        )

    @property
    def is_reported_late(self) -> bool:
        """Done, but the completion was reported after the due date ("báo cáo sau hạn")."""
        return bool(
            self.is_done
            and self.due_date
            and self.completion_reported_on
            and self.completion_reported_on > self.due_date
        )

    def is_done_on_time(self) -> bool | None:
        """True/False once done (judged against the approved due date), None before."""
        if not self.is_done:
            return None
        return self.due_date is None or self.completed_on <= self.due_date

    def days_late(self, today: date) -> int:
        """Days past the due date: until today when open, until completion when done."""
        if self.due_date is None:
            return 0
        end = self.completed_on if self.is_done else today
        return max(0, (end - self.due_date).days)

    def days_left(self, today: date) -> int | None:
        if self.due_date is None or self.is_done:
            return None
        return (self.due_date - today).days


class AssignmentEvent(caching.ScopedByAssignment, models.Model):
    """One recorded change of an assignment: who, when, what from and what to.

    Rows are only ever added; the history page reads them in order.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Giao nhiệm vụ")
        STATUS = "status", _("Đổi trạng thái")
        DUE_DATE = "due_date", _("Đổi hạn hoàn thành")
        AGENCY = "agency", _("Đổi cơ quan chủ trì")
        EVIDENCE = "evidence", _("Văn bản kiểm chứng")
        PROGRESS = "progress", _("Báo cáo tiến độ")
        SUBMITTED = "submitted", _("Gửi hoàn thành")
        ACCEPTED = "accepted", _("Duyệt hoàn thành")
        RETURNED = "returned", _("Trả lại")
        EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn")
        EXTENSION_APPROVED = "extension_approved", _("Chấp thuận gia hạn")
        EXTENSION_REJECTED = "extension_rejected", _("Từ chối gia hạn")
        WITHDRAWN = "withdrawn", _("Rút khỏi kế hoạch")
        IMPORTED = "imported", _("Cập nhật từ bảng tính")
        TASK = "task", _("Sửa nhiệm vụ")
        COORDINATION = "coordination", _("Đổi cơ quan phối hợp")
        REPLY = "reply", _("Trao đổi")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("nhiệm vụ được giao"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("loại"), max_length=30, choices=Kind)
    field = models.CharField(_("trường"), max_length=50, blank=True)
    old_value = models.TextField(_("giá trị cũ"), blank=True)
    new_value = models.TextField(_("giá trị mới"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch sử thay đổi")
        verbose_name_plural = _("lịch sử thay đổi")
        ordering = ["assignment", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.old_value} → {self.new_value}"


# Progress notes, completion submissions and extension requests (the workflow).
# Tokens of the systems that use the JSON API (planning/api/).
from .api.models import ApiToken, IdempotentRequest  # noqa: E402
from .workflow.models import (  # noqa: E402
    CompletionSubmission,
    ExtensionRequest,
    ProgressNote,
    Reply,
)

__all__ = [
    "ApiToken",
    "Assignment",
    "AssignmentEvent",
    "CompletionSubmission",
    "DeclaredDay",
    "ExtensionRequest",
    "IdempotentRequest",
    "Plan",
    "ProgressNote",
    "Reply",
    "ScoringRule",
    "Section",
    "Task",
]

# A plan's indicators (PAR INDEX, SIPAS, measured targets) and their results.
from .indicators.models import (  # noqa: E402, F401
    Indicator,
    IndicatorResult,
    IndicatorResultEvent,
    IndicatorSet,
    IndicatorTask,
)


class DeclaredDay(models.Model):
    """A day the province declares: a compensatory day off, or a working Saturday.

    It overrides the national calendar (weekends and the `holidays` package's
    Vietnam holidays) in `planning.workdays`; coordinators keep it in the admin.
    """

    day = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(
        _("là ngày làm việc"),
        default=False,
        help_text=_("Đánh dấu khi là ngày làm việc bù (ví dụ thứ Bảy); bỏ trống khi là ngày nghỉ."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm việc bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm việc bù")
        ordering = ["day"]

    def __str__(self) -> str:
        kind = "Làm việc" if self.is_working_day else "Nghỉ"
        return f"{kind} {self.day:%d/%m/%Y}"


class ScoringRule(models.Model):
    """How the province scores an agency's completion of a plan (bộ chỉ số CCHC).

    Bands of a ratio → points: "100% → 2 điểm; từ 80% → 1 điểm; dưới 80% → 0".
    For one plan, or for every plan of a year. Rules are versioned rows: a
    change is a new row with a later `valid_from`, and a report uses the rule
    in force at its as-of date (`in_force`), so past reports keep their scores.
    """

    class Measure(models.TextChoices):
        COMPLETION = "completion", _("Tỷ lệ hoàn thành")
        ON_TIME = "on_time", _("Tỷ lệ đúng hạn")
        DUE = "due", _("Tỷ lệ hoàn thành nhiệm vụ đến hạn")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), null=True, blank=True, on_delete=models.CASCADE
    )
    year = models.PositiveIntegerField(
        _("năm"), null=True, blank=True, help_text=_("Áp dụng cho mọi kế hoạch của năm.")
    )
    measure = models.CharField(
        _("chỉ số chấm"), max_length=20, choices=Measure.choices, default=Measure.COMPLETION
    )
    bands = models.CharField(
        _("thang điểm"),
        max_length=255,
        help_text=_("Từ tỷ lệ → điểm, cách nhau bằng dấu chấm phẩy, ví dụ: 100:2; 80:1; 0:0"),
    )
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cách chấm điểm")
        verbose_name_plural = _("cách chấm điểm")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan__isnull=False) | models.Q(year__isnull=False),
                name="scoring_rule_plan_or_year",
            )
        ]

    def __str__(self) -> str:
        scope = f"Kế hoạch {self.plan.number}" if self.plan_id else f"Năm {self.year}"
        return f"{scope}: {self.bands} (từ {self.valid_from:%d/%m/%Y})"

    def band_list(self) -> list[tuple[Decimal, Decimal]]:
        """[(from percent, points)], highest first; raises ValueError when malformed."""
        pairs = []
        for part in self.bands.split(";"):
            if part.strip():
                low, points = part.split(":")
                pairs.append(
                    (
                        Decimal(low.strip().rstrip("%").replace(",", ".")),
                        Decimal(points.strip().replace(",", ".")),
                    )
                )
        return sorted(pairs, reverse=True)

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            self.band_list()
        except (ValueError, ArithmeticError):
            raise ValidationError(
                {"bands": "Thang điểm không hợp lệ, ví dụ đúng: 100:2; 80:1; 0:0"}
            ) from None

    def score(self, ratio: Decimal | None) -> Decimal | None:
        """The points of the first band the ratio reaches, never above `max_points`;
        None when there is nothing to score (no ratio)."""
        if ratio is None:
            return None
        points = next((p for low, p in self.band_list() if ratio >= low), Decimal(0))
        return min(points, self.max_points).quantize(Decimal("0.01"))

    def ratio_of(self, rollup) -> Decimal | None:
        return {
            self.Measure.COMPLETION: rollup.ratio,
            self.Measure.ON_TIME: rollup.on_time_ratio,
            self.Measure.DUE: rollup.due_ratio,
        }[self.measure]

    @classmethod
    def in_force(cls, plan: Plan | None, as_of: date) -> ScoringRule | None:
        """The plan's own rule in force on `as_of`, else its year's; one query."""
        if plan is None:
            return None
        rules = cls.objects.filter(
            models.Q(plan=plan) | models.Q(plan__isnull=True, year=plan.year),
            valid_from__lte=as_of,
        ).select_related("plan")
        return min(
            rules, key=lambda r: (r.plan_id is None, -r.valid_from.toordinal(), -r.pk), default=None
        )
