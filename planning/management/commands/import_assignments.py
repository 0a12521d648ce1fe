"""Import a tracker sheet (.xlsx or .csv) from a script: all rows or none.

    python manage.py import_assignments FILE [--dry-run] [--user USERNAME]

Problems are printed one per line ("Dòng 14, cột 'Cơ quan chủ trì': …") and the
command exits non-zero when there are any; progress goes to stderr.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from planning.spreadsheets.services import import_file


class Command(BaseCommand):
    help = "Nhập nhiệm vụ được giao từ bảng tính (.xlsx, .csv): tất cả hoặc không dòng nào."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ kiểm tra, không lưu gì vào cơ sở dữ liệu"
        )
        parser.add_argument("--user", help="tên đăng nhập ghi vào lịch sử thay đổi")

    def handle(self, *args, file, dry_run, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Không có người dùng {user}")

        def progress(processed: int, total: int) -> None:
            self.stderr.write(f"Đã xử lý {processed}/{total} dòng")

        report = import_file(
            name=path.name,
            content=path.read_bytes(),
            user=actor,
            dry_run=dry_run,
            progress=progress,
        )
        for problem in report.problems:
            self.stdout.write(str(problem))
        self.stdout.write(("Kiểm tra (không lưu): " if dry_run else "") + report.summary())
        if report.problems:
            raise CommandError(
                f"{len(report.problems)} lỗi; "
                + ("tệp chưa thể nhập." if dry_run else "không có gì được lưu.")
            )
