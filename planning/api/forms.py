from django import forms

from agencies.models import Agency

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Hệ thống sử dụng", max_length=100, help_text="Ví dụ: Hệ thống báo cáo tỉnh."
    )
    agency = forms.ModelChoiceField(
        label="Cơ quan",
        queryset=Agency.objects.active().order_by("kind", "name"),
        required=False,
        empty_label="— Không gắn cơ quan: đọc mọi kế hoạch đã ban hành —",
        help_text="Gắn với một cơ quan thì chỉ thấy nhiệm vụ của cơ quan đó, như cán bộ cơ quan.",
    )
    can_write = forms.BooleanField(
        label="Được báo cáo tiến độ và hoàn thành",
        required=False,
        help_text="Chỉ cho mã gắn với cơ quan chủ trì.",
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if ApiToken.objects.filter(name=name).exists():
            raise forms.ValidationError("Đã có mã truy cập cho hệ thống này.")
        return name

    def clean(self):
        data = super().clean()
        if data.get("can_write") and not data.get("agency"):
            self.add_error("can_write", "Mã được ghi phải gắn với một cơ quan chủ trì.")
        return data
