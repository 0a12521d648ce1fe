"""Writes that touch several rows: creating a plan with its tasks and assignments.

Keyword-only, typed and atomic, so the demo loader, the plan parser's import
and the spreadsheet import all build plans the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.db import transaction

from agencies.audit import record_bulk, signed
from agencies.models import Agency

from .models import Assignment, AssignmentEvent, Plan, Section, Task
from .signals import announce


@dataclass
class TaskSpec:
    """A task as read from a document or a sheet, before it is saved."""

    title: str
    lead_agencies: list[Agency]
    section_code: str = ""
    section_title: str = ""
    due_text: str = ""
    due_date: date | None = None
    deliverable: str = ""
    coordinating_agencies: list[Agency] = field(default_factory=list)
    coordination_text: str = ""
    source_line: int | None = None
    periods: list[tuple[str, date]] = field(default_factory=list)
    """Recurring work: one assignment per (period label, due date)."""


@signed
@transaction.atomic
def add_tasks(*, plan: Plan, specs: Iterable[TaskSpec], actor: User | None = None) -> list[Task]:
    """Save tasks under `plan`, one assignment per lead agency (and per period).

    1. sections are created on first use, in the order they appear;
    2. tasks are created in order; coordinating agencies attached;
    3. assignments are bulk-created with original and current due date equal,
       and a "created" event each, so the history starts at the beginning.
    """
    sections = {s.code: s for s in plan.sections.all()}
    next_order = max((s.order for s in sections.values()), default=0)
    task_order = plan.tasks.count()
    tasks: list[Task] = []
    assignments: list[Assignment] = []
    for spec in specs:
        section = None
        if spec.section_code:
            section = sections.get(spec.section_code)
            if section is None:
                next_order += 1
                section = Section.objects.create(
                    plan=plan,
                    code=spec.section_code,
                    title=spec.section_title[:1000],
                    order=next_order,
                )
                sections[spec.section_code] = section
        task_order += 1
        task = Task.objects.create(
            plan=plan,
            section=section,
            title=spec.title,
            deliverable=spec.deliverable[:500],
            coordination_text=spec.coordination_text,
            due_text=spec.due_text[:255],
            due_date=spec.due_date,
            order=task_order,
            source_line=spec.source_line,
        )
        if spec.coordinating_agencies:
            task.coordinating_agencies.set(spec.coordinating_agencies)
        tasks.append(task)
        periods = spec.periods or [("", spec.due_date)]
        seen: set[int] = set()
        for agency in spec.lead_agencies:
            if agency.pk in seen:
                continue
            seen.add(agency.pk)
            for label, due in periods:
                assignments.append(
                    Assignment(
                        plan=plan,
                        task=task,
                        agency=agency,
                        period=label,
                        original_due_date=due,
                        due_date=due,
                    )
                )
    created = Assignment.objects.bulk_create(assignments)
    record_bulk(created, action=LogEntry.Action.CREATE)  # bulk_create sends no signal
    announce(
        AssignmentEvent.objects.bulk_create(
            AssignmentEvent(
                assignment=a, actor=actor, kind=AssignmentEvent.Kind.CREATED, new_value=a.due_label
            )
            for a in created
        )
    )
    return tasks
