"""`greenlight analytics refresh [--all]`: bring the bottleneck fact table up to date.

Without `--all` it does what the tick does (approvals decided or changed since the last run);
with `--all` it rebuilds every decided case's facts (after a calendar change, or a bulk load).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from greenlight.analytics import casefacts
from greenlight.kernel.progress import Progress


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "Analytics maintenance: `refresh [--all]` updates the per-case fact table."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh"], help="refresh the fact table")
        parser.add_argument(
            "--all", action="store_true", dest="everything", help="rebuild every decided case"
        )

    def handle(self, *args, action, everything=False, **options):
        if action != "refresh":  # pragma: no cover - argparse refuses it first
            raise CommandError(action)
        t0 = time.monotonic()
        if everything:
            counts = casefacts.refresh_all(
                progress_factory=lambda total: Progress("facts", total, stream=self.stderr._out)
            )
        else:
            counts = casefacts.refresh_changed()
        self.stdout.write(
            f"{counts['facts']} facts of {counts['projects']} projects in {time.monotonic() - t0:.1f} s"
        )
