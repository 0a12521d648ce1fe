"""The "Kế hoạch" column: guarding against a plan created by a typo.

A plan is the root of everything an officer sees: a new plan appears in every
lead agency's inbox at once. A typo once did exactly that ("77/KH-UBDN" for
"77/KH-UBND"), so the import treats plan numbers with suspicion:
1. a number is compared on its normalised form (`plan_key`: case, accents,
   spaces and dash variants forgiven), so "192/kh-ubnd" is the existing plan;
2. a number whose digits match an existing plan's and whose symbol is one or two
   edits away (`near_miss`) is an error that names the existing plan; different
   digits are different documents ("193/KH-UBND" is not a typo of "192/KH-UBND");
3. any other unknown number is a `NewPlan`, listed in the preview with its task
   count, and created only when the caller confirmed it.
`PlanColumnMixin` is how `AssignmentResource` reads the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from agencies.matching import fold
from planning.models import Plan

from .columns import DEADLINE, PLAN, squash, too_long
from .rows import ParsedRow

NEAR_MISS_EDITS = 2
_PLAN_WITH_YEAR = re.compile(r"^(.*\S)\s*\(\s*((?:19|20)\d{2})\s*\)$")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_DIGITS = re.compile(r"^(\d*)(.*)$")


@dataclass
class NewPlan:
    """A plan the file would create, as the preview lists it."""

    number: str
    year: int
    tasks: int = 0
    lines: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.number} (năm {self.year})"

    @property
    def key(self) -> tuple[str, int]:
        return (self.number, self.year)

    def describe(self) -> str:
        """ "77/KH-UBND (năm 2023): 3 nhiệm vụ, 4 dòng (dòng 2, 5, 6, 9)"."""
        shown = ", ".join(map(str, self.lines[:5]))
        more = f" và {len(self.lines) - 5} dòng khác" if len(self.lines) > 5 else ""
        return f"{self.label}: {self.tasks} nhiệm vụ, {len(self.lines)} dòng (dòng {shown}{more})"


def plan_key(number: str) -> str:
    """What two spellings of one plan number share: "192 / kh–UBND" → "192/kh-ubnd"."""
    return "".join(_DASHES.sub("-", fold(number)).split())


def edit_distance(a: str, b: str, *, limit: int = NEAR_MISS_EDITS) -> int:
    """Optimal string alignment distance (a swap of two neighbours is one edit),
    or `limit + 1` as soon as it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def near_miss(number: str, existing: Iterable[str]) -> str | None:
    """The existing plan number that `number` is most likely a typo of, if any."""
    digits, symbol = _DIGITS.match(plan_key(number)).groups()
    best: tuple[int, str] | None = None
    for candidate in existing:
        other_digits, other_symbol = _DIGITS.match(plan_key(candidate)).groups()
        if other_digits != digits or other_symbol == symbol:
            continue
        distance = edit_distance(symbol, other_symbol)
        if distance <= NEAR_MISS_EDITS and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


class PlanColumnMixin:
    """How `AssignmentResource` reads the "Kế hoạch" column (see the module docstring)."""

    def _load_plans(self, dataset) -> list[Plan]:
        """Every plan number, and in full the plans the file names."""
        self.known_numbers: dict[str, set[str]] = {}
        for number in Plan.objects.values_list("number", flat=True).distinct():
            self.known_numbers.setdefault(plan_key(number), set()).add(number)
        self.all_numbers = sorted(n for spellings in self.known_numbers.values() for n in spellings)
        numbers = set()
        if PLAN in dataset.headers:
            for cell in dataset[PLAN]:
                number, _ = self._split_plan(squash(cell))
                numbers |= self.known_numbers.get(plan_key(number), set())
        plans = list(Plan.objects.filter(number__in=numbers))
        self.plans_by_number: dict[str, list[Plan]] = {}
        for plan in plans:
            self.plans_by_number.setdefault(plan.number, []).append(plan)
        self.new_plan_years = self._years_of_new_plans(dataset)
        return plans

    def _known_plans(self, number: str) -> list[Plan]:
        """The plans with this number, spelled exactly or as `plan_key` forgives."""
        if number in self.plans_by_number:
            return self.plans_by_number[number]
        spellings = sorted(self.known_numbers.get(plan_key(number), ()))
        return [p for n in spellings for p in self.plans_by_number.get(n, [])]

    def _list_new_plans(self) -> list[NewPlan]:
        """The plans this file would create, each with its tasks and lines; the first
        row of a plan the caller did not confirm is an error, so nothing is saved."""
        rows_of: dict[int, list[ParsedRow]] = {}
        for parsed in self.parsed.values():
            if parsed.plan is not None and parsed.plan.pk is None:
                rows_of.setdefault(id(parsed.plan), []).append(parsed)
        listed = []
        for rows in rows_of.values():
            plan = rows[0].plan
            new = NewPlan(
                number=plan.number,
                year=plan.year,
                tasks=len({(p.section_code, p.title) for p in rows if p.title}),
                lines=[p.line for p in rows],
            )
            listed.append(new)
            allowed = self.allow_new_plans
            if allowed is not True and (allowed is False or new.key not in allowed):
                rows[0].errors.setdefault(
                    PLAN,
                    f"chưa có kế hoạch '{plan.number}' trong hệ thống: tệp sẽ tạo kế hoạch "
                    f"mới {new.describe()}. Tạo kế hoạch mới cần được xác nhận riêng; "
                    f"nếu đây là lỗi gõ, hãy sửa cột '{PLAN}'.",
                )
        return listed

    def _years_of_new_plans(self, dataset) -> dict[str, int]:
        """A plan the file creates takes the year of its earliest deadline, so that
        every row of "77/KH-UBND" lands in the same plan whatever its own deadline."""
        years: dict[str, int] = {}
        if PLAN not in dataset.headers or DEADLINE not in dataset.headers:
            return years
        widget = self.fields["due_date"].widget
        for plan_cell, due_cell in zip(dataset[PLAN], dataset[DEADLINE], strict=True):
            number, year = self._split_plan(squash(plan_cell))
            if year or self._known_plans(number):
                continue
            try:
                due = widget.clean(due_cell)
            except ValueError:
                continue
            if due and (number not in years or due.year < years[number]):
                years[number] = due.year
        return years

    @staticmethod
    def _split_plan(text: str) -> tuple[str, int | None]:
        m = _PLAN_WITH_YEAR.match(text)
        return (m.group(1), int(m.group(2))) if m else (text, None)

    def _plan_for(self, text: str, errors: dict) -> Plan | None:
        """The plan a cell names; a new (unsaved) plan when none has that number."""
        number, year = self._split_plan(text)
        if not number:
            errors[PLAN] = "chưa ghi số kế hoạch"
            return None
        if message := too_long(number, Plan, "number"):
            errors[PLAN] = message
            return None
        known = candidates = self._known_plans(number)
        if year is not None:
            candidates = [p for p in candidates if p.year == year]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            years = ", ".join(str(p.year) for p in candidates)
            errors[PLAN] = (
                f"có nhiều kế hoạch số '{number}' (năm {years}) — ghi thêm năm, "
                f"ví dụ '{number} ({candidates[0].year})'"
            )
            return None
        if not known and (typo_of := near_miss(number, self.all_numbers)):
            errors[PLAN] = (
                f"chưa có kế hoạch '{number}'. Có phải là {typo_of}? (Nếu đúng là một kế "
                "hoạch khác, hãy tạo kế hoạch đó ở trang “Tạo kế hoạch” trước rồi nhập lại.)"
            )
            return None
        year = year or self.new_plan_years.get(number) or timezone.localdate().year
        key = f"{number}|{year}"
        if key not in self.new_plans:
            self.new_plans[key] = Plan(
                number=number, year=year, title=f"Kế hoạch {number}", status=Plan.Status.ACTIVE
            )
            self.new_plans[key]._sheet_new = True
        return self.new_plans[key]
