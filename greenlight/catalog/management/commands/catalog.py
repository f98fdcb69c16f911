"""`greenlight catalog load [FILE]`: load the approval catalog from YAML (the seed by default)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from greenlight.catalog import seeding


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = (
        "Load the approval catalog (matters, templates, bundles) from a YAML file, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("file", nargs="?", default=None, help="YAML file (default: the seed)")

    def handle(self, *args, action, file, **options):
        try:
            report = seeding.load_catalog(file)
        except seeding.CatalogError as exc:
            self.stderr.write(f"catalog not loaded: {len(exc.problems)} problem(s)")
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise SystemExit(2) from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"catalog loaded from {file or seeding.DEFAULT_PATH}: "
                f"{report.created} created, {report.updated} updated"
            )
        )
