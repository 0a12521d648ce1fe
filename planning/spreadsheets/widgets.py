"""Cell ↔ value conversions for the tracker sheet, each with a Vietnamese error.

Widgets in the django-import-export sense: `clean()` reads a cell (raising
ValueError with the message the preview shows), `render()` writes one, and
the two agree so that export → import changes nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from import_export.widgets import Widget

from agencies.matching import AgencyDirectory, fold
from agencies.models import Agency
from planning.deadlines import Kind, due_label, parse_deadline
from planning.models import Assignment

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def parse_day_first(text: str) -> date | None:
    """ "3/6/2023" → 3 June 2023; "2023-06-03" → the same; anything else → None."""
    for pattern, order in ((_ISO, (0, 1, 2)), (_DMY, (2, 1, 0))):
        m = pattern.match(text)
        if m:
            parts = [int(m.group(i + 1)) for i in order]
            try:
                return date(parts[0], parts[1], parts[2])
            except ValueError:
                return None
    return None


class DayFirstDateWidget(Widget):
    """A date written 03/06/2023 (day first), ISO, or a real Excel date cell."""

    def clean(self, value, row=None, **kwargs):
        if value in ("", None):
            return None
        real = _as_date(value)
        if real:
            return real
        text = str(value).strip()
        parsed = parse_day_first(text)
        if parsed is None:
            raise ValueError(f"không hiểu ngày '{text}' — hãy ghi ngày/tháng/năm, ví dụ 03/06/2023")
        return parsed

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class DeadlineWidget(Widget):
    """ "tháng 7/2022", "7/2022", "Quý III/2022", "31/07/2022", ISO, an Excel date,
    "Thường xuyên" (no due date). Phrases go through `parse_deadline`."""

    def clean(self, value, row=None, default_year=None, **kwargs):
        return self.read(value, default_year=default_year)[0]

    def read(self, value, *, default_year=None) -> tuple[date | None, str]:
        """The due date and the kind of deadline the cell names (`planning.deadlines.Kind`)."""
        if value in ("", None):
            return None, Kind.ONGOING
        real = _as_date(value)
        if real:
            return real, Kind.DATE
        text = " ".join(str(value).split())
        exact = parse_day_first(text)
        if exact:
            return exact, Kind.DATE
        if _MONTH_YEAR.match(text):
            text = f"tháng {text}"
        deadline = parse_deadline(text, default_year=default_year)
        if deadline is None:
            raise ValueError(
                f"không hiểu thời hạn '{text}' — hãy ghi ví dụ 'tháng 7/2022', "
                "'Quý III/2022', '31/07/2022' hoặc 'Thường xuyên'"
            )
        if deadline.kind == Kind.RECURRING:
            raise ValueError(
                f"thời hạn định kỳ '{text}' — hãy ghi mỗi kỳ một dòng với hạn của kỳ đó"
            )
        return deadline.due_date, deadline.kind

    def render(self, value, obj=None, **kwargs):
        return due_label(value)


STATUS_BY_LABEL = {fold(str(label)): value for value, label in Assignment.Status.choices}


class StatusWidget(Widget):
    """ "Chưa thực hiện" / "Đang thực hiện" / "Hoàn thành" (and, so that an export of
    work under review or withdrawn reads back unchanged, the two other labels)."""

    def clean(self, value, row=None, **kwargs):
        text = " ".join(str(value or "").split())
        if not text:
            return Assignment.Status.NOT_STARTED
        status = STATUS_BY_LABEL.get(fold(text))
        if status is None:
            raise ValueError(
                f"trạng thái '{text}' không hợp lệ — chỉ dùng 'Chưa thực hiện', "
                "'Đang thực hiện' hoặc 'Hoàn thành'"
            )
        return status

    def render(self, value, obj=None, **kwargs):
        return str(Assignment.Status(value).label) if value else ""


class AgencyWidget(Widget):
    """An agency by code, name, short name or alias: the plan parser's resolution.

    The directory is built once per import (one query); an unknown name gets the
    closest known agency as a suggestion.
    """

    def __init__(self, directory: AgencyDirectory | None = None, **kwargs):
        super().__init__(**kwargs)
        self.directory = directory

    def clean(self, value, row=None, **kwargs):
        name = " ".join(str(value or "").split())
        if not name:
            raise ValueError("chưa ghi cơ quan")
        if self.directory is None:
            self.directory = AgencyDirectory()
        agency = self.directory.resolve(name)
        if agency is None:
            suggestion = self.directory.suggest(name)
            hint = f" — có phải '{suggestion.name}'?" if suggestion else ""
            raise ValueError(f"không tìm thấy '{name}'{hint}")
        return agency

    def render(self, value: Agency | None, obj=None, **kwargs):
        return value.name if value else ""
