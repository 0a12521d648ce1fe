"""Importing a tracker sheet: validate every row, then save all of it or nothing.

The web page, the admin and the `import_assignments` command all end here, so
a file means the same thing everywhere and is refused for the same reasons.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field

import tablib
from django.contrib.auth.models import User
from django.db import DataError, IntegrityError, transaction
from import_export.results import RowResult

from agencies.audit import signed
from agencies.matching import fold
from planning.models import Plan, Section

from .columns import COLUMNS, COMPLETED, LEAD, PLAN, REQUIRED, SECTION
from .plans import NewPlan
from .readers import SheetError, read_upload
from .resources import AssignmentResource

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 500  # rows of "Những gì sẽ thay đổi" the page shows (job.html)
IGNORED_COLUMNS = {"stt", "tt", "so tt", "so thu tu"}  # the row-number column trackers keep
CHANGE_LABELS = {
    "status": "Trạng thái",
    "due_date": "Thời hạn",
    "completed_on": "Ngày hoàn thành",
    "coordination": "Cơ quan phối hợp",
    "evidence": "Văn bản kiểm chứng",
    "note": "Ghi chú",
}


@dataclass
class Problem:
    """One reason to refuse the file: where (line, column) and why, in Vietnamese."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.line:
            where.append(f"Dòng {self.line}")
        if self.column:
            where.append(f"cột '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class RowChange:
    line: int
    action: str  # "new" or "update"
    details: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    new_plans: list[NewPlan] = field(default_factory=list)
    """Plans the file creates (or would create): the preview asks to confirm them."""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        data = dict(data)
        data["problems"] = [Problem(**p) for p in data.get("problems", [])]
        data["changes"] = [RowChange(**c) for c in data.get("changes", [])]
        data["new_plans"] = [NewPlan(**p) for p in data.get("new_plans", [])]
        return cls(**data)

    def summary(self) -> str:
        verb = "sẽ tạo mới" if self.dry_run else "đã tạo mới"
        return (
            f"{self.total} dòng: {verb} {self.created}, "
            f"cập nhật {self.updated}, bỏ qua (không đổi) {self.skipped}; "
            f"{len(self.problems)} lỗi."
        )


def normalize_headers(dataset: tablib.Dataset) -> list[Problem]:
    """Map headers to the canonical names (case, spaces and accents forgiven).

    Returns the problems: a missing required column, an unknown column.
    """
    canonical = {fold(name): name for name in COLUMNS}
    headers, problems = [], []
    for header in dataset.headers:
        key = fold(str(header or ""))
        if key in canonical:
            headers.append(canonical[key])
        elif key in IGNORED_COLUMNS or not key:
            headers.append(f"_ignored_{len(headers)}")
        else:
            headers.append(str(header))
            problems.append(
                Problem(
                    1,
                    str(header),
                    "cột không thuộc mẫu — các cột đúng là: " + ", ".join(COLUMNS),
                )
            )
    duplicated = {h for h in headers if headers.count(h) > 1 and h in COLUMNS}
    problems += [Problem(1, name, "cột bị lặp lại") for name in sorted(duplicated)]
    problems += [Problem(1, name, "thiếu cột bắt buộc") for name in REQUIRED if name not in headers]
    dataset.headers = headers
    return problems


# What the database refuses despite the checks of `AssignmentResource._parse`
# (most likely a concurrent import), by the constraint's name on PostgreSQL or
# its table and column on SQLite.
_CONSTRAINTS = [
    (
        ("plan_number_year_unique", "planning_plan.number"),
        PLAN,
        "kế hoạch này vừa được tạo trong lúc nhập (có thể bởi một lần nhập khác)",
    ),
    (
        ("section_plan_code_unique", "planning_section.plan_id"),
        SECTION,
        "mục này vừa được tạo trong kế hoạch trong lúc nhập (có thể bởi một lần nhập khác)",
    ),
    (
        ("assignment_task_agency_period_unique", "planning_assignment.task_id"),
        LEAD,
        "nhiệm vụ này vừa được giao cho cơ quan chủ trì này trong lúc nhập "
        "(có thể bởi một lần nhập khác)",
    ),
    (
        ("assignment_done_has_completion_date",),
        COMPLETED,
        "trạng thái 'Hoàn thành' cần ghi ngày hoàn thành",
    ),
]
_LIMITS = {
    Plan._meta.get_field("number").max_length: PLAN,
    Section._meta.get_field("code").max_length: SECTION,
}
_VARCHAR = re.compile(r"character varying\((\d+)\)")


def database_problem(line: int, error: Exception) -> Problem:
    """A database error on one row, in Vietnamese, naming the column where it can.

    The database speaks English and names tables ("value too long for type
    character varying(30)", "duplicate key value violates unique constraint
    …"); the coordinator needs the row, the column and what to do.
    """
    text = str(error)
    if isinstance(error, IntegrityError):
        for needles, column, message in _CONSTRAINTS:
            if any(needle in text for needle in needles):
                return Problem(line, column, f"không lưu được: {message}. Hãy thử nhập lại.")
        return Problem(
            line, None, "không lưu được: dòng này mâu thuẫn với dữ liệu đã có trong hệ thống."
        )
    if isinstance(error, DataError):
        if m := _VARCHAR.search(text):
            limit = int(m.group(1))
            column = _LIMITS.get(limit)
            return Problem(
                line,
                column,
                f"không lưu được: một giá trị dài quá giới hạn {limit} ký tự"
                + (f" của cột '{column}'" if column else "")
                + " — hãy rút gọn.",
            )
        return Problem(line, None, "không lưu được: dòng này có giá trị không hợp lệ.")
    logger.error("spreadsheet row %s could not be saved", line, exc_info=error)
    return Problem(line, None, "không lưu được dòng này do lỗi hệ thống.")


def _problems_of(result, line_numbers: list[int]) -> list[Problem]:
    problems = []
    for error in result.base_errors:
        logger.error("spreadsheet import failed", exc_info=error.error)
        problems.append(Problem(None, None, "Lỗi hệ thống khi nhập; không có gì được lưu."))
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(database_problem(line_numbers[number - 1], error.error))
    for invalid in result.invalid_rows:
        line = line_numbers[invalid.number - 1]
        for column, messages in invalid.error_dict.items():
            for message in messages:
                problems.append(Problem(line, column if column in COLUMNS else None, message))
    problems.sort(key=lambda p: (p.line or 0, COLUMNS.index(p.column) if p.column else -1))
    return problems


@signed(by="user")
@transaction.atomic
def import_assignments(
    *,
    data: tablib.Dataset,
    user: User | None,
    dry_run: bool,
    allow_new_plans: bool | Collection[tuple[str, int]] = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate every row of a tracker sheet; unless `dry_run`, save all or nothing.

    1. headers are checked first: a missing column refuses the file at once;
    2. rows go through `AssignmentResource` with rollback_on_validation_errors, so
       one invalid row rolls back every row already written (import_export's
       default would skip the bad row and commit the rest);
    3. a plan the database lacks is created only when `allow_new_plans` says so
       (True, or the (number, year) the user confirmed): otherwise its first row
       is an error; `report.new_plans` lists them either way;
    4. the outer atomic block is rolled back too when anything was wrong, which
       keeps the guarantee even when this runs inside a caller's transaction.
    """
    report = ImportReport(dry_run=dry_run, total=len(data))
    line_numbers = getattr(data, "line_numbers", None) or [i + 2 for i in range(len(data))]
    report.problems = normalize_headers(data)
    data.line_numbers = line_numbers
    if report.problems:
        return report
    resource = AssignmentResource(user=user, progress=progress, allow_new_plans=allow_new_plans)
    result = resource.import_data(
        data,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        collect_failed_rows=False,
    )
    report.problems = _problems_of(result, line_numbers)
    report.created = result.totals[RowResult.IMPORT_TYPE_NEW]
    report.updated = result.totals[RowResult.IMPORT_TYPE_UPDATE]
    report.skipped = result.totals[RowResult.IMPORT_TYPE_SKIP]
    report.new_plans = resource.new_plan_list
    report.changes = [
        _row_change(line, action, changes, values, detailed=n < PREVIEW_ROWS)
        for n, (line, action, changes, values) in enumerate(resource.summaries)
    ]
    if report.problems:
        transaction.set_rollback(True)
    return report


def _row_change(line: int, action: str, changes, values, *, detailed: bool) -> RowChange:
    """A new row lists its values, an updated one its changes. Only the rows the
    page shows carry details: a report of 10,000 new rows stays small in the cache."""
    if action == RowResult.IMPORT_TYPE_NEW:
        details = [f"{column}: {value}" for column, value in values]
        return RowChange(line=line, action="new", details=details if detailed else [])
    details = [
        f"{CHANGE_LABELS.get(name, name)}: {old or '(trống)'} → {new or '(trống)'}"
        for _, name, old, new in changes
    ]
    return RowChange(line=line, action="update", details=details if detailed else [])


def import_file(
    *,
    name: str,
    content: bytes,
    user: User | None,
    dry_run: bool,
    allow_new_plans: bool | Collection[tuple[str, int]] = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Read an uploaded file and import it; a file that cannot be read is one problem."""
    try:
        dataset = read_upload(name=name, data=content)
    except SheetError as exc:
        return ImportReport(
            dry_run=dry_run, problems=[Problem(None, None, m) for m in exc.messages]
        )
    return import_assignments(
        data=dataset,
        user=user,
        dry_run=dry_run,
        allow_new_plans=allow_new_plans,
        progress=progress,
    )
