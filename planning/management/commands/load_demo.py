"""Load the demo: KH 192/KH-UBND, its agencies and demo accounts (idempotent)."""

from django.core.management.base import BaseCommand

from planning.demo import load_demo


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: Kế hoạch 192/KH-UBND, các cơ quan và tài khoản dùng thử."

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(
            f"Cơ quan mới: {result.agencies_created}; "
            f"kế hoạch {'mới tạo' if result.plan_created else 'đã có'}; "
            f"{result.assignments} nhiệm vụ được giao."
        )
        self.stdout.write("Tài khoản dùng thử (tên đăng nhập / mật khẩu):")
        for username, password, who in result.accounts:
            self.stdout.write(f"  {username:<18} {password}   {who}")
