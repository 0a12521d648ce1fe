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

from .models import Plan
from .uploads import ALLOWED_LABEL, validate_evidence


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("Ngày không được sau ngày hôm nay.")
    return value


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ProgressForm(forms.Form):
    note = forms.CharField(
        label="Tiến độ thực hiện",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Việc đã làm, vướng mắc, kế hoạch tiếp theo.",
    )
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class CompletionForm(VersionedForm):
    completed_on = forms.DateField(label="Ngày hoàn thành", widget=DateInput())
    document_number = forms.CharField(
        label="Số văn bản kiểm chứng",
        max_length=100,
        help_text="Ví dụ: 123/BC-STP",
    )
    document_date = forms.DateField(label="Ngày văn bản", widget=DateInput())
    note = forms.CharField(
        label="Kết quả thực hiện",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    file = forms.FileField(
        label="Tệp kiểm chứng (không bắt buộc)",
        required=False,
        help_text=f"{ALLOWED_LABEL}; tối đa 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )

    def clean_completed_on(self):
        return _not_in_future(self.cleaned_data["completed_on"])

    def clean_document_date(self):
        return _not_in_future(self.cleaned_data["document_date"])

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        self.sniffed = None
        if upload:
            self.sniffed = validate_evidence(upload)
        return upload


class AcceptForm(VersionedForm):
    note = forms.CharField(label="Ý kiến", max_length=2000, required=False)


class ReturnForm(VersionedForm):
    reason = forms.CharField(
        label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class MarkDoneForm(VersionedForm):
    completed_on = forms.DateField(label="Ngày hoàn thành", widget=DateInput())
    note = forms.CharField(label="Căn cứ", max_length=2000, required=False)

    def clean_completed_on(self):
        return _not_in_future(self.cleaned_data["completed_on"])


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
