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
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from agencies.matching import fold

NEAR_MISS_EDITS = 2
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
