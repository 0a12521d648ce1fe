"""Coordinators' pages for what the reports are scored and counted by:

- "Cách chấm điểm": the scoring rules of agencies' completion (`ScoringRule`).
  A rule is never changed in place: a new version is a new row with a later
  "áp dụng từ ngày", so a report as of an earlier date keeps its scores;
- "Ngày nghỉ, làm bù": the days the province declares (`DeclaredDay`) on top of
  the national calendar (planning/workdays.py): compensatory days off and
  working Saturdays, which move working-day deadlines and reminders.

Coordinators only: everyone else gets a 404, as for the reminder log.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from agencies import access

from ..models import DeclaredDay, Plan, ScoringRule
from ..workflow.forms import DateInput

PAGE_SIZE = 50


class ScoringRuleForm(forms.ModelForm):
    class Meta:
        model = ScoringRule
        fields = ["plan", "year", "measure", "bands", "max_points", "valid_from"]
        widgets = {"valid_from": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.exclude(status=Plan.Status.WITHDRAWN).order_by(
            "-year", "number"
        )
        self.fields["plan"].empty_label = "— Mọi kế hoạch của năm —"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("plan") and not cleaned.get("year"):
            raise forms.ValidationError(
                "Chọn một kế hoạch, hoặc ghi năm để áp dụng cho mọi kế hoạch."
            )
        return cleaned

    def validate_constraints(self, exclude=None):
        pass  # `clean` says it in Vietnamese; the database constraint still holds


class DeclaredDayForm(forms.ModelForm):
    class Meta:
        model = DeclaredDay
        fields = ["day", "is_working_day", "note"]
        widgets = {"day": DateInput()}
        error_messages = {"day": {"unique": "Ngày này đã được khai báo."}}


def _coordinator_only(request) -> None:
    if not access.is_coordinator(request.user):
        raise Http404


@login_required
def scoring_rules(request):
    _coordinator_only(request)
    form = ScoringRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rule = form.save()
        messages.success(
            request, f"Đã thêm cách chấm điểm: {rule}. Các cách chấm trước vẫn được giữ."
        )
        return redirect("reports:scoring_rules")
    rules = ScoringRule.objects.select_related("plan").order_by("-valid_from", "-pk")
    page = Paginator(rules, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/scoring_rules.html", {"form": form, "page": page})


@login_required
def declared_days(request):
    _coordinator_only(request)
    form = DeclaredDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = form.save()
        messages.success(request, f"Đã khai báo: {day}.")
        return redirect("reports:declared_days")
    days = DeclaredDay.objects.order_by("-day")
    page = Paginator(days, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/declared_days.html", {"form": form, "page": page})


@login_required
@require_POST
def declared_day_remove(request, pk):
    _coordinator_only(request)
    day = get_object_or_404(DeclaredDay, pk=pk)
    day.delete()
    messages.success(request, f"Đã bỏ khai báo: {day}.")
    return redirect("reports:declared_days")
