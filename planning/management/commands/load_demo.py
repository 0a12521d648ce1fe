"""Load the demo: KH 192/KH-UBND, its agencies, demo accounts and a current-year
illustrative plan dated around today (idempotent)."""

from django.core.management.base import BaseCommand

from planning.demo import load_demo


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu: Kế hoạch 192/KH-UBND, các cơ quan, tài khoản dùng thử và "
        "một kế hoạch mẫu năm nay có thời hạn quanh ngày hôm nay."
    )

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(
            f"Cơ quan mới: {result.agencies_created}; "
            f"kế hoạch {'mới tạo' if result.plan_created else 'đã có'}; "
            f"{result.assignments} nhiệm vụ được giao."
        )
        if result.current_plan is not None:
            self.stdout.write(
                f"{result.current_plan.title}: "
                f"{'mới tạo' if result.current_plan_created else 'đã có'}."
            )
        self.stdout.write("Tài khoản dùng thử (tên đăng nhập / mật khẩu):")
        for username, password, who in result.accounts:
            self.stdout.write(f"  {username:<18} {password}   {who}")
