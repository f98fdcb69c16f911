"""`greenlight analytics refresh [--all]`: bring the bottleneck fact table up to date.

Without `--all` it does what the tick does (approvals decided or changed since the last run);
with `--all` it rebuilds every decided case's facts (after a calendar change, or a bulk load).

`greenlight analytics investment [--check]`: rebuild the monthly investment totals from the
reports (after a bulk load that bypassed the services), or only compare them (exit 1 when a
cell differs, each named).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from greenlight.analytics import casefacts
from greenlight.kernel.progress import Progress
from greenlight.projects import totals


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = (
        "Analytics maintenance: `refresh [--all]` updates the per-case fact table; "
        "`investment [--check]` rebuilds (or checks) the monthly investment totals."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=["refresh", "investment"],
            help="refresh the fact table, or rebuild the monthly investment totals",
        )
        parser.add_argument(
            "--all", action="store_true", dest="everything", help="rebuild every decided case"
        )
        parser.add_argument(
            "--check", action="store_true", help="only compare the totals with the reports"
        )

    def handle(self, *args, action, everything=False, check=False, **options):
        t0 = time.monotonic()
        if action == "investment":
            self._investment(check=check, t0=t0)
            return
        if action != "refresh":  # pragma: no cover - argparse refuses it first
            raise CommandError(action)
        if everything:
            counts = casefacts.refresh_all(
                progress_factory=lambda total: Progress("facts", total, stream=self.stderr._out)
            )
        else:
            counts = casefacts.refresh_changed()
        self.stdout.write(
            f"{counts['facts']} facts of {counts['projects']} projects in {time.monotonic() - t0:.1f} s"
        )

    def _investment(self, *, check: bool, t0: float) -> None:
        if not check:
            cells = totals.rebuild()
            self.stdout.write(f"{cells} monthly totals in {time.monotonic() - t0:.1f} s")
            return
        wrong = totals.differences()
        for d in wrong[:50]:
            self.stdout.write(f"{d['cell']}: stored {d['stored']}, reports {d['reports']}")
        if wrong:
            raise CommandError(f"{len(wrong)} monthly totals differ from the reports")
        self.stdout.write(f"the monthly totals match the reports ({time.monotonic() - t0:.1f} s)")
