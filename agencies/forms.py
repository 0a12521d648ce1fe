"""A user's own settings: the address reminders go to (required), digest-only,
and whether in-app notices are e-mailed too."""

from django import forms
from django.contrib.auth.models import User

from .models import Membership


class AccountForm(forms.Form):
    # Required: with no address a coordinator's monthly summary has nobody to go to,
    # and an officer's reminders silently fall back to the agency's contact addresses.
    email = forms.EmailField(
        label="Thư điện tử nhận nhắc việc",
        error_messages={
            "required": "Vui lòng nhập địa chỉ thư điện tử để nhận thư nhắc việc và báo cáo.",
            "invalid": "Địa chỉ thư điện tử không hợp lệ.",
        },
        help_text="Thư nhắc việc, thư tổng hợp và báo cáo hằng tháng được gửi tới địa chỉ này.",
    )
    digest_only = forms.BooleanField(
        label="Chỉ nhận thư tổng hợp hằng tuần",
        required=False,
        help_text="Không nhận thư nhắc từng nhiệm vụ (trước hạn, quá hạn).",
    )

    email_notices = forms.BooleanField(
        label="Nhận thông báo qua thư điện tử",
        required=False,
        help_text="Mỗi thông báo trong mục “Thông báo” (nhiệm vụ mới, báo cáo bị trả lại, "
        "quyết định gia hạn, đổi hạn…) cũng được gửi tới địa chỉ trên.",
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and User.objects.exclude(pk=self.user.pk).filter(email__iexact=email).exists():
            raise forms.ValidationError("Địa chỉ này đã được một tài khoản khác sử dụng.")
        return email

    def save(self, membership: Membership | None) -> None:
        self.user.email = self.cleaned_data["email"]
        self.user.save(update_fields=["email"])
        if membership is not None:
            membership.digest_only = self.cleaned_data["digest_only"]
            membership.email_notices = self.cleaned_data["email_notices"]
            membership.save(update_fields=["digest_only", "email_notices"])
