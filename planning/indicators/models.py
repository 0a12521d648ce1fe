"""Indicator sets, their tree of criteria, and the results recorded against them.

A plan sets targets in tables: PAR INDEX (points per area, criterion and
sub-criterion), SIPAS (satisfaction percentages per group and item), or its
own measured targets ("tỷ lệ hồ sơ trực tuyến đạt 80%"). Each row becomes an
`Indicator` under an `IndicatorSet`; results arrive per period as
`IndicatorResult`s, entered by a coordinator (published results) or by the
lead agency (measured values, then reviewed like a completion).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from config.caching.querysets import ChangeTrackingQuerySet
from planning.workflow.models import evidence_upload_to

SCORE_DIGITS = {"max_digits": 9, "decimal_places": 3}


class IndicatorSet(models.Model):
    class Kind(models.TextChoices):
        PAR_INDEX = "par_index", _("Chỉ số cải cách hành chính (PAR INDEX)")
        SIPAS = "sipas", _("Chỉ số hài lòng (SIPAS)")
        MEASURED = "measured", _("Chỉ tiêu đo lường của kế hoạch")

    plan = models.ForeignKey(
        "planning.Plan",
        verbose_name=_("kế hoạch"),
        on_delete=models.CASCADE,
        related_name="indicator_sets",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind)
    title = models.CharField(_("tên bảng"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    source_line = models.PositiveIntegerField(_("dòng trong văn bản"), null=True, blank=True)

    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ chỉ tiêu")
        verbose_name_plural = _("bộ chỉ tiêu")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="indicator_set_plan_kind_unique"),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class IndicatorQuerySet(ChangeTrackingQuerySet):
    def led_by(self, agency: Agency):
        return self.filter(lead=agency)

    def with_actual(self, as_of):
        """Each indicator with `actual`: the approved result of the latest period
        that ended on or before `as_of` (None when there is none), in one query."""
        latest = IndicatorResult.objects.filter(
            indicator=OuterRef("pk"),
            status=IndicatorResult.Status.APPROVED,
            period_end__lte=as_of,
        ).order_by("-period_end", "-pk")
        return self.annotate(
            actual=Subquery(latest.values("value")[:1]),
            actual_period_end=Subquery(latest.values("period_end")[:1]),
        )


class Indicator(models.Model):
    """One row of an indicator table: an area, a criterion, a sub-criterion,
    or the table's total ("Tổng điểm", SIPAS's "Chỉ số chung")."""

    class Unit(models.TextChoices):
        POINTS = "points", _("điểm")
        PERCENT = "percent", _("%")

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", "≥"
        ABOVE = "gt", ">"
        EQUAL = "eq", "="

    class Frequency(models.TextChoices):
        YEAR = "year", _("năm")
        QUARTER = "quarter", _("quý")
        MONTH = "month", _("tháng")

    indicator_set = models.ForeignKey(
        IndicatorSet,
        verbose_name=_("bộ chỉ tiêu"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    level = models.PositiveSmallIntegerField(_("cấp"), default=1)
    is_total = models.BooleanField(_("dòng tổng"), default=False)
    code = models.CharField(_("mã"), max_length=20, blank=True)
    name = models.TextField(_("tiêu chí"))
    unit = models.CharField(_("đơn vị"), max_length=10, choices=Unit, default=Unit.POINTS)
    maximum = models.DecimalField(_("điểm tối đa"), null=True, blank=True, **SCORE_DIGITS)
    previous = models.DecimalField(_("kết quả năm trước"), null=True, blank=True, **SCORE_DIGITS)
    comparison = models.CharField(
        _("so sánh"), max_length=3, choices=Comparison, default=Comparison.AT_LEAST
    )
    target = models.DecimalField(_("mục tiêu"), null=True, blank=True, **SCORE_DIGITS)
    frequency = models.CharField(
        _("kỳ đo"), max_length=10, choices=Frequency, default=Frequency.YEAR
    )
    lead = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_indicators",
    )
    lead_text = models.CharField(
        _("chủ trì (nguyên văn)"),
        max_length=500,
        blank=True,
        help_text=_("Như văn bản ghi, kể cả khi ô để trống và lấy theo dòng trên."),
    )
    lead_inherited = models.BooleanField(_("chủ trì theo dòng trên"), default=False)
    following_agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("đơn vị thực hiện"),
        blank=True,
        related_name="followed_indicators",
    )
    following_text = models.TextField(_("đơn vị thực hiện (nguyên văn)"), blank=True)
    source_line = models.PositiveIntegerField(_("dòng trong văn bản"), null=True, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["indicator_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "code"], name="indicator_set_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def lead_label(self) -> str:
        return self.lead.name if self.lead_id else self.lead_text

    def period_label(self, period_end) -> str:
        """The period a result is for, in the plan's words: "Quý III/2022", "tháng 9/2022"."""
        from planning.deadlines import period_name

        return period_name(self.frequency, period_end)

    def meets_target(self, value: Decimal | None) -> bool | None:
        """Whether `value` reaches the target by its comparison (None: nothing to compare)."""
        if value is None or self.target is None:
            return None
        if self.comparison == self.Comparison.ABOVE:
            return value > self.target
        if self.comparison == self.Comparison.EQUAL:
            return value == self.target
        return value >= self.target


class IndicatorResult(models.Model):
    """A value of one indicator for one period (the period is named by its last day).

    A coordinator's entry of a published result is approved at once; an
    agency's measured value waits for the coordinator's review, like a completion.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Trả lại")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="results"
    )
    period_end = models.DateField(_("kỳ (ngày cuối kỳ)"))
    value = models.DecimalField(_("kết quả"), **SCORE_DIGITS)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status, default=Status.SUBMITTED
    )
    evidence = models.TextField(_("tài liệu kiểm chứng"), blank=True)
    # The evidence file, checked and stored like a completion's (planning/uploads.py).
    file = models.FileField(_("tệp kiểm chứng"), upload_to=evidence_upload_to, blank=True)
    original_filename = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(_("kiểu tệp"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    review_note = models.TextField(_("ý kiến duyệt"), blank=True)

    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả chỉ tiêu")
        verbose_name_plural = _("kết quả chỉ tiêu")
        ordering = ["indicator", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end"], name="indicator_result_period_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.period_end:%d/%m/%Y})"

    @property
    def period_label(self) -> str:
        return self.indicator.period_label(self.period_end)

    def get_evidence_url(self) -> str:
        from django.urls import reverse

        return reverse("indicators:evidence_download", args=[self.pk])


class IndicatorTask(models.Model):
    """A task that serves a criterion: proposed by the rule of `planning.indicators.links`
    (with the reason it gives), then confirmed or removed by a coordinator. Only a
    confirmed link lists the task under a criterion below target."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="task_links"
    )
    task = models.ForeignKey(
        "planning.Task",
        verbose_name=_("nhiệm vụ"),
        on_delete=models.CASCADE,
        related_name="indicator_links",
    )
    confirmed = models.BooleanField(_("đã xác nhận"), default=False)
    reason = models.CharField(_("căn cứ đề xuất"), max_length=300, blank=True)

    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ phục vụ chỉ tiêu")
        verbose_name_plural = _("nhiệm vụ phục vụ chỉ tiêu")
        ordering = ["task", "indicator__indicator_set__order", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "task"], name="indicator_task_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} → {self.indicator}"


class IndicatorResultEvent(models.Model):
    """One step in a result's history: entered, corrected, approved, returned.

    Like an assignment's history: never edited, so the page can say who sent
    which value and why the coordinator returned it.
    """

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Gửi kết quả")
        PUBLISHED = "published", _("Ghi kết quả công bố")
        APPROVED = "approved", _("Duyệt")
        RETURNED = "returned", _("Trả lại")

    result = models.ForeignKey(
        IndicatorResult,
        verbose_name=_("kết quả"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(_("việc"), max_length=10, choices=Action)
    value = models.DecimalField(_("kết quả"), **SCORE_DIGITS)
    note = models.TextField(_("ghi chú"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch sử kết quả chỉ tiêu")
        verbose_name_plural = _("lịch sử kết quả chỉ tiêu")
        ordering = ["result", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.value}"
