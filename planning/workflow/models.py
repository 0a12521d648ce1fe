"""What agencies send in about an assignment, and what Sở Nội vụ decides.

- `ProgressNote`: a dated note from the lead agency ("đã dự thảo, đang lấy ý kiến").
- `CompletionSubmission`: "we are done", with the evidence document (number,
  date, optional file) waiting for a coordinator to accept or return it.
- `ExtensionRequest`: "please move our deadline to …", approved or rejected.
- `Reply`: a message under a progress note or a returned report, from the
  lead agency's officers or Sở Nội vụ: the assignment's thread.

At most one pending submission and one pending extension request exist per
assignment (partial unique constraints), so a double-submitted form cannot
create two. Progress notes carry the token of the form render for the same
reason. Nothing here is deleted: decisions are recorded on the rows.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.caching.querysets import ChangeTrackingQuerySet
from planning.caching import ScopedByAssignment


def evidence_upload_to(instance: models.Model, filename: str) -> str:
    """A random name under evidence/YYYY/MM/, keeping only the sniffed extension."""
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ProgressNote(ScopedByAssignment, models.Model):
    assignment = models.ForeignKey(
        "planning.Assignment",
        verbose_name=_("nhiệm vụ được giao"),
        on_delete=models.CASCADE,
        related_name="progress_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("nội dung"))
    file = models.FileField(_("tệp đính kèm"), upload_to=evidence_upload_to, blank=True)
    original_filename = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(_("kiểu tệp"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    token = models.UUIDField(_("mã biểu mẫu"), unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["assignment", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.note[:80]

    def get_download_url(self) -> str:
        return reverse("workflow:progress_file", args=[self.assignment_id, self.pk])


class CompletionSubmission(ScopedByAssignment, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        ACCEPTED = "accepted", _("Đã duyệt")
        RETURNED = "returned", _("Trả lại")

    assignment = models.ForeignKey(
        "planning.Assignment",
        verbose_name=_("nhiệm vụ được giao"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_on = models.DateField(_("ngày hoàn thành"))
    note = models.TextField(_("kết quả thực hiện"), blank=True)
    document_number = models.CharField(
        _("số văn bản kiểm chứng"), max_length=100, help_text=_("Ví dụ: 123/BC-STP")
    )
    document_date = models.DateField(_("ngày văn bản"))
    file = models.FileField(_("tệp kiểm chứng"), upload_to=evidence_upload_to, blank=True)
    original_filename = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(_("kiểu tệp"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo hoàn thành")
        verbose_name_plural = _("báo cáo hoàn thành")
        ordering = ["assignment", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(status="pending"),
                name="submission_one_pending_per_assignment",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="submission_status_created")]

    def __str__(self) -> str:
        return self.evidence_label

    @property
    def reported_on(self) -> date:
        """The day the agency filed the report (local time), beside the day it says
        the work was done: both are shown before a coordinator accepts."""
        return timezone.localdate(self.created_at) if self.created_at else timezone.localdate()

    @property
    def is_reported_late(self) -> bool:
        """Filed after the due date that applied ("báo cáo sau hạn"), whatever
        completion date it gives; uses `assignment`, so lists select it."""
        due = self.assignment.due_date
        return due is not None and self.reported_on > due

    @property
    def evidence_label(self) -> str:
        """ "Văn bản số 123/BC-STP ngày 25/07/2022" """
        return f"Văn bản số {self.document_number} ngày {self.document_date:%d/%m/%Y}"

    def get_download_url(self) -> str:
        return reverse("workflow:evidence_download", args=[self.assignment_id, self.pk])


class ExtensionRequest(ScopedByAssignment, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ quyết định")
        APPROVED = "approved", _("Chấp thuận")
        REJECTED = "rejected", _("Từ chối")

    assignment = models.ForeignKey(
        "planning.Assignment",
        verbose_name=_("nhiệm vụ được giao"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current_due_date = models.DateField(_("hạn khi đề nghị"), null=True, blank=True)
    requested_due_date = models.DateField(_("hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)
    created_at = models.DateTimeField(_("đề nghị lúc"), auto_now_add=True)

    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        ordering = ["assignment", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(status="pending"),
                name="extension_one_pending_per_assignment",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="extension_status_created")]

    def __str__(self) -> str:
        return f"Gia hạn đến {self.requested_due_date:%d/%m/%Y}"


class Reply(models.Model):
    """One message of an assignment's thread, under a progress note or under a
    returned completion report (exactly one of the two)."""

    assignment = models.ForeignKey(
        "planning.Assignment",
        verbose_name=_("nhiệm vụ được giao"),
        on_delete=models.CASCADE,
        related_name="replies",
    )
    progress_note = models.ForeignKey(
        ProgressNote,
        verbose_name=_("báo cáo tiến độ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    submission = models.ForeignKey(
        CompletionSubmission,
        verbose_name=_("báo cáo hoàn thành bị trả lại"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("nội dung"))
    token = models.UUIDField(_("mã biểu mẫu"), unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    objects = ChangeTrackingQuerySet.as_manager()

    class Meta:
        verbose_name = _("trao đổi")
        verbose_name_plural = _("trao đổi")
        ordering = ["assignment", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_note__isnull=True, submission__isnull=False)
                | models.Q(progress_note__isnull=False, submission__isnull=True),
                name="reply_under_one_note_or_return",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


def with_last_return(assignments: models.QuerySet) -> models.QuerySet:
    """Assignments annotated with their latest returned completion report:
    `returned_at` (when Sở Nội vụ returned it) and `returned_reason`.

    Two correlated subqueries on the rows already selected (a page of an inbox
    group), so a list still costs one query; the officer sees why the work came
    back without opening each assignment.
    """
    returned = CompletionSubmission.objects.filter(
        assignment=models.OuterRef("pk"), status=CompletionSubmission.Status.RETURNED
    ).order_by("-decided_at", "-pk")
    return assignments.annotate(
        returned_at=models.Subquery(returned.values("decided_at")[:1]),
        returned_reason=models.Subquery(returned.values("decision_note")[:1]),
    )
