"""Write a plan's progress report: PDF, Excel workbook or summary CSV.

    python manage.py progress_report 192/KH-UBND --as-of 2022-09-30 --format csv --output kq.csv

Runs in its own process, so long reports need no task queue here (the
dashboard queues long PDFs with django-q2 instead). Can be run as a cronjob.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agencies.models import Agency
from planning.models import Plan
from planning.reports.document import build_report
from planning.reports.output import render
from planning.reports.statistics import ReportFilters


class Command(BaseCommand):
    help = "Báo cáo kết quả thực hiện kế hoạch (pdf, xlsx hoặc csv)."

    def add_arguments(self, parser):
        parser.add_argument("plan_number", help="Số kế hoạch, ví dụ 192/KH-UBND")
        parser.add_argument("--year", type=int, help="Năm của kế hoạch, khi số bị trùng")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--agency", help="Mã cơ quan chủ trì, ví dụ STP")
        parser.add_argument("--format", dest="fmt", required=True, choices=["pdf", "xlsx", "csv"])
        parser.add_argument("--output", required=True, help="Tệp kết quả")

    def handle(self, *args, plan_number, year, as_of, agency, fmt, output, **options):
        plans = Plan.objects.filter(number=plan_number)
        if year:
            plans = plans.filter(year=year)
        found = list(plans[:2])
        if not found:
            raise CommandError(f"Không tìm thấy kế hoạch {plan_number}.")
        if len(found) > 1:
            raise CommandError(f"Có nhiều kế hoạch số {plan_number}; chọn năm bằng --year.")
        try:
            as_of_date = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of phải có dạng YYYY-MM-DD, không phải {as_of!r}.") from None
        agency_obj = None
        if agency:
            agency_obj = Agency.objects.filter(code__iexact=agency).first()
            if agency_obj is None:
                raise CommandError(f"Không có cơ quan mã {agency}.")
        filters = ReportFilters(as_of=as_of_date, plan=found[0], agency=agency_obj)
        report = build_report(user=None, filters=filters)
        with open(output, "wb") as fh:
            fh.write(render(report, fmt))
        self.stdout.write(f"{report.stats.total.rollup.summary} → {output}")
