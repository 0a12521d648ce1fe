"""The generator's core: plans and their sections, tasks and assignments, every
assignment's outcome as of the reference date, and the history that led there."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User

from agencies.models import Agency

from ..deadlines import due_label, month_end, quarter_end, quarter_label
from ..models import Assignment, AssignmentEvent, Plan, Section, Task
from .dataset import BATCH_SIZE, GENERATED_MARKER
from .vocabulary import (
    AREAS,
    DELIVERABLES,
    PLAN_TITLES,
    PROGRESS_NOTES,
    TASK_OBJECTS,
    TASK_VERBS,
)

# How often open work is in each state.
OPEN_STATUSES = [
    (Assignment.Status.NOT_STARTED, 35),
    (Assignment.Status.IN_PROGRESS, 55),
    (Assignment.Status.SUBMITTED, 10),
]


class Builder:
    """Plans, sections, tasks and assignments with their outcomes and history,
    drawn from one seeded random generator as of `today`."""

    def __init__(self, *, seed: int, today: date, progress: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.seed = seed
        self.today = today
        self.progress = progress
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.coordinator: User | None = None
        self.officer_of: dict[int, User] = {}

    def at(self, day: date, hour: int = 8) -> datetime:
        minute = self.rng.randrange(60)
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    # Plans, sections, tasks, assignments ---------------------------------------

    def plans(self, n: int) -> list[Plan]:
        rng, today = self.rng, self.today
        years = [today.year - 2, today.year - 1, today.year]
        taken = set(Plan.objects.values_list("number", "year"))
        plans: list[Plan] = []
        for i in range(n):
            year = years[i % 3]
            number = rng.randrange(1, 400)
            while (f"{number}/KH-UBND", year) in taken:
                number = rng.randrange(1, 1000)
            taken.add((f"{number}/KH-UBND", year))
            issued = date(year, 1, 5) + timedelta(days=rng.randrange(60))
            plans.append(
                Plan(
                    number=f"{number}/KH-UBND",
                    title=rng.choice(PLAN_TITLES).format(y=year),
                    issuing_body="Ủy ban nhân dân tỉnh",
                    place="Tỉnh thử nghiệm",
                    issued_on=issued,
                    signer=rng.choice(["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu"]),
                    year=year,
                    status=Plan.Status.CLOSED if year < today.year - 1 else Plan.Status.ACTIVE,
                    source_text=f"{GENERATED_MARKER} seed={self.seed}",
                )
            )
        Plan.objects.bulk_create(plans, batch_size=BATCH_SIZE)
        self.progress(f"{len(plans)} kế hoạch")
        return plans

    def due_for(self, plan: Plan) -> tuple[date | None, str]:
        rng = self.rng
        r = rng.random()
        if r < 0.07:
            return None, "Thường xuyên"
        year = plan.year + (1 if rng.random() < 0.05 else 0)
        if r < 0.25:
            q = rng.randint(1, 4) if year > plan.year else rng.randint(2, 4)
            return quarter_end(year, q), quarter_label(year, q)
        month = rng.randint(1, 6) if year > plan.year else rng.randint(3, 12)
        if r < 0.32:
            day = date(year, month, 15)
            return day, f"trước ngày {day:%d/%m/%Y}"
        due = month_end(year, month)
        return due, f"tháng {month}/{year}"

    def lead_agencies(self, agencies: dict[str, list[Agency]]) -> list[Agency]:
        rng = self.rng
        r = rng.random()
        heads = agencies["department"] + agencies["other"]
        if r < 0.45:
            return [rng.choice(heads)]
        if r < 0.60:
            return rng.sample(heads, min(len(heads), rng.randint(2, 4)))
        if r < 0.78:
            districts = agencies["district"]
            return rng.sample(districts, max(1, int(len(districts) * rng.uniform(0.6, 1.0))))
        communes = agencies["commune"]
        return rng.sample(communes, min(len(communes), rng.randint(5, 60)))

    def outcome(self, a: Assignment, issued: date) -> None:
        """Status, completion and extension of one assignment, as of `today`."""
        rng, today = self.rng, self.today
        due = a.due_date
        if due is not None and rng.random() < 0.08:
            months = rng.randint(1, 3)
            m = due.month - 1 + months
            a.due_date = month_end(due.year + m // 12, m % 12 + 1)
            a.extended_on = self.between(issued, min(due, today))
        effective = a.due_date
        r = rng.random()
        if effective is None:
            if r < 0.12:
                self.finish(a, self.between(issued + timedelta(days=30), today))
            else:
                a.status = rng.choice(
                    [Assignment.Status.IN_PROGRESS, Assignment.Status.NOT_STARTED]
                )
        elif r < 0.02:
            a.status = Assignment.Status.WITHDRAWN
        elif effective < today:
            if r < 0.62:
                early = self.between(max(issued, effective - timedelta(days=90)), effective)
                self.finish(a, early)
            elif r < 0.80:
                late = min(today, effective + timedelta(days=rng.randint(1, 120)))
                self.finish(a, late)
            else:
                a.status = self.open_status()
        elif r < 0.17 and issued < today:
            self.finish(a, self.between(issued, min(today, effective)))
        else:
            a.status = self.open_status()
        # Most work in progress has a progress report; half of the finished work had one.
        reported = a.status in (Assignment.Status.IN_PROGRESS, Assignment.Status.SUBMITTED) or (
            a.status == Assignment.Status.DONE and rng.random() < 0.5
        )
        if reported and rng.random() < 0.7:
            last = a.completed_on or today
            a.last_progress_at = self.at(self.between(issued, last), hour=rng.randint(8, 16))

    def open_status(self) -> str:
        statuses, weights = zip(*OPEN_STATUSES, strict=True)
        return self.rng.choices(statuses, weights)[0]

    def finish(self, a: Assignment, day: date) -> None:
        a.status = Assignment.Status.DONE
        a.completed_on = min(day, self.today)

    def build(self, *, agencies: list[Agency], plans: list[Plan], total: int) -> tuple[int, ...]:
        rng = self.rng
        by_kind: dict[str, list[Agency]] = {k: [] for k in Agency.Kind.values}
        for agency in agencies:
            by_kind[agency.kind].append(agency)
        heads = by_kind["department"] + by_kind["other"]
        weights = [rng.uniform(0.5, 1.5) for _ in plans]
        scale = total / sum(weights)
        quotas = [int(w * scale) for w in weights]
        quotas[-1] += total - sum(quotas)

        sections: list[Section] = []
        plan_sections: list[list[Section]] = []
        for plan in plans:
            own = []
            for i, area in enumerate(rng.sample(AREAS, rng.randint(4, len(AREAS))), start=1):
                for j in range(1, rng.randint(2, 4) + 1):
                    own.append(
                        Section(
                            plan=plan, code=f"{i}.{j}", title=f"{area} ({j})", order=len(own) + 1
                        )
                    )
            sections.extend(own)
            plan_sections.append(own)
        Section.objects.bulk_create(sections, batch_size=BATCH_SIZE)

        tasks: list[Task] = []
        # (task index, agencies, [(period, due)]) kept until tasks have ids
        pending: list[tuple[int, list[Agency], list[tuple[str, date | None]]]] = []
        coordination: list[tuple[int, list[Agency]]] = []
        for plan, quota, own in zip(plans, quotas, plan_sections, strict=True):
            made, order = 0, 0
            while made < quota:
                order += 1
                due, due_text = self.due_for(plan)
                periods: list[tuple[str, date | None]] = [("", due)]
                if due is not None and rng.random() < 0.06:
                    periods = [
                        (quarter_label(plan.year, q), quarter_end(plan.year, q))
                        for q in range(1, 5)
                    ]
                    due, due_text = periods[-1][1], "Hằng quý"
                leads = self.lead_agencies(by_kind)
                room = quota - made
                if len(leads) * len(periods) > room:
                    periods = periods[: max(1, min(len(periods), room))]
                    leads = leads[: max(1, room // len(periods))]
                made += len(leads) * len(periods)
                partners = (
                    rng.sample(heads, min(len(heads), rng.randint(1, 3)))
                    if rng.random() < 0.3
                    else []
                )
                task = Task(
                    plan=plan,
                    section=rng.choice(own),
                    title=f"{rng.choice(TASK_VERBS)} {rng.choice(TASK_OBJECTS)}",
                    deliverable=rng.choice(DELIVERABLES),
                    coordination_text=", ".join(p.name for p in partners),
                    due_text=due_text,
                    due_date=due,
                    order=order,
                )
                tasks.append(task)
                pending.append((len(tasks) - 1, leads, periods))
                if partners:
                    coordination.append((len(tasks) - 1, partners))
        Task.objects.bulk_create(tasks, batch_size=BATCH_SIZE)
        Through = Task.coordinating_agencies.through
        Through.objects.bulk_create(
            [
                Through(task_id=tasks[i].pk, agency_id=p.pk)
                for i, partners in coordination
                for p in partners
            ],
            batch_size=BATCH_SIZE,
        )
        self.progress(f"{len(sections)} mục, {len(tasks)} nhiệm vụ")

        assignments: list[Assignment] = []
        for index, leads, periods in pending:
            task = tasks[index]
            issued = task.plan.issued_on
            for agency in leads:
                for period, due in periods:
                    a = Assignment(
                        plan=task.plan,
                        task=task,
                        agency=agency,
                        period=period,
                        original_due_date=due,
                        due_date=due,
                        created_at=self.at(issued),
                    )
                    a.extended_on = None
                    self.outcome(a, issued)
                    assignments.append(a)
        created = 0
        for start in range(0, len(assignments), BATCH_SIZE * 5):
            chunk = assignments[start : start + BATCH_SIZE * 5]
            Assignment.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
            created += len(chunk)
            self.progress(f"{created}/{len(assignments)} nhiệm vụ được giao")

        events = 0
        batch: list[AssignmentEvent] = []
        for a in assignments:
            batch.extend(self.events(a))
            if len(batch) >= BATCH_SIZE * 5:
                AssignmentEvent.objects.bulk_create(batch, batch_size=BATCH_SIZE)
                events += len(batch)
                batch = []
        AssignmentEvent.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        events += len(batch)
        self.progress(f"{events} dòng lịch sử")
        return len(sections), len(tasks), len(assignments), events

    def events(self, a: Assignment) -> list[AssignmentEvent]:
        Kind = AssignmentEvent.Kind
        rows = [
            AssignmentEvent(
                assignment=a,
                kind=Kind.CREATED,
                actor=self.coordinator,
                new_value=due_label(a.original_due_date),
                created_at=a.created_at,
            )
        ]
        if a.extended_on is not None:
            rows.append(
                AssignmentEvent(
                    assignment=a,
                    kind=Kind.EXTENSION_APPROVED,
                    actor=self.coordinator,
                    field="due_date",
                    old_value=due_label(a.original_due_date),
                    new_value=due_label(a.due_date),
                    note="Chấp thuận gia hạn theo đề nghị của cơ quan chủ trì.",
                    created_at=self.at(a.extended_on, hour=10),
                )
            )
        if a.last_progress_at is not None:
            rows.append(
                AssignmentEvent(
                    assignment=a,
                    kind=Kind.PROGRESS,
                    actor=self.officer_of[a.agency_id],
                    note=self.rng.choice(PROGRESS_NOTES),
                    created_at=a.last_progress_at,
                )
            )
        if a.status == Assignment.Status.DONE:
            rows.append(
                AssignmentEvent(
                    assignment=a,
                    kind=Kind.ACCEPTED,
                    actor=self.coordinator,
                    field="status",
                    old_value=Assignment.Status.SUBMITTED.label,
                    new_value=Assignment.Status.DONE.label,
                    created_at=self.at(a.completed_on, hour=16),
                )
            )
        elif a.status == Assignment.Status.WITHDRAWN:
            rows.append(
                AssignmentEvent(
                    assignment=a,
                    kind=Kind.WITHDRAWN,
                    actor=self.coordinator,
                    field="status",
                    new_value=Assignment.Status.WITHDRAWN.label,
                    created_at=self.at(min(self.today, a.original_due_date), hour=9),
                )
            )
        return rows
