"""Which criteria a task serves: proposed from the section it sits in, confirmed by a coordinator.

The proposal rule, so a coordinator can predict and check it:
1. the section's area: the area (or SIPAS group) whose name shares the most
   word pairs with the section's title ("Cải cách thủ tục hành chính" ~ area 3
   "CẢI CÁCH THỦ TỤC HÀNH CHÍNH, …"), at least two, generic pairs ("cải
   cách", "hành chính", "chỉ số") not counted; a title naming a whole index
   ("Chỉ số Cải cách hành chính (PAR INDEX)", "SIPAS") covers every area of it;
2. within that area, the criteria (not the groups that only add them up) led
   by an agency the task is assigned to;
3. each proposal keeps its reason ("mục 1.1 «…» thuộc PAR INDEX; Sở Nội vụ
   chủ trì"), shown beside it; nothing counts until a coordinator confirms it.
Proposing again never undoes a coordinator's decision: confirmed links stay,
and only unconfirmed proposals are replaced.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from django.db import transaction
from django.db.models import Case, Value, When

from agencies.matching import fold
from planning.models import Assignment, Plan, Task
from planning.querysets import q_open, q_overdue

from .models import Indicator, IndicatorSet, IndicatorTask

_GENERIC_PAIRS = {
    ("cai", "cach"),
    ("hanh", "chinh"),
    ("chi", "so"),
    ("noi", "dung"),
    ("cong", "tac"),
    ("thuc", "hien"),
    ("nha", "nuoc"),
    ("co", "quan"),
}
_WHOLE_SET = {
    IndicatorSet.Kind.PAR_INDEX: ("par index", "chi so cai cach hanh chinh"),
    IndicatorSet.Kind.SIPAS: ("sipas", "chi so hai long"),
}


def _pairs(text: str) -> set[tuple[str, str]]:
    words = "".join(c if c.isalnum() else " " for c in fold(text)).split()
    return {p for p in pairwise(words) if p not in _GENERIC_PAIRS}


@dataclass(frozen=True)
class Area:
    indicator_set: IndicatorSet
    root: Indicator | None
    """The area (level 1) the section matches; None: the whole set."""

    @property
    def label(self) -> str:
        if self.root is None:
            return f"thuộc {self.indicator_set.title}"
        return f"ứng với lĩnh vực {self.root.code} «{self.root.name[:60]}»"


def section_area(title: str, areas: list[Indicator]) -> Area | None:
    """The area a section's title names (rule 1), or None."""
    folded = fold(title)
    for kind, words in _WHOLE_SET.items():
        if any(w in folded for w in words):
            sets = {a.indicator_set for a in areas if a.indicator_set.kind == kind}
            if sets:
                return Area(sets.pop(), None)
    pairs = _pairs(title)
    scored = sorted(((len(pairs & _pairs(a.name)), a) for a in areas), key=lambda s: -s[0])
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return Area(scored[0][1].indicator_set, scored[0][1])


@dataclass(frozen=True)
class Proposal:
    task: Task
    indicator: Indicator
    reason: str


def proposals(plan: Plan) -> list[Proposal]:
    """Every link the rule proposes for the plan's tasks (three queries)."""
    indicators = list(
        Indicator.objects.filter(indicator_set__plan=plan, is_total=False)
        .select_related("indicator_set", "lead")
        .order_by("indicator_set__order", "order")
    )
    areas = [i for i in indicators if i.level == 1]
    parents = {i.parent_id for i in indicators}
    by_pk = {i.pk: i for i in indicators}
    under: dict[int, list[Indicator]] = defaultdict(list)  # by area
    by_set: dict[int, list[Indicator]] = defaultdict(list)
    for i in indicators:
        if i.pk in parents or i.lead_id is None:
            continue  # a group that only adds up its parts, or nobody to serve it
        root = i
        while root.parent_id in by_pk:
            root = by_pk[root.parent_id]
        under[root.pk].append(i)
        by_set[i.indicator_set_id].append(i)
    leads: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    for task_id, agency_id, agency_name in Assignment.objects.filter(plan=plan).values_list(
        "task_id", "agency_id", "agency__name"
    ):
        leads[task_id].add(agency_id)
        names[agency_id] = agency_name
    found = []
    for task in Task.objects.filter(plan=plan, section__isnull=False).select_related("section"):
        area = section_area(task.section.title, areas)
        if area is None:
            continue
        candidates = by_set[area.indicator_set.pk] if area.root is None else under[area.root.pk]
        for indicator in candidates:
            if indicator.lead_id in leads[task.pk]:
                reason = (
                    f"Mục {task.section.code} «{task.section.title[:60]}» {area.label}; "
                    f"{names[indicator.lead_id]} chủ trì tiêu chí và được giao nhiệm vụ."
                )
                found.append(Proposal(task, indicator, reason[:300]))
    return found


@transaction.atomic
def propose_links(*, plan: Plan) -> int:
    """Replace the plan's unconfirmed proposals by the rule's; confirmed links stay.
    Returns how many proposals are waiting for a coordinator."""
    links = IndicatorTask.objects.filter(task__plan=plan)
    confirmed = set(links.filter(confirmed=True).values_list("task_id", "indicator_id"))
    links.filter(confirmed=False).delete()
    new = [
        IndicatorTask(task=p.task, indicator=p.indicator, reason=p.reason)
        for p in proposals(plan)
        if (p.task.pk, p.indicator.pk) not in confirmed
    ]
    IndicatorTask.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def confirm_links(*, plan: Plan, kept: set[int], added: dict[int, list[Indicator]]) -> None:
    """The coordinator's decision for a plan: the links in `kept` (their ids) are
    confirmed, every other link is removed; `added` links tasks (by id) to
    criteria the rule did not propose."""
    links = IndicatorTask.objects.filter(task__plan=plan)
    links.filter(pk__in=kept).update(confirmed=True)
    links.exclude(pk__in=kept).delete()
    for task_id, indicators in added.items():
        for indicator in indicators:
            IndicatorTask.objects.update_or_create(
                task_id=task_id,
                indicator=indicator,
                defaults={"confirmed": True, "reason": "Sở Nội vụ bổ sung."},
            )


@dataclass
class ServingWork:
    """A criterion's confirmed tasks that are still open as of a day, and the overdue ones."""

    open: list[Assignment]
    overdue: list[Assignment]


def serving_work(plan: Plan, as_of: date | datetime, *, user=None) -> dict[int, ServingWork]:
    """For every criterion of the plan with confirmed tasks: their open and overdue
    assignments as of `as_of`, those `user` may see (two queries, whatever the
    number of criteria)."""
    links = list(
        IndicatorTask.objects.filter(task__plan=plan, confirmed=True).values_list(
            "indicator_id", "task_id"
        )
    )
    if not links:
        return {}
    assignments = Assignment.objects.all() if user is None else Assignment.objects.visible_to(user)
    assignments = (
        assignments.filter(task_id__in={t for _, t in links})
        .filter(q_open(as_of))
        .annotate(
            late=Case(When(q_overdue(as_of), then=Value(True)), default=Value(False)),
        )
        .select_related("task", "agency")
        .order_by("due_date", "task__order", "pk")
    )
    by_task: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_task[a.task_id].append(a)
    work: dict[int, ServingWork] = {}
    for indicator_id, task_id in links:
        entry = work.setdefault(indicator_id, ServingWork([], []))
        for a in by_task[task_id]:
            entry.open.append(a)
            if a.late:
                entry.overdue.append(a)
    return work


def attach_work(tables, plan: Plan, as_of: date, *, user=None) -> None:
    """Give each criterion below target its open and overdue tasks (`IndicatorRow.work`)."""
    work = serving_work(plan, as_of, user=user)
    for table in tables:
        for row in table.below_target:
            row.work = work.get(row.indicator.pk)
