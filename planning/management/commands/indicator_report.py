"""`indicator_report 192/KH-UBND [--as-of YYYY-MM-DD] --format csv|xlsx|pdf --output FILE`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from planning.indicators.report import RENDERERS
from planning.models import Plan


def plan_by_number(number: str, year: int | None = None) -> Plan:
    """The plan with this number (the newest when several years share it)."""
    plans = Plan.objects.filter(number__iexact=number.strip())
    if year:
        plans = plans.filter(year=year)
    plan = plans.order_by("-year").first()
    if plan is None:
        raise CommandError(f"Không tìm thấy kế hoạch số {number}.")
    return plan


class Command(BaseCommand):
    help = "Xuất báo cáo chỉ tiêu (PAR INDEX, SIPAS) của một kế hoạch ra CSV, Excel hoặc PDF."

    def add_arguments(self, parser):
        parser.add_argument("plan_number", help="Số, ký hiệu kế hoạch, ví dụ 192/KH-UBND")
        parser.add_argument("--year", type=int, help="Năm của kế hoạch, khi số bị trùng")
        parser.add_argument("--as-of", type=date.fromisoformat, help="Tính đến ngày YYYY-MM-DD")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="csv")
        parser.add_argument("--output", required=True, help="Tệp kết quả ('-' : màn hình, CSV)")

    def handle(self, *args, **options):
        plan = plan_by_number(options["plan_number"], options["year"])
        if not plan.indicator_sets.exists():
            raise CommandError(f"Kế hoạch số {plan.number} chưa có chỉ tiêu nào.")
        as_of = options["as_of"] or timezone.localdate()
        content = RENDERERS[options["format"]](plan, as_of)
        if options["output"] == "-":
            if options["format"] != "csv":
                raise CommandError("Chỉ in được CSV ra màn hình; hãy dùng --output TỆP.")
            self.stdout.write(content.decode("utf-8-sig"), ending="")
            return
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"Đã ghi {options['output']} ({len(content)} byte).")
