"""Write a plan's progress report: PDF, Excel workbook or summary CSV.

    python manage.py progress_report 192/KH-UBND --as-of 2022-09-30 --format csv --output kq.csv
    python manage.py progress_report 192/KH-UBND --period 2022-Q3 --format pdf --output q3.pdf

`--period` (2022-08, 2022-Q3, 2022-H1, 2022-9M, 2022) is a reporting period
of Nghị định 09/2019 (planning/reports/periods.py): the figures are as of its
cut-off, with its window's figures, compared with `--compare` (the previous
period by default).

Runs in its own process, so long reports need no task queue here (the
dashboard queues long PDFs with django-q2 instead). Can be run as a cronjob.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agencies.models import Agency
from planning.models import Plan
from planning.reports.document import build_report, window_line
from planning.reports.output import render
from planning.reports.periods import parse_period
from planning.reports.statistics import ReportFilters

PERIOD_HELP = "2022-08, 2022-Q3, 2022-H1, 2022-9M hoặc 2022"


class Command(BaseCommand):
    help = "Báo cáo kết quả thực hiện kế hoạch (pdf, xlsx hoặc csv)."

    def add_arguments(self, parser):
        parser.add_argument("plan_number", help="Số kế hoạch, ví dụ 192/KH-UBND")
        parser.add_argument("--year", type=int, help="Năm của kế hoạch, khi số bị trùng")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--period", help=f"Kỳ báo cáo theo Nghị định 09/2019: {PERIOD_HELP}")
        parser.add_argument("--compare", help="Kỳ so sánh (mặc định: kỳ liền trước)")
        parser.add_argument("--agency", help="Mã cơ quan chủ trì, ví dụ STP")
        parser.add_argument("--format", dest="fmt", required=True, choices=["pdf", "xlsx", "csv"])
        parser.add_argument("--output", required=True, help="Tệp kết quả")

    def handle(self, *args, plan_number, year, as_of, agency, fmt, output, **options):
        reporting, compare = (_period(options.get(name), name) for name in ("period", "compare"))
        if reporting and as_of:
            raise CommandError("Chọn --period hoặc --as-of, không dùng cả hai.")
        if compare and not reporting:
            raise CommandError("--compare cần có --period.")
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
        if reporting:
            filters = ReportFilters.for_period(
                reporting, compare=compare, plan=found[0], agency=agency_obj
            )
        else:
            filters = ReportFilters(as_of=as_of_date, plan=found[0], agency=agency_obj)
        report = build_report(user=None, filters=filters)
        with open(output, "wb") as fh:
            fh.write(render(report, fmt))
        scope = f"{reporting.label} ({window_line(reporting)}): " if reporting else ""
        self.stdout.write(f"{scope}{report.stats.total.rollup.summary} → {output}")


def _period(value: str | None, name: str):
    if not value:
        return None
    period = parse_period(value)
    if period is None:
        raise CommandError(f"--{name} phải có dạng {PERIOD_HELP}, không phải {value!r}.")
    return period
