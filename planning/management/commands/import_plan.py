"""Parse a plan document and save it, tasks and assignments, in one transaction.

    python manage.py import_plan plan.docx [--dry-run] [--year 2022] [--draft]

Agencies the registry does not know are created as written (and listed), as a
reviewer would accept them; --dry-run prints what would be saved and saves nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from agencies.matching import AgencyDirectory
from planning.models import Plan
from planning.parsing.importing import PlanExists, reviewed_rows, save_plan

from .parse_plan import load_plan


class Command(BaseCommand):
    help = "Nhập kế hoạch từ văn bản (.txt, .docx, .pdf) vào hệ thống."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="chỉ đọc, không lưu")
        parser.add_argument("--year", type=int, default=None, help="năm của kế hoạch")
        parser.add_argument("--number", default="", help="số, ký hiệu nếu văn bản không ghi")
        parser.add_argument("--draft", action="store_true", help="lưu ở trạng thái dự thảo")

    def handle(self, *args, **options):
        parsed = load_plan(options["path"], options["year"])
        header = parsed.header
        number = options["number"] or header.number
        if not number:
            raise CommandError("Văn bản không ghi số, ký hiệu: hãy dùng --number.")
        directory = AgencyDirectory()
        rows = reviewed_rows(parsed, directory)
        unknown = sorted({r.new_agency_name for r in rows if r.agency is None})
        for line, message in parsed.warnings:
            self.stderr.write(f"{'dòng ' + str(line) + ': ' if line else ''}{message}")
        summary = (
            f"Kế hoạch {number} năm {parsed.year}: {len({(r.line, r.title) for r in rows})} "
            f"nhiệm vụ, {len(rows)} lượt giao việc"
        )
        if unknown:
            summary += f"; cơ quan mới: {', '.join(unknown)}"
        if options["dry_run"]:
            self.stdout.write(f"{summary} (chạy thử, chưa lưu).")
            return
        try:
            plan = save_plan(
                number=number,
                year=parsed.year,
                title=header.title,
                issuing_body=header.issuing_body,
                place=header.place,
                issued_on=header.issued_on,
                signer=header.signer,
                source_text=parsed.text,
                status=Plan.Status.DRAFT if options["draft"] else Plan.Status.ACTIVE,
                rows=rows,
            )
        except PlanExists as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{summary}. Đã lưu (mã {plan.pk})."))
