"""Forms of plan editing: sections, tasks, lead and coordinating agencies, due phrases.

A due phrase is read by `editing.read_due_phrase` (the parser's reading) while
the form validates, and saved only once the date it resolves to was shown:
the page carries the phrase it last showed in `previewed`, and a phrase typed
or changed since is shown again instead of saved (`DuePreviewMixin.confirmed`).
"""

from __future__ import annotations

from django import forms

from agencies.models import Agency

from ..models import Plan, Section, Task
from . import editing
from .rules import WorkflowError


def _agency_choices(**kwargs) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Agency.objects.active().order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        **kwargs,
    )


class DuePreviewMixin:
    """`due_text` resolved in the plan's year; `due` holds the reading once valid."""

    plan: Plan
    due: editing.DuePhrase | None = None

    def clean_due_text(self):
        try:
            self.due = editing.read_due_phrase(self.cleaned_data["due_text"], year=self.plan.year)
        except WorkflowError as error:
            raise forms.ValidationError(error.message) from None
        return self.due.text

    @property
    def confirmed(self) -> bool:
        """Valid, and the phrase is the one whose date the page showed."""
        return self.is_valid() and self.data.get("previewed") == self.due.text


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["code", "title"]


class _SectionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class TaskFieldsForm(forms.Form):
    title = forms.CharField(
        label="Nhiệm vụ", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    section = _SectionChoice(
        label="Thuộc mục", queryset=Section.objects.none(), required=False, empty_label="— Không —"
    )
    deliverable = forms.CharField(label="Sản phẩm", max_length=500, required=False)
    coordinating_agencies = _agency_choices(label="Cơ quan phối hợp", required=False)
    coordination_text = forms.CharField(
        label="Phối hợp (nguyên văn)",
        max_length=2000,
        required=False,
        help_text="Như văn bản ghi, kể cả tên chưa có trong danh mục.",
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["section"].queryset = plan.sections.order_by("order", "code")


class TaskAddForm(DuePreviewMixin, TaskFieldsForm):
    due_text = forms.CharField(
        label="Thời hạn (như văn bản ghi)",
        max_length=255,
        help_text=f"Ví dụ {editing.DUE_EXAMPLES}. Hạn được đọc như khi nhập kế hoạch.",
    )
    lead_agencies = _agency_choices(
        label="Cơ quan chủ trì",
        help_text="Mỗi cơ quan chủ trì được giao một nhiệm vụ để theo dõi riêng.",
        error_messages={"required": "Hãy chọn ít nhất một cơ quan chủ trì."},
    )

    field_order = ["section", "title", "due_text", "lead_agencies", "deliverable"]


class TaskEditForm(TaskFieldsForm):
    @classmethod
    def for_task(cls, task: Task, data=None) -> TaskEditForm:
        initial = {
            "title": task.title,
            "section": task.section_id,
            "deliverable": task.deliverable,
            "coordination_text": task.coordination_text,
            "coordinating_agencies": [a.pk for a in task.coordinating_agencies.all()],
        }
        return cls(data, plan=task.plan, initial=initial)


class TaskDueForm(DuePreviewMixin, forms.Form):
    due_text = TaskAddForm.base_fields["due_text"]
    reason = forms.CharField(label="Căn cứ, lý do", max_length=2000, required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan


class LeadAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Thêm cơ quan chủ trì", queryset=Agency.objects.active().order_by("name")
    )


class TaskRemoveForm(forms.Form):
    reason = forms.CharField(
        label="Lý do xóa", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = needs_reason
        self.fields["reason"].error_messages["required"] = (
            "Nhiệm vụ đã có báo cáo hoặc thay đổi: hãy ghi lý do xóa."
        )
