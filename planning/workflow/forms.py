"""Forms of the workflow: they validate input; the services decide.

Forms that change an assignment's state carry the `version` the page showed,
so a decision taken on a stale page is refused instead of overwriting a newer
one. The progress form carries a token made when the form is drawn, so a
double-submit adds one note, not two.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone

from agencies.models import Agency

from ..models import Assignment, CompletionSubmission, Plan
from ..uploads import ALLOWED_LABEL, validate_evidence
from ..uploads import limits as upload_limits
from . import services as workflow


class DateInput(forms.DateInput):
    """Day-first text ("19/07/2022"), not `<input type="date">`, which the browser draws
    in its own language's order (mm/dd/yyyy in an English browser) whatever the page's."""

    def __init__(self, **kwargs):
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10}
        super().__init__(format="%d/%m/%Y", attrs={**attrs, **kwargs.pop("attrs", {})}, **kwargs)


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("Ngày không được sau ngày hôm nay.")
    return value


class PicksField(forms.Field):
    """Checked rows of a list, each "id:version" (the version the page showed)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, empty_message: str, **kwargs):
        super().__init__(error_messages={"required": empty_message}, **kwargs)

    def to_python(self, value) -> list[tuple[int, int]]:
        picks = []
        for item in value or []:
            pk, _, version = str(item).partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise forms.ValidationError("Lựa chọn không hợp lệ; vui lòng tải lại trang.")
            picks.append((int(pk), int(version)))
        return picks


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class EvidenceFileMixin:
    """An optional `file`, checked by content (`uploads.validate_evidence`);
    `sniffed` holds its type for the service that stores it."""

    sniffed = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        self.sniffed = validate_evidence(upload) if upload else None
        return upload


def _evidence_file(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        help_text=f"Không bắt buộc. {ALLOWED_LABEL}; tối đa 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )


class ProgressForm(EvidenceFileMixin, forms.Form):
    note = forms.CharField(
        label="Tiến độ thực hiện",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Việc đã làm, vướng mắc, kế hoạch tiếp theo.",
    )
    file = _evidence_file("Tệp đính kèm")
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Trả lời", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    progress_note = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission = forms.IntegerField(widget=forms.HiddenInput, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


class CompletionDateMixin:
    """A completion date within the plan's life: from its issue date to today.

    The form is built for one assignment (`assignment=`); the date picker gets
    the same bounds (min/max) and the help text states them.
    """

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        today = timezone.localdate()
        field = self.fields["completed_on"]
        field.widget.attrs["max"] = today.isoformat()
        issued_on = assignment.plan.issued_on
        if issued_on:
            field.widget.attrs["min"] = issued_on.isoformat()
            field.help_text = (
                f"Từ ngày ban hành kế hoạch ({issued_on:%d/%m/%Y}) đến hôm nay ({today:%d/%m/%Y})."
            )
        else:
            field.help_text = f"Không sau hôm nay ({today:%d/%m/%Y})."

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        error = workflow.completion_date_error(
            assignment=self.assignment, completed_on=value, today=timezone.localdate()
        )
        if error:
            raise forms.ValidationError(error)
        return value


class CompletionForm(EvidenceFileMixin, CompletionDateMixin, VersionedForm):
    completed_on = forms.DateField(label="Ngày hoàn thành", widget=DateInput())
    document_number = forms.CharField(
        label="Số văn bản kiểm chứng",
        max_length=100,
        help_text="Số, ký hiệu của báo cáo hoặc văn bản chứng minh kết quả, ví dụ 123/BC-STP.",
    )
    document_date = forms.DateField(
        label="Ngày văn bản", widget=DateInput(), help_text="Ngày ký văn bản kiểm chứng."
    )
    note = forms.CharField(
        label="Kết quả thực hiện",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text="Không bắt buộc: tóm tắt kết quả, sản phẩm đã hoàn thành.",
    )
    file = _evidence_file("Tệp kiểm chứng")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"Không bắt buộc. {ALLOWED_LABEL}. {upload_limits.evidence().statement}"

    def clean_document_date(self):
        return _not_in_future(self.cleaned_data["document_date"])

    def submit(self, *, actor) -> CompletionSubmission:
        """The valid form sent to `workflow.submit_completion` (the page and the API)."""
        data = self.cleaned_data
        return workflow.submit_completion(
            assignment=self.assignment,
            actor=actor,
            completed_on=data["completed_on"],
            document_number=data["document_number"],
            document_date=data["document_date"],
            note=data["note"],
            file=data["file"] or None,
            sniffed=self.sniffed,
            expected_version=data["version"],
        )


class AcceptForm(VersionedForm):
    note = forms.CharField(label="Ý kiến", max_length=2000, required=False)


class ReturnForm(VersionedForm):
    reason = forms.CharField(
        label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class MarkDoneForm(CompletionDateMixin, VersionedForm):
    completed_on = forms.DateField(label="Ngày hoàn thành", widget=DateInput())
    note = forms.CharField(label="Căn cứ", max_length=2000, required=False)


class ExtensionRequestForm(forms.Form):
    requested_due_date = forms.DateField(label="Đề nghị gia hạn đến ngày", widget=DateInput())
    reason = forms.CharField(
        label="Lý do", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[("approve", "Chấp thuận"), ("reject", "Từ chối")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Ý kiến", max_length=2000, required=False)

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label="Lý do rút", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ChangeAgencyForm(VersionedForm):
    agency = forms.ModelChoiceField(
        label="Cơ quan chủ trì mới", queryset=Agency.objects.filter(is_active=True)
    )
    reason = forms.CharField(label="Lý do", max_length=2000)


class AcceptManyForm(forms.Form):
    picks = PicksField(empty_message="Hãy chọn ít nhất một báo cáo để duyệt.")
    note = forms.CharField(label="Ý kiến", max_length=2000, required=False)


class BulkAgencyForm(forms.Form):
    picks = PicksField(empty_message="Hãy chọn ít nhất một nhiệm vụ để đổi cơ quan chủ trì.")
    agency = forms.ModelChoiceField(
        label="Cơ quan chủ trì mới", queryset=Agency.objects.filter(is_active=True)
    )
    reason = forms.CharField(label="Lý do", max_length=2000)


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "number",
            "title",
            "issuing_body",
            "place",
            "issued_on",
            "signer",
            "year",
            "status",
        ]
        widgets = {"issued_on": DateInput(), "title": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            c for c in self.fields["status"].choices if c[0] != Plan.Status.WITHDRAWN
        ]


class WithdrawPlanForm(forms.Form):
    reason = forms.CharField(
        label="Lý do hủy bỏ", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    confirm_number = forms.CharField(label="Nhập lại số kế hoạch để xác nhận", max_length=60)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_confirm_number(self):
        value = self.cleaned_data["confirm_number"].strip()
        if value != self.plan.number:
            raise forms.ValidationError(f"Số kế hoạch không khớp (phải là {self.plan.number}).")
        return value
