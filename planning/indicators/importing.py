"""Published results from a spreadsheet: checked in full, then saved all or nothing.

A coordinator receives the ministry's published PAR INDEX / SIPAS results as a
table and enters them at once: one row per criterion (Mã số, Kỳ, Kết quả,
Kiểm chứng). Every row is checked before any is saved; one bad row saves none,
so a half-entered year never shows on the page. A dry run is the preview.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from agencies.matching import fold
from planning.models import Plan
from planning.spreadsheets.readers import inspect_xlsx
from planning.uploads.limits import MAX_COLUMNS

from .models import Indicator
from .numbers import read_number
from .services import record_result

COLUMNS = {"ma so": "code", "ky": "period", "ket qua": "value", "kiem chung": "evidence"}


@dataclass
class ResultRow:
    line: int
    code: str
    period_end: date | None = None
    value: Decimal | None = None
    evidence: str = ""
    indicator: Indicator | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ResultImport:
    rows: list[ResultRow]
    saved: bool = False

    @property
    def errors(self) -> list[str]:
        return [f"Dòng {r.line}: {e}" for r in self.rows for e in r.errors]


def _text(value) -> str:
    """A cell as text, dates day first, so the rows can travel signed to the confirm step."""
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def read_sheet(content: bytes) -> list[dict]:
    """The first sheet's rows as dicts of text keyed by column ("code", "period", ...).

    The workbook passes the trackers' inspection first (`inspect_xlsx`: size
    once unzipped, rows, cells, far rows and columns; SheetError otherwise),
    and is then streamed with its stated dimensions ignored.
    """
    from openpyxl import load_workbook

    inspect_xlsx(content)
    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = [COLUMNS.get(fold(str(cell or ""))) for cell in next(rows, ())]
    out = []
    for line, values in enumerate(rows, start=2):
        row = {key: _text(value) for key, value in zip(header, values, strict=False) if key}
        if any(row.values()):
            out.append({"line": line, **row})
    return out


def _period(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        return None


def _value(value: str) -> Decimal | None:
    number = read_number(value)
    return None if number.unreadable or number.comparison else number.value


def _label(indicator: Indicator) -> str:
    return indicator.name.capitalize() if indicator.is_total else indicator.code


def check_rows(*, plan: Plan, rows: list[dict]) -> ResultImport:
    indicators = {
        _label(i): i
        for i in Indicator.objects.filter(indicator_set__plan=plan).order_by(
            "indicator_set__order", "order"
        )
    }
    checked = []
    seen: set[tuple[str, date]] = set()
    for raw in rows:
        row = ResultRow(line=raw["line"], code=str(raw.get("code") or "").strip())
        row.indicator = indicators.get(row.code)
        row.period_end = _period(raw.get("period", ""))
        row.value = _value(raw.get("value", ""))
        row.evidence = raw.get("evidence", "")
        if row.indicator is None:
            row.errors.append(f"không có tiêu chí mã «{row.code}» trong kế hoạch.")
        if row.period_end is None:
            row.errors.append("kỳ phải là ngày cuối kỳ, dạng dd/mm/yyyy.")
        if row.value is None or row.value < 0:
            row.errors.append(f"kết quả «{raw.get('value') or ''}» không phải là một số.")
        if row.indicator is not None and row.period_end is not None:
            if (row.code, row.period_end) in seen:
                row.errors.append(f"tiêu chí {row.code} lặp lại trong cùng kỳ.")
            seen.add((row.code, row.period_end))
        checked.append(row)
    return ResultImport(rows=checked)


@transaction.atomic
def import_results(*, plan: Plan, rows: list[dict], by: User, dry_run: bool) -> ResultImport:
    """Check every row; save them all only when none has an error and it is no dry run."""
    checked = check_rows(plan=plan, rows=rows)
    if dry_run or checked.errors or not checked.rows:
        return checked
    for row in checked.rows:
        record_result(
            indicator=row.indicator,
            period_end=row.period_end,
            value=row.value,
            evidence=row.evidence,
            by=by,
        )
    checked.saved = True
    return checked
