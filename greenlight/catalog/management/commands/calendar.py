"""`greenlight calendar seed|import FILE.csv`: fill and extend the working-day calendar table.

`seed` copies every year the `chinesecalendar` package knows (idempotent; edits win).
`import` reads a `date,is_workday,note` CSV, all or nothing; its years become known, the days
the file does not list are filled as plain weekdays and weekends. Errors exit with code 2, one
line per problem naming the row and column.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from greenlight.catalog import calendars


class Command(BaseCommand):
    help = "Seed the working-day calendar from the package, or import a year from a CSV file."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("seed", help="copy every year the chinesecalendar package knows")
        load = actions.add_parser("import", help="import days from a date,is_workday,note CSV")
        load.add_argument("file", metavar="FILE.csv")

    def handle(self, *args, action, **options):
        if action == "seed":
            calendars.seed_from_package(stdout=self.stdout)
            return
        try:
            report = calendars.import_csv(options["file"])
        except calendars.CalendarImportError as exc:
            self.stderr.write(f"calendar not imported: {len(exc.lines)} problem(s)")
            for line in exc.lines:
                self.stderr.write(f"  {line}")
            sys.exit(2)
        for line in report.lines():
            self.stdout.write(self.style.SUCCESS(line))
