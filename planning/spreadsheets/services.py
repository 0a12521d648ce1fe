"""Importing a tracker sheet: validate every row, then save all of it or nothing.

The web page, the admin and the `import_assignments` command all end here, so
a file means the same thing everywhere and is refused for the same reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import tablib
from django.contrib.auth.models import User
from django.db import transaction
from import_export.results import RowResult

from agencies.matching import fold

from .readers import SheetError, read_upload
from .resources import COLUMNS, REQUIRED, AssignmentResource

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


def _problems_of(result, line_numbers: list[int]) -> list[Problem]:
    problems = []
    for error in result.base_errors:
        problems.append(Problem(None, None, f"Lỗi khi nhập: {error.error}"))
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(Problem(line_numbers[number - 1], None, f"lỗi khi lưu: {error.error}"))
    for invalid in result.invalid_rows:
        line = line_numbers[invalid.number - 1]
        for column, messages in invalid.error_dict.items():
            for message in messages:
                problems.append(Problem(line, column if column in COLUMNS else None, message))
    problems.sort(key=lambda p: (p.line or 0, COLUMNS.index(p.column) if p.column else -1))
    return problems


@transaction.atomic
def import_assignments(
    *,
    data: tablib.Dataset,
    user: User | None,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate every row of a tracker sheet; unless `dry_run`, save all or nothing.

    1. headers are checked first: a missing column refuses the file at once;
    2. rows go through `AssignmentResource` with rollback_on_validation_errors, so
       one invalid row rolls back every row already written (import_export's
       default would skip the bad row and commit the rest);
    3. the outer atomic block is rolled back too when anything was wrong, which
       keeps the guarantee even when this runs inside a caller's transaction.
    """
    report = ImportReport(dry_run=dry_run, total=len(data))
    line_numbers = getattr(data, "line_numbers", None) or [i + 2 for i in range(len(data))]
    report.problems = normalize_headers(data)
    data.line_numbers = line_numbers
    if report.problems:
        return report
    resource = AssignmentResource(user=user, progress=progress)
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
    report.changes = [
        RowChange(
            line=line,
            action="new" if action == RowResult.IMPORT_TYPE_NEW else "update",
            details=[
                f"{CHANGE_LABELS.get(name, name)}: {old or '(trống)'} → {new or '(trống)'}"
                for _, name, old, new in changes
            ],
        )
        for line, action, changes in resource.summaries
    ]
    if report.problems:
        transaction.set_rollback(True)
    return report


def import_file(
    *,
    name: str,
    content: bytes,
    user: User | None,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Read an uploaded file and import it; a file that cannot be read is one problem."""
    try:
        dataset = read_upload(name=name, data=content)
    except SheetError as exc:
        return ImportReport(
            dry_run=dry_run, problems=[Problem(None, None, m) for m in exc.messages]
        )
    return import_assignments(data=dataset, user=user, dry_run=dry_run, progress=progress)
