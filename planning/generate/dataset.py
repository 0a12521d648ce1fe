"""What a run of the generator made: its marks, how to find, fingerprint and
remove it, and the summary a run reports."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count

from agencies.models import Agency, Membership

from ..models import Assignment, AssignmentEvent, Plan
from ..querysets import Rollup

CODE_PREFIX = "G-"
GENERATED_MARKER = "[dữ liệu sinh tự động]"
DEFAULT_TODAY = date(2026, 10, 15)
BATCH_SIZE = 2000


@dataclass
class Summary:
    """What a run produced: counts, the categories as of `today`, a fingerprint."""

    today: date
    seed: int
    agencies: int = 0
    agencies_by_kind: dict[str, int] = field(default_factory=dict)
    plans: int = 0
    sections: int = 0
    tasks: int = 0
    assignments: int = 0
    events: int = 0
    rollup: Rollup = field(default_factory=Rollup)
    fingerprint: str = ""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        r = self.rollup
        kinds = ", ".join(f"{k}: {n}" for k, n in sorted(self.agencies_by_kind.items()))
        return [
            f"Cơ quan: {self.agencies} ({kinds})",
            f"Kế hoạch: {self.plans}; mục: {self.sections}; nhiệm vụ: {self.tasks}",
            f"Nhiệm vụ được giao: {self.assignments}; lịch sử: {self.events}",
            f"Tính đến {self.today:%d/%m/%Y}: {r.sentence}; đúng hạn {r.done_on_time}, "
            f"trễ hạn {r.done_late}, chưa đến hạn {r.open_not_due}, quá hạn {r.open_overdue}, "
            f"thường xuyên {r.ongoing}, gia hạn {r.extended}",
            f"Dấu vân tay: {self.fingerprint}",
            f"Thời gian: {self.seconds:.1f} giây",
        ]


def generated_assignments():
    """Every assignment a run of the generator made."""
    return Assignment.objects.filter(agency__code__startswith=CODE_PREFIX)


def fingerprint() -> str:
    """A hash of the generated rows by their natural keys (not their ids).

    Two runs with the same arguments give the same fingerprint on any database.
    """
    digest = hashlib.sha256()
    agencies = Agency.objects.filter(code__startswith=CODE_PREFIX).order_by("code")
    for row in agencies.values_list("code", "name", "kind", "parent__code"):
        digest.update(repr(row).encode())
    rows = generated_assignments().order_by(
        "plan__year", "plan__number", "task__order", "agency__code", "period"
    )
    for row in rows.values_list(
        "plan__year",
        "plan__number",
        "task__order",
        "task__section__code",
        "agency__code",
        "period",
        "original_due_date",
        "due_date",
        "status",
        "completed_on",
        "last_progress_at",
    ).iterator(chunk_size=5000):
        digest.update(repr(row).encode())
    events = AssignmentEvent.objects.filter(assignment__agency__code__startswith=CODE_PREFIX)
    for row in events.values_list("kind").annotate(n=Count("pk")).order_by("kind"):
        digest.update(repr(row).encode())
    return digest.hexdigest()[:16]


@transaction.atomic
def remove_generated() -> int:
    """Delete what earlier runs made (plans marked, G- agencies, their members)."""
    # The history is most of the rows and nothing points at it: one DELETE, no collecting.
    events = AssignmentEvent.objects.filter(assignment__agency__code__startswith=CODE_PREFIX)
    events._raw_delete(events.db)
    deleted, _ = Plan.objects.filter(source_text__startswith=GENERATED_MARKER).delete()
    # Assignments of generated agencies under other plans would block the delete.
    generated_assignments().delete()
    agencies = Agency.objects.filter(code__startswith=CODE_PREFIX)
    member_users = Membership.objects.filter(agency__in=agencies).values_list("user_id", flat=True)
    User.objects.filter(pk__in=list(member_users)).delete()
    agencies.update(parent=None)
    count, _ = agencies.delete()
    return deleted + count


@contextlib.contextmanager
def _historical_timestamps() -> Iterator[None]:
    """Let bulk_create keep the `created_at` we set (plan issue day, completion day).

    `auto_now_add` would stamp every row with the moment of generation, so the
    history would all happen today. Switched off only for the generator's own
    bulk inserts, in the generator's own process.
    """
    fields = [
        Assignment._meta.get_field("created_at"),
        AssignmentEvent._meta.get_field("created_at"),
    ]
    saved = [f.auto_now_add for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in zip(fields, saved, strict=True):
            f.auto_now_add = value
