"""One reminder sweep, as the schedule runs it; can be run as a cron job too."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from notifications.models import Notification
from notifications.sweep import retry_now, sweep


class Command(BaseCommand):
    help = "Queue and send the reminders due today (exactly once); prints counts per kind."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to sweep for, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be queued; send nothing"
        )
        parser.add_argument(
            "--retry-now",
            action="store_true",
            help="retry every copy the mail server refused for now, at once "
            "(after fixing the server); queues nothing new",
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        if today:
            try:
                today = date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today must be YYYY-MM-DD, got {today!r}") from None
        retrying = options.get("retry_now", False)
        if retrying and dry_run:
            raise CommandError("--retry-now sends; it cannot be combined with --dry-run")
        if retrying:
            result = retry_now(today=today)
            self.stdout.write(
                f"Retry for {result.today.isoformat()}: {result.retried} copies due now"
            )
        else:
            result = sweep(today=today, dry_run=dry_run)
            title = "Dry run" if dry_run else "Sweep"
            self.stdout.write(f"{title} for {result.today.isoformat()}")
        for kind, label in Notification.Kind.choices:
            if dry_run:
                self.stdout.write(
                    f"{kind} ({label}): would queue {result.queued[kind]}, "
                    f"pending {result.pending[kind]}"
                )
            else:
                line = f"{kind} ({label}): queued {result.queued[kind]}, sent {result.sent[kind]}"
                if result.failed[kind]:
                    line += f", failed {result.failed[kind]}"
                if result.skipped[kind]:
                    line += f", skipped {result.skipped[kind]}"
                self.stdout.write(line)
        if not dry_run:
            copies = result.copies
            self.stdout.write(
                f"copies: sent {copies['sent']}, deferred {copies['deferred']}, "
                f"refused {copies['refused']}"
            )
