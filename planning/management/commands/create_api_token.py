"""Make an API token for another system; the token is printed once, never stored.

python manage.py create_api_token "Hệ thống báo cáo tỉnh"
python manage.py create_api_token "Phần mềm một cửa STP" --agency STP --write
"""

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from planning.api.tokens import create_token


class Command(BaseCommand):
    help = "Tạo mã truy cập API cho một hệ thống (in ra một lần duy nhất)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="tên hệ thống sử dụng")
        parser.add_argument("--agency", help="mã cơ quan: chỉ thấy nhiệm vụ của cơ quan này")
        parser.add_argument("--write", action="store_true", help="được báo cáo tiến độ, hoàn thành")

    def handle(self, *args, name, agency=None, write=False, **options):
        found = None
        if agency:
            found = Agency.objects.filter(code__iexact=agency).first()
            if found is None:
                raise CommandError(f"Không có cơ quan mã “{agency}”.")
        try:
            token, key = create_token(name=name, agency=found, can_write=write)
        except ValueError as error:
            raise CommandError(str(error)) from None
        scope = f"cơ quan {found.code}" if found else "mọi kế hoạch đã ban hành"
        rights = "đọc và ghi" if write else "chỉ đọc"
        self.stderr.write(f"Đã tạo mã cho “{token.name}” ({scope}, {rights}). Lưu lại ngay:")
        self.stdout.write(key)
