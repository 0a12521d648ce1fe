"""The import forms: the upload (one file, refused early when too large or of a
wrong type) and the confirm step (a file that creates plans needs its own tick)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.uploads import limits as upload_limits

from .plans import NewPlan
from .readers import SheetError, inspect_upload

ACCEPTED = (".csv", ".xlsx", ".txt")


class UploadForm(forms.Form):
    """One file, refused here when it is too large, of a wrong type, or holds more
    than stated (`readers.inspect_upload`, bounded); `cleaned_data["rows"]` is
    how many rows it holds at most, which decides where it is read."""

    file = forms.FileField(
        label=_("Tệp bảng tính (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = upload_limits.spreadsheet()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = self.limits.max_bytes
        if upload.size > limit:  # before reading it into memory
            raise forms.ValidationError(upload_limits.too_big_message(upload.size, limit))
        if upload.size == 0:
            raise forms.ValidationError(_("Tệp trống: không có dòng tiêu đề và không có dữ liệu."))
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        content = upload.read()
        try:
            self.cleaned_data["rows"] = inspect_upload(name=upload.name, data=content)
        except SheetError as exc:
            raise forms.ValidationError(exc.messages) from None
        self.cleaned_data["content"] = content
        return upload


class ConfirmForm(forms.Form):
    """ "Xác nhận nhập": a file that creates plans needs the box ticked that names them.

    A new plan appears in every lead agency's inbox, so creating one is never a
    side effect of confirming rows: the user confirms the plans, by name, here.
    `cleaned_data["new_plans"]` is what the real import may create.
    """

    confirm_new_plans = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Tệp này tạo kế hoạch mới: hãy đánh dấu ô xác nhận bên dưới, hoặc sửa cột "
                "'Kế hoạch' nếu đó là lỗi gõ rồi tải tệp lên lại."
            )
        },
    )

    def __init__(self, *args, new_plans: list[NewPlan], **kwargs):
        super().__init__(*args, **kwargs)
        self.new_plans = new_plans
        if not new_plans:
            del self.fields["confirm_new_plans"]
        else:
            labels = ", ".join(plan.label for plan in new_plans)
            self.fields[
                "confirm_new_plans"
            ].label = f"Tôi xác nhận tạo {len(new_plans)} kế hoạch mới: {labels}"

    def clean(self):
        cleaned = super().clean()
        cleaned["new_plans"] = [plan.key for plan in self.new_plans]
        return cleaned
