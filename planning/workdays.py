"""Working days in Việt Nam: what "trong 10 ngày làm việc" and a reminder's day mean.

A day is a working day unless it is a Saturday or Sunday, or a public
holiday of the `holidays` package's Vietnam calendar (Tết Dương lịch, Tết
Nguyên đán, Giỗ Tổ, 30/4, 1/5, Quốc khánh, with the days off it observes).
On top of that, the province declares days of its own (`DeclaredDay`, kept
by a coordinator in the admin): a compensatory day off ("nghỉ bù") is not a
working day, a working Saturday ("làm bù") is one. A declared day wins.

`WorkingCalendar` is pure (dates in, dates out); `working_calendar()` reads
the declared days from the database, in one query.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

MAX_SCAN_DAYS = 400
"""No run of non-working days is this long: a guard against a bad declaration."""


@lru_cache(maxsize=1)
def _national() -> holidays.HolidayBase:
    return holidays.country_holidays("VN")


class WorkingCalendar:
    def __init__(
        self, days_off: frozenset[date] = frozenset(), working: frozenset[date] = frozenset()
    ):
        self.days_off = frozenset(days_off)
        self.working = frozenset(working)

    def is_working_day(self, day: date) -> bool:
        if day in self.working:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5 and day not in _national()

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` ("trong 10 ngày làm việc kể
        từ ngày ký": the signing day itself does not count)."""
        day = start
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        for offset in range(1, MAX_SCAN_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"No working day within {MAX_SCAN_DAYS} days after {day}")

    def working_day_on_or_before(self, day: date) -> date:
        """`day` if it is a working day, else the working day before it."""
        for offset in range(MAX_SCAN_DAYS):
            candidate = day - timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"No working day within {MAX_SCAN_DAYS} days before {day}")

    def covered_by(self, day: date) -> date:
        """The last day whose business a working day `day` takes on: `day` and the
        non-working days after it (a Friday covers Saturday and Sunday)."""
        return self.next_working_day(day) - timedelta(days=1)


NATIONAL = WorkingCalendar()
"""The national calendar alone, for code that has no database at hand."""


def working_calendar() -> WorkingCalendar:
    """The national calendar with the province's declared days (one query)."""
    from .models import DeclaredDay

    off, working = set(), set()
    for day, is_working in DeclaredDay.objects.values_list("day", "is_working_day"):
        (working if is_working else off).add(day)
    return WorkingCalendar(frozenset(off), frozenset(working))
