"""The upload form: one file, refused early when it is too large or of a wrong type."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .readers import max_bytes

ACCEPTED = (".csv", ".xlsx", ".txt")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp bảng tính (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB."),
                params={"size": round(upload.size / 1024 / 1024), "limit": limit // 1024 // 1024},
            )
        if upload.size == 0:
            raise forms.ValidationError(_("Tệp trống: không có dòng tiêu đề và không có dữ liệu."))
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        return upload
