"""What "overdue", "done on time" and the roll-ups mean, as SQL.

Each category is a small named `Q` built for a reference date (`today`, or the
"as of" date of a report), so the filters (`Assignment.objects.overdue(today)`)
and the conditional counts of a roll-up use the very same definition.

As of a date D, an assignment counts only when its plan was *in force*:
issued on or before D (a plan without an issue date: of D's year or earlier).
A report "as of 31/7/2022" must not count a plan issued in 2026. Of those,
an assignment is:
- *done* when its status is done and it was completed on or before D;
  a task completed after D was still open on D;
- *done on time* when done and completed on or before its due date
  (ongoing work, with no due date, is on time whenever it is done);
- *done late* when done and completed after its due date;
- *overdue* when not done as of D and its due date is before D;
- *not yet due* when not done as of D and its due date is D or later;
- *ongoing* ("thường xuyên") when not done and it has no due date.
Withdrawn assignments are outside every count.

The government's own figure ("Tỷ lệ hoàn thành nhiệm vụ đến hạn", the
Government Office's "2.723 nhiệm vụ đến hạn ..., 2.501 đã hoàn thành") counts
only what has *fallen due* by D: done with a due date on or before D, or
overdue. Its parts add up with the categories above: fallen due = done on
time with a due date by D + done late + overdue. An open assignment due on D
itself is still within its deadline (*not yet due*, as above), so it neither
counts as overdue nor lowers the figure; one done on its due day counts.
*Due later* is the rest of the dated work: open and not yet due, or done
ahead of a due date after D.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from config.caching.querysets import ChangeTrackingQuerySet

from .formatting import format_ratio

DONE = "done"
WITHDRAWN = "withdrawn"
DRAFT_PLAN = "draft"  # Plan.Status.DRAFT (planning/models.py imports this module)


def q_active() -> Q:
    return ~Q(status=WITHDRAWN)


def q_issued_by(as_of: date) -> Q:
    return Q(plan__issued_on__lte=as_of) | Q(
        plan__issued_on__isnull=True, plan__year__lte=as_of.year
    )


def q_in_force(as_of: date) -> Q:
    """Not withdrawn, in a plan issued by D: what every count as of D starts from."""
    return q_active() & q_issued_by(as_of)


def q_done(as_of: date) -> Q:
    return q_issued_by(as_of) & Q(status=DONE, completed_on__lte=as_of)


def q_open(as_of: date) -> Q:
    return q_in_force(as_of) & ~Q(status=DONE, completed_on__lte=as_of)


def q_done_on_time(as_of: date) -> Q:
    return q_done(as_of) & (Q(due_date__isnull=True) | Q(completed_on__lte=F("due_date")))


def q_done_late(as_of: date) -> Q:
    return q_done(as_of) & Q(completed_on__gt=F("due_date"))


def q_overdue(as_of: date) -> Q:
    return q_open(as_of) & Q(due_date__lt=as_of)


def q_not_yet_due(as_of: date) -> Q:
    return q_open(as_of) & Q(due_date__gte=as_of)


def q_ongoing(as_of: date) -> Q:
    return q_open(as_of) & Q(due_date__isnull=True)


def q_fallen_due(as_of: date) -> Q:
    """Done with a due date on or before D, or overdue: the government's "đến hạn"."""
    return (q_done(as_of) & Q(due_date__lte=as_of)) | q_overdue(as_of)


def q_due_later(as_of: date) -> Q:
    """Dated work not fallen due by D: open and not yet due, or done ahead of time."""
    return q_not_yet_due(as_of) | (q_done(as_of) & Q(due_date__gt=as_of))


def q_extended() -> Q:
    return Q(original_due_date__isnull=False, due_date__gt=F("original_due_date"))


ROLLUP_FIELDS = (
    "total",
    "done",
    "done_on_time",
    "done_late",
    "open_not_due",
    "open_overdue",
    "ongoing",
    "extended",
    "fallen_due",
    "due_done_on_time",
    "due_later",
)


def rollup_aggregates(as_of: date) -> dict[str, Count]:
    """The conditional counts of a roll-up, ready for `.aggregate()` or `.annotate()`."""
    return {
        "total": Count("pk", filter=q_in_force(as_of)),
        "done": Count("pk", filter=q_done(as_of)),
        "done_on_time": Count("pk", filter=q_done_on_time(as_of)),
        "done_late": Count("pk", filter=q_done_late(as_of)),
        "open_not_due": Count("pk", filter=q_not_yet_due(as_of)),
        "open_overdue": Count("pk", filter=q_overdue(as_of)),
        "ongoing": Count("pk", filter=q_ongoing(as_of)),
        "extended": Count("pk", filter=q_in_force(as_of) & q_extended()),
        "fallen_due": Count("pk", filter=q_fallen_due(as_of)),
        "due_done_on_time": Count("pk", filter=q_done_on_time(as_of) & Q(due_date__lte=as_of)),
        "due_later": Count("pk", filter=q_due_later(as_of)),
    }


WINDOW_FIELDS = ("window_due", "window_due_done", "window_due_done_on_time", "window_completed")


def window_aggregates(start: date, end: date) -> dict[str, Count]:
    """A reporting window [start, end], as of its last day: what fell due within it
    (`q_fallen_due(end)` with a due date from `start`), how much of that is done
    (on time), and what was completed within it (whatever its due date)."""
    due_within = Q(due_date__gte=start, due_date__lte=end)
    return {
        "window_due": Count("pk", filter=q_fallen_due(end) & due_within),
        "window_due_done": Count("pk", filter=q_done(end) & due_within),
        "window_due_done_on_time": Count("pk", filter=q_done_on_time(end) & due_within),
        "window_completed": Count("pk", filter=q_done(end) & Q(completed_on__gte=start)),
    }


@dataclass(frozen=True)
class WindowCounts:
    """The figures of one reporting window (see `window_aggregates`)."""

    due: int = 0
    due_done: int = 0
    due_done_on_time: int = 0
    completed: int = 0

    @classmethod
    def from_row(cls, row: dict) -> WindowCounts:
        return cls(*(row.get(name) or 0 for name in WINDOW_FIELDS))

    @property
    def due_ratio(self) -> Decimal | None:
        return Rollup._percent(self.due_done, self.due)

    @property
    def due_ratio_display(self) -> str:
        return format_ratio(self.due_ratio)


@dataclass(frozen=True)
class Rollup:
    """Counts for a group of assignments as of a date, and the ratios people read."""

    total: int = 0
    done: int = 0
    done_on_time: int = 0
    done_late: int = 0
    open_not_due: int = 0
    open_overdue: int = 0
    ongoing: int = 0
    extended: int = 0
    fallen_due: int = 0
    due_done_on_time: int = 0
    due_later: int = 0
    key: dict = field(default_factory=dict, compare=False)

    @classmethod
    def from_row(cls, row: dict) -> Rollup:
        counts = {name: row.get(name) or 0 for name in ROLLUP_FIELDS}
        key = {k: v for k, v in row.items() if k not in ROLLUP_FIELDS}
        return cls(**counts, key=key)

    @property
    def open(self) -> int:
        return self.open_not_due + self.open_overdue + self.ongoing

    @staticmethod
    def _percent(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(part) * 100 / Decimal(whole)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def ratio(self) -> Decimal | None:
        """Done / total in percent, two decimals (None when there is nothing to count)."""
        return self._percent(self.done, self.total)

    @property
    def on_time_ratio(self) -> Decimal | None:
        """Done on time / done, in percent."""
        return self._percent(self.done_on_time, self.done)

    @property
    def due_done(self) -> int:
        """Fallen due and done: on time (`due_done_on_time`) or late (every late one)."""
        return self.due_done_on_time + self.done_late

    @property
    def due_ratio(self) -> Decimal | None:
        """ "Tỷ lệ hoàn thành nhiệm vụ đến hạn": done / fallen due, in percent."""
        return self._percent(self.due_done, self.fallen_due)

    @property
    def due_ratio_display(self) -> str:
        return format_ratio(self.due_ratio)

    @property
    def due_summary(self) -> str:
        """ "18/20 (90,00%)" """
        return f"{self.due_done}/{self.fallen_due} ({self.due_ratio_display})"

    @property
    def due_sentence(self) -> str:
        """The figure as the government's reports word it."""
        return (
            f"{self.fallen_due} nhiệm vụ đến hạn phải hoàn thành, trong đó {self.due_done} "
            f"nhiệm vụ đã hoàn thành (đúng hạn {self.due_done_on_time}, quá hạn "
            f"{self.done_late}), đạt {self.due_ratio_display}; còn {self.open_overdue} nhiệm vụ "
            f"quá hạn chưa hoàn thành; {self.due_later} nhiệm vụ chưa đến hạn"
        )

    @property
    def ratio_display(self) -> str:
        """ "92,31%" """
        return format_ratio(self.ratio)

    @property
    def on_time_ratio_display(self) -> str:
        return format_ratio(self.on_time_ratio)

    @property
    def summary(self) -> str:
        """ "24/26 (92,31%)" """
        return f"{self.done}/{self.total} ({self.ratio_display})"

    @property
    def sentence(self) -> str:
        """ "hoàn thành 24/26 nhiệm vụ (đạt 92,31%)" """
        return f"hoàn thành {self.done}/{self.total} nhiệm vụ (đạt {self.ratio_display})"


class AssignmentQuerySet(ChangeTrackingQuerySet):
    def active(self):
        return self.filter(q_active())

    def done(self, as_of: date):
        return self.filter(q_done(as_of))

    def open(self, as_of: date):
        return self.filter(q_open(as_of))

    def done_on_time(self, as_of: date):
        return self.filter(q_done_on_time(as_of))

    def done_late(self, as_of: date):
        return self.filter(q_done_late(as_of))

    def overdue(self, today: date):
        return self.filter(q_overdue(today))

    def not_yet_due(self, today: date):
        return self.filter(q_not_yet_due(today))

    def ongoing(self, today: date):
        return self.filter(q_ongoing(today))

    def due_between(self, start: date, end: date):
        """Open work due in [start, end], e.g. this month."""
        return self.filter(q_open(start), due_date__gte=start, due_date__lte=end)

    def extended(self):
        return self.filter(q_extended())

    def fallen_due(self, as_of: date):
        return self.filter(q_fallen_due(as_of))

    def visible_to(self, user):
        """What a user may see: everything for coordinators; for viewers, every
        assignment of a plan that is not a draft; for an officer, the agency's own
        assignments of such plans; nothing otherwise. A coordinator's draft plan
        stays the coordinators' until it is published, with all its assignments."""
        from agencies import access

        if access.is_coordinator(user):
            return self
        published = self.exclude(plan__status=DRAFT_PLAN)
        if access.sees_everything(user):
            return published
        agency = access.agency_of(user)
        if agency is None:
            return self.none()
        return published.filter(agency=agency)

    def rollup(self, today: date) -> Rollup:
        """One aggregate query over this queryset."""
        return Rollup.from_row(self.aggregate(**rollup_aggregates(today)))

    def rollup_by(self, *fields: str, today: date) -> list[Rollup]:
        """One grouped aggregate query: a Rollup per distinct value of `fields`.

        `fields` are value paths such as "agency_id", "agency__name",
        "task__section__code"; each Rollup's `key` holds them.
        """
        rows = self.order_by().values(*fields).annotate(**rollup_aggregates(today))
        return [Rollup.from_row(row) for row in rows.order_by(*fields)]
