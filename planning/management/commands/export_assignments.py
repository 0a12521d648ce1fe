"""Export assignments as the tracker sheet, ready to edit and import back.

    python manage.py export_assignments [--plan NUMBER] --output FILE.xlsx|FILE.csv
                                        [--user USERNAME]

With --user the export holds only what that user may see (an officer: the
agency's own assignments); without it, everything.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from planning.models import Assignment
from planning.spreadsheets import writers
from planning.spreadsheets.resources import AssignmentResource
from planning.spreadsheets.views import export_rows


class Command(BaseCommand):
    help = "Xuất nhiệm vụ được giao ra bảng tính (.xlsx, .csv) theo mẫu nhập."

    def add_arguments(self, parser):
        parser.add_argument(
            "--plan", help="số kế hoạch, ví dụ 192/KH-UBND hoặc '192/KH-UBND (2022)'"
        )
        parser.add_argument("--output", required=True, help="tệp .xlsx hoặc .csv")
        parser.add_argument("--user", help="chỉ xuất những gì người dùng này được xem")

    def handle(self, *args, plan=None, output, user=None, **options):
        fmt = Path(output).suffix.lower().lstrip(".")
        if fmt not in writers.CONTENT_TYPES:
            raise CommandError("Tệp xuất phải có đuôi .xlsx hoặc .csv")
        queryset = Assignment.objects.all()
        if user:
            account = User.objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"Không có người dùng {user}")
            queryset = queryset.visible_to(account)
        if plan:
            number, year = AssignmentResource._split_plan(plan.strip())
            queryset = queryset.filter(plan__number=number)
            if year:
                queryset = queryset.filter(plan__year=year)
            if not queryset.exists():
                raise CommandError(f"Không có nhiệm vụ nào của kế hoạch {plan}")
        headers, rows = export_rows(queryset)
        Path(output).write_bytes(writers.write(fmt, headers, rows))
        self.stdout.write(f"Đã xuất {len(rows)} dòng vào {output}")
