"""The report filters: plan, lead agency, section, period of the due date, as-of
date, and a reporting period of Nghị định 09/2019 with the one it is compared
with. A reporting period sets the as-of date to its cut-off (`periods.py`).

Choices are limited to what the user may see (plans via `visible_plans`, an
officer's own agency only), so a crafted URL asking for someone else's agency
or a hidden plan is an invalid form, which the download views answer with 404.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from agencies import access
from agencies.models import Agency
from planning.access import (
    cached_default_plan,
    cached_visible_plan,
    visible_plans,
)
from planning.models import NEWEST_PLANS_FIRST

from .periods import parse_period, periods_of
from .statistics import ReportFilters, period_range

DATE_INPUTS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class VisiblePlanField(forms.ModelChoiceField):
    """A plan the user may see, looked up as one cached row
    (`cached_visible_plan`) instead of a query on every report page; the
    queryset still lists the choices."""

    user = None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        plan = cached_visible_plan(self.user, value)
        if plan is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return plan


class ReportFilterForm(forms.Form):
    ke_hoach = VisiblePlanField(
        label="Kế hoạch", queryset=None, required=False, empty_label="Tất cả kế hoạch"
    )
    co_quan = forms.ModelChoiceField(
        label="Cơ quan chủ trì",
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label="Tất cả cơ quan",
    )
    muc = forms.CharField(label="Mục", required=False, max_length=30)
    ky = forms.CharField(label="Kỳ (thời hạn)", required=False, max_length=10)
    ky_bao_cao = forms.CharField(label="Kỳ báo cáo", required=False, max_length=10)
    so_sanh = forms.CharField(label="So sánh với", required=False, max_length=10)
    ngay = forms.DateField(
        label="Tính đến ngày",
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10},
        ),
        error_messages={"invalid": "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 30/09/2022."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["ke_hoach"].queryset = visible_plans(user).order_by(*NEWEST_PLANS_FIRST)
        self.fields["ke_hoach"].user = user
        if access.sees_everything(user):
            agencies = Agency.objects.all()
        else:
            own = access.agency_of(user)
            agencies = Agency.objects.filter(pk=own.pk if own else None)
        self.fields["co_quan"].queryset = agencies.order_by("name")

    def clean_ky(self):
        value = self.cleaned_data["ky"].strip().lower()
        if value and period_range(value) is None:
            raise forms.ValidationError("Kỳ không hợp lệ (tháng “2022-07” hoặc quý “2022-q3”).")
        return value

    def _reporting_period(self, name: str):
        value = self.cleaned_data[name].strip()
        if not value:
            return None
        period = parse_period(value)
        if period is None:
            raise forms.ValidationError(
                "Kỳ báo cáo không hợp lệ (ví dụ “2022-08”, “2022-Q3”, “2022-H1”, "
                "“2022-9M”, “2022”)."
            )
        return period

    def clean_ky_bao_cao(self):
        return self._reporting_period("ky_bao_cao")

    def clean_so_sanh(self):
        return self._reporting_period("so_sanh")

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        plan = data.get("ke_hoach")
        scope = {
            "plan": plan,
            "agency": data.get("co_quan"),
            "section": (data.get("muc") or "").strip() if plan else "",
            "period": data.get("ky") or "",
        }
        if reporting := data.get("ky_bao_cao"):
            return ReportFilters.for_period(reporting, compare=data.get("so_sanh"), **scope)
        return ReportFilters(as_of=data.get("ngay") or timezone.localdate(), **scope)


def reporting_choices(year: int) -> list[tuple[str, str]]:
    """The reporting periods of `year` and of the year before, as (code, label)."""
    return [(p.code, p.label) for y in (year, year - 1) for p in periods_of(y)]


def bind(query, *, user) -> ReportFilterForm:
    """The form for a GET query; without a `ke_hoach` key at all, the plan the
    user most likely means (`planning.access.default_plans`) is selected; an
    explicit empty value means every plan."""
    data = query.copy()
    if "ke_hoach" not in data:
        default = cached_default_plan(user)
        if default is not None:
            data["ke_hoach"] = str(default.pk)
    return ReportFilterForm(data, user=user)
