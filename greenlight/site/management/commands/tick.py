"""`greenlight tick [--now ISO]`: run the periodic jobs once (idempotent)."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from greenlight.site import tick


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "Run the periodic jobs once: deadline reminders, escalations, webhook deliveries."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this moment (ISO 8601), for testing")

    def handle(self, *args, now, **options):
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now: {now!r} is not an ISO 8601 date and time") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        results = tick.run(now=moment)
        if results is None:
            self.stdout.write("another process is running the tick; nothing done")
            return
        for job, counts in results.items():
            summary = ", ".join(f"{k} {v}" for k, v in counts.items()) or "nothing to do"
            self.stdout.write(f"{job}: {summary}")
