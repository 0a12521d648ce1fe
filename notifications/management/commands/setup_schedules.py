"""Install or update the periodic jobs declared in notifications.schedules (idempotent)."""

from django.core.management.base import BaseCommand

from notifications.schedules import ensure_schedules


class Command(BaseCommand):
    help = "Create or update the django-q2 schedules declared in code (never deletes others)."

    def handle(self, *args, **options):
        for name, outcome in ensure_schedules():
            self.stdout.write(f"{name}: {outcome}")
