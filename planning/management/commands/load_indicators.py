"""`load_indicators 192/KH-UBND FILE`: read a plan's tables of targets from its text and save them.

Prints every warning (repaired codes, mixed decimal separators, sums that do
not add up, agencies not in the registry); a second run updates in place and
keeps the results already recorded.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planning.indicators.services import save_indicators

from .indicator_report import plan_by_number


class Command(BaseCommand):
    help = "Đọc các bảng chỉ tiêu (PAR INDEX, SIPAS) từ văn bản kế hoạch và lưu lại."

    def add_arguments(self, parser):
        parser.add_argument("plan_number", help="Số, ký hiệu kế hoạch, ví dụ 192/KH-UBND")
        parser.add_argument("file", nargs="?", help="Tệp văn bản; mặc định: toàn văn đã lưu")
        parser.add_argument("--year", type=int)

    def handle(self, *args, **options):
        plan = plan_by_number(options["plan_number"], options["year"])
        if options["file"]:
            text = Path(options["file"]).read_text(encoding="utf-8")
        else:
            text = plan.source_text
        saved = save_indicators(plan=plan, text=text)
        if not saved.sets:
            raise CommandError("Không tìm thấy bảng chỉ tiêu nào trong văn bản.")
        for warning in saved.warnings:
            self.stdout.write(f"Cảnh báo: {warning}")
        summary = ", ".join(f"{s.title}: {s.indicators.count()} dòng" for s in saved.sets)
        self.stdout.write(f"Đã lưu chỉ tiêu của Kế hoạch {plan.number}: {summary}.")
