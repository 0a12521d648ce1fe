"""One row of the tracker sheet read into values, and the assignment it names.

A row names an assignment by its natural key (plan, section, task title, lead
agency) and, for recurring work, by the period its "Thời hạn" cell spells or
whose due date it gives. These helpers decide that, refuse duplicates, label
the periods of new recurring work and say what a new row will create.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from agencies.matching import fold
from agencies.models import Agency
from planning.deadlines import Kind as DeadlineKind
from planning.deadlines import due_label, parse_deadline, recurring_periods
from planning.models import Assignment, Plan

from .columns import (
    COMPLETED,
    COORDINATING,
    DEADLINE,
    EVIDENCE,
    LEAD,
    NOTE,
    PLAN,
    SECTION,
    STATUS,
    TITLE,
    day_text,
)


@dataclass
class ParsedRow:
    """One row's cells read into values, and what was wrong with them."""

    line: int
    plan: Plan | None = None
    section_code: str = ""
    title: str = ""
    agency: Agency | None = None
    coordination: str = ""
    due_date: date | None = None
    deadline_text: str = ""
    deadline_kind: str = ""
    status: str = Assignment.Status.NOT_STARTED
    completed_on: date | None = None
    evidence: str = ""
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    target: Assignment | None = None
    """The existing assignment this row updates (found by natural key and deadline)."""
    period: str = ""
    """A new period of recurring work: its label (`planning.deadlines.recurring_periods`)."""
    recurring: bool = False
    """The row is one period of recurring work: "Thời hạn" names the period."""

    @property
    def key(self):
        plan_key = self.plan.pk or id(self.plan)
        return (plan_key, self.section_code, self.title, self.agency.pk)


def mark_duplicates(rows: list[ParsedRow], slot, what: str) -> None:
    """A row whose slot an earlier row of the same natural key took is a duplicate."""
    first: dict = {}
    for parsed in rows:
        if DEADLINE in parsed.errors and what:
            continue
        line = first.setdefault(slot(parsed), parsed.line)
        if line != parsed.line:
            parsed.errors.setdefault(
                TITLE,
                f"trùng với dòng {line} (cùng kế hoạch, mục, nhiệm vụ, cơ quan chủ trì{what})"
                if what
                else f"trùng với dòng {line} (cùng kế hoạch, mục, nhiệm vụ và cơ quan chủ trì)",
            )


@lru_cache(maxsize=512)
def period_due_date(label: str) -> date | None:
    """The due date a period label names ("Quý II/2022" → 30/06/2022)."""
    deadline = parse_deadline(label)
    return deadline.due_date if deadline else None


def period_of(periods: list[Assignment], parsed: ParsedRow) -> Assignment | None:
    """The period a "Thời hạn" cell names: by label, else by (effective) due date;
    when two periods share that due date, the one extended to it."""
    text = fold(parsed.deadline_text)
    for assignment in periods:
        if assignment.period and fold(assignment.period) == text:
            return assignment
    same_due = [a for a in periods if a.due_date == parsed.due_date]
    same_due.sort(key=lambda a: period_due_date(a.period) == a.due_date)
    if same_due:
        return same_due[0]
    return next((a for a in periods if a.original_due_date == parsed.due_date), None)


_RECURRENCE_OF_KIND = {
    DeadlineKind.MONTH: "month",
    DeadlineKind.QUARTER: "quarter",
    DeadlineKind.HALF: "half",
    DeadlineKind.YEAR: "year",
}


def label_periods(rows: list[ParsedRow]) -> None:
    """Labels of new periods, from `planning.deadlines.recurring_periods`: a row
    written "Quý II/2022" is that quarter; rows written as dates take the first
    kind of period (quarter, half year, year, month) that ends on all their dates;
    a date that ends no period is its own label ("15/08/2022")."""

    def labels(recurrence: str, due: date) -> dict[date, str]:
        return {end: label for label, end in recurring_periods(recurrence, due.year)}

    dated = [p for p in rows if p.deadline_kind not in _RECURRENCE_OF_KIND and p.due_date]
    common = next(
        (
            rec
            for rec in ("quarter", "half", "year", "month")
            if dated and all(p.due_date in labels(rec, p.due_date) for p in dated)
        ),
        None,
    )
    for parsed in rows:
        recurrence = _RECURRENCE_OF_KIND.get(parsed.deadline_kind, common)
        label = None
        if recurrence and parsed.due_date:
            label = labels(recurrence, parsed.due_date).get(parsed.due_date)
        parsed.period = label or due_label(parsed.due_date)


def values_of(parsed: ParsedRow) -> list[tuple[str, str]]:
    """What a new row creates, column by column, as the preview shows it."""
    plan = parsed.plan
    plan_text = plan.number
    if getattr(plan, "_sheet_new", False):
        plan_text += f" (kế hoạch mới, năm {plan.year})"
    # The deadline as the cell states it ("Quý III/2022"), and the date read from it.
    if parsed.period:
        deadline = parsed.period
    elif parsed.due_date is None:
        deadline = due_label(None)
    elif parsed.deadline_kind == DeadlineKind.DATE:
        deadline = day_text(parsed.due_date)
    else:
        deadline = parsed.deadline_text
    if parsed.due_date and deadline != day_text(parsed.due_date):
        deadline += f" (hạn {day_text(parsed.due_date)})"
    values = [
        (PLAN, plan_text),
        (SECTION, parsed.section_code),
        (TITLE, parsed.title),
        (LEAD, parsed.agency.name),
        (COORDINATING, parsed.coordination),
        (DEADLINE, deadline),
        (STATUS, str(Assignment.Status(parsed.status).label)),
        (COMPLETED, day_text(parsed.completed_on)),
        (EVIDENCE, parsed.evidence),
        (NOTE, parsed.note),
    ]
    return [(column, value) for column, value in values if value]
