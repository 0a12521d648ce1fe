"""Import a tracker sheet (.xlsx or .csv) from a script: all rows or none.

    python manage.py import_assignments FILE [--dry-run] [--allow-new-plans] [--user USERNAME]

Problems are printed one per line ("Dòng 14, cột 'Kế hoạch': …") and the command
exits non-zero when there are any; progress goes to stderr. A file that names a
plan the database lacks is refused unless `--allow-new-plans` is given: a typo
in "Kế hoạch" would otherwise create a plan in every officer's inbox.
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
        parser.add_argument(
            "--allow-new-plans",
            action="store_true",
            help="cho phép tạo kế hoạch chưa có trong hệ thống (mặc định: từ chối tệp)",
        )
        parser.add_argument("--user", help="tên đăng nhập ghi vào lịch sử thay đổi")

    def handle(self, *args, file, dry_run, allow_new_plans=False, user=None, **options):
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
            allow_new_plans=allow_new_plans,
            progress=progress,
        )
        for problem in report.problems:
            self.stdout.write(str(problem))
        if report.new_plans:
            verb = "sẽ tạo" if dry_run or not report.ok else "đã tạo"
            self.stdout.write(f"Kế hoạch mới {verb} ({len(report.new_plans)}):")
            for plan in report.new_plans:
                self.stdout.write(f"  {plan.describe()}")
        self.stdout.write(("Kiểm tra (không lưu): " if dry_run else "") + report.summary())
        if report.problems:
            message = f"{len(report.problems)} lỗi; " + (
                "tệp chưa thể nhập." if dry_run else "không có gì được lưu."
            )
            if report.new_plans and not allow_new_plans:
                labels = ", ".join(plan.label for plan in report.new_plans)
                message += (
                    f" Tệp tạo {len(report.new_plans)} kế hoạch chưa có trong hệ thống: "
                    f"{labels}. Nếu đúng là kế hoạch mới, hãy chạy lại với --allow-new-plans; "
                    "nếu là lỗi gõ, hãy sửa cột 'Kế hoạch'."
                )
            raise CommandError(message)
