"""The audit trail as coordinators read it: "Nhật ký thay đổi", filtered, and as CSV.

The entries are django-auditlog's (agencies/audit.py says what writes them and
who signs them). Here they are filtered (`TrailFilter`) and turned into rows a
person can read (`describe`): the model's Vietnamese name, the field's label,
a choice's label instead of its code, a date as dd/mm/yyyy, and a related row
by its name instead of its id. The names are looked up for a whole page of
entries at once, one query per related model, so a page costs the same number
of queries however many entries it holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, Model, QuerySet
from django.utils import timezone

from agencies.audit import SYSTEM

from ..workflow.forms import DateInput

ACTIONS = {
    LogEntry.Action.CREATE: "Tạo mới",
    LogEntry.Action.UPDATE: "Sửa",
    LogEntry.Action.DELETE: "Xóa",
}
NOBODY = "he-thong"  # the actor filter's value for entries with no actor


def audited_models() -> list[type[Model]]:
    return sorted(auditlog.get_models(), key=lambda model: str(model._meta.verbose_name))


def model_choices() -> list[tuple[str, str]]:
    return [
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize())
        for model in audited_models()
    ]


class TrailFilter(forms.Form):
    """The page's filters: what kind of row, who, from and to which day."""

    doi_tuong = forms.ChoiceField(label="Đối tượng", required=False)
    nguoi = forms.CharField(
        label="Người thực hiện",
        required=False,
        help_text=f"Tên đăng nhập; “{NOBODY}” cho các thay đổi do hệ thống thực hiện.",
    )
    tu = forms.DateField(label="Từ ngày", required=False, widget=DateInput())
    den = forms.DateField(label="Đến ngày", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doi_tuong"].choices = [("", "Tất cả"), *model_choices()]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("tu"), cleaned.get("den")
        if since and until and since > until:
            raise forms.ValidationError("“Từ ngày” phải trước hoặc bằng “Đến ngày”.")
        return cleaned

    def entries(self) -> QuerySet[LogEntry]:
        """The matching entries, newest first (an invalid filter matches nothing)."""
        rows = LogEntry.objects.select_related("actor", "content_type").order_by(
            "-timestamp", "-pk"
        )
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if data["doi_tuong"]:
            app_label, model = data["doi_tuong"].split(".")
            rows = rows.filter(content_type__app_label=app_label, content_type__model=model)
        who = data["nguoi"].strip()
        if who == NOBODY:
            rows = rows.filter(actor__isnull=True)
        elif who:
            rows = rows.filter(actor__username__iexact=who)
        zone = timezone.get_current_timezone()
        if data["tu"]:
            rows = rows.filter(timestamp__gte=datetime.combine(data["tu"], time(), zone))
        if data["den"]:
            end = datetime.combine(data["den"] + timedelta(days=1), time(), zone)
            rows = rows.filter(timestamp__lt=end)
        return rows


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Row:
    entry: LogEntry
    when: datetime
    actor: str
    action: str
    kind: str
    record: str
    changes: list[Change] = field(default_factory=list)


def _actor_name(entry: LogEntry) -> str:
    if entry.actor is not None:
        name = entry.actor.get_full_name()
        return f"{name} ({entry.actor.username})" if name else entry.actor.username
    if entry.actor_email:  # the account was deleted since
        return entry.actor_email
    return SYSTEM


def _related_names(entries: list[LogEntry]) -> dict[tuple[type[Model], str], str]:
    """{(related model, id as text): its name} for every foreign key in `entries`,
    one query per related model."""
    wanted: dict[type[Model], set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            fk = _foreign_key(model, name)
            if fk is not None and isinstance(values, list):
                wanted[fk.related_model] |= {str(v) for v in values if _is_id(v)}
    names = {}
    for related, ids in wanted.items():
        for pk, obj in related._base_manager.in_bulk([int(i) for i in ids]).items():
            names[related, str(pk)] = str(obj)
    return names


def _foreign_key(model, name: str) -> ForeignKey | None:
    found = _field(model, name)
    return found if isinstance(found, ForeignKey) else None


def _is_id(value) -> bool:
    return str(value).isdigit()


def _field(model, name: str):
    """The model's concrete field of that name; None for a field since removed, or
    a reverse relation (auditlog lists those in a creation, with no value)."""
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if getattr(found, "concrete", False) else None


def _shown(model, name: str, value, names) -> str:
    """One old or new value as a person reads it."""
    if value is None or value in ("None", ""):
        return "—"
    model_field = _field(model, name)
    if model_field is None:
        return str(value)
    if isinstance(model_field, ForeignKey):
        related = names.get((model_field.related_model, str(value)))
        return related or f"#{value} (đã xóa)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.get_internal_type() == "BooleanField":
        return {"True": "có", "False": "không"}.get(str(value), str(value))
    if model_field.get_internal_type() == "DateField":
        try:
            return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    if set(str(value)) == {"*"}:
        return "(ẩn)"  # a masked password
    return str(value)


def _label(model, name: str) -> str:
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(found, "verbose_name", name)).capitalize()


def _changes(entry: LogEntry, names) -> list[Change]:
    model = entry.content_type.model_class()
    changes = []
    for name, values in (entry.changes or {}).items():
        if isinstance(values, dict) and values.get("type") == "m2m":
            verb = "thêm" if values.get("operation") == "add" else "bỏ"
            listed = ", ".join(values.get("objects", []))
            old, new = ("", f"{verb}: {listed}") if verb == "thêm" else (f"{verb}: {listed}", "")
            changes.append(Change(_label(model, name), old, new))
            continue
        if _field(model, name) is None:
            continue  # a reverse relation, listed by auditlog in a creation
        old, new = values
        changes.append(
            Change(
                _label(model, name),
                _shown(model, name, old, names),
                _shown(model, name, new, names),
            )
        )
    return sorted(changes, key=lambda change: change.field)


def describe(entries) -> list[Row]:
    """Readable rows for a page of entries (from `TrailFilter.entries()`)."""
    entries = list(entries)
    names = _related_names(entries)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        rows.append(
            Row(
                entry=entry,
                when=timezone.localtime(entry.timestamp),
                actor=_actor_name(entry),
                action=ACTIONS.get(entry.action, str(entry.get_action_display())),
                kind=str(model._meta.verbose_name).capitalize() if model else "",
                record=entry.object_repr,
                changes=_changes(entry, names) if model else [],
            )
        )
    return rows


CSV_HEADERS = [
    "Thời điểm",
    "Người thực hiện",
    "Thao tác",
    "Đối tượng",
    "Bản ghi",
    "Mã bản ghi",
    "Nội dung",
    "Giá trị cũ",
    "Giá trị mới",
    "Địa chỉ IP",
]
CSV_CHUNK = 500


def csv_rows(entries: QuerySet[LogEntry]):
    """One line per changed field (an entry with no field change: one line),
    read `CSV_CHUNK` entries at a time."""
    start = 0
    while True:
        chunk = describe(entries[start : start + CSV_CHUNK])
        if not chunk:
            return
        for row in chunk:
            head = [
                row.when.strftime("%d/%m/%Y %H:%M:%S"),
                row.actor,
                row.action,
                row.kind,
                row.record,
                row.entry.object_pk,
            ]
            address = row.entry.remote_addr or ""
            for change in row.changes or [Change("", "", "")]:
                yield [*head, change.field, change.old, change.new, address]
        start += CSV_CHUNK
