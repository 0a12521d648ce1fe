"""Build the benchmark data set: `manage.py generate_data --agencies 600 --plans 50
--assignments 100000 --seed 1`. The work is in planning.generate."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from planning.generate import DEFAULT_TODAY, generate


class Command(BaseCommand):
    help = "Sinh dữ liệu thử nghiệm (cơ quan, kế hoạch, nhiệm vụ) có thể lặp lại theo seed."

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=600)
        parser.add_argument("--plans", type=int, default=50)
        parser.add_argument("--assignments", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=DEFAULT_TODAY,
            help=f"Ngày tham chiếu (YYYY-MM-DD), mặc định {DEFAULT_TODAY.isoformat()}.",
        )
        parser.add_argument(
            "--replace", action="store_true", help="Xoá dữ liệu đã sinh lần trước rồi sinh lại."
        )

    def handle(self, *args, **options):
        try:
            summary = generate(
                agencies=options["agencies"],
                plans=options["plans"],
                assignments=options["assignments"],
                seed=options["seed"],
                today=options["today"],
                replace=options["replace"],
                progress=lambda message: self.stdout.write(f"… {message}"),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(line)
