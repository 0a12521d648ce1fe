"""Print the assignments a plan document holds, one row each (nothing is saved).

    python manage.py parse_plan plan.docx [--format csv|json]

Works on an empty agency registry: names are then printed as written.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from agencies.matching import AgencyDirectory
from planning.parsing import PlanFileError, parse_text, read_plan_file
from planning.parsing.importing import assignment_rows

CSV_FIELDS = ["section", "lead_agency", "coordinating_agencies", "due_month", "due_text", "title"]
COMMAND_MAX_BYTES = 50 * 1024 * 1024


def load_plan(path: str, year: int | None = None):
    """Read and parse a plan file for a command; CommandError with the reason if unreadable."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"Không tìm thấy tệp: {path}")
    try:
        text = read_plan_file(file.read_bytes(), file.name, max_bytes=COMMAND_MAX_BYTES)
    except PlanFileError as exc:
        raise CommandError(str(exc)) from exc
    return parse_text(text, default_year=year)


def agency_directory() -> AgencyDirectory | None:
    """The registry, or None when the database is not there (resolution is optional)."""
    try:
        return AgencyDirectory()
    except DatabaseError:
        return None


class Command(BaseCommand):
    help = "Đọc văn bản kế hoạch và in ra các nhiệm vụ (mỗi dòng một lượt giao việc)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--year", type=int, default=None, help="năm của kế hoạch")

    def handle(self, *args, **options):
        if self.stdout._out is sys.stdout and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        parsed = load_plan(options["path"], options["year"])
        rows = assignment_rows(parsed, agency_directory())
        if options["format"] == "json":
            out = [
                {key: row[key] for key in [*CSV_FIELDS, "line", "period", "due_date"]}
                for row in rows
            ]
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_FIELDS)
        for row in rows:
            writer.writerow([row[key] for key in CSV_FIELDS])
        self.stdout.write(buffer.getvalue(), ending="")
        for line, message in parsed.warnings:
            where = f"dòng {line}: " if line else ""
            self.stderr.write(f"{where}{message}")
