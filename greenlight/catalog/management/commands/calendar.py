"""`greenlight calendar seed|import FILE.csv`: fill and extend the working-day calendar table.

`seed` copies every year the `chinesecalendar` package knows (idempotent; edits win).
`import` reads a `date,is_workday,note` CSV, all or nothing; its years become known (no longer
provisional), the days the file does not list are filled as plain weekdays and weekends. Errors
exit with code 2, one line per problem naming the row and column.

Either one that writes days moves every running clock and plan to the new calendar at once (as
the notice page does) and prints what moved; the list stays at /calendar/changes/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from greenlight.catalog import calendars, changes


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "Seed the working-day calendar from the package, or import a year from a CSV file."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("seed", help="copy every year the chinesecalendar package knows")
        load = actions.add_parser("import", help="import days from a date,is_workday,note CSV")
        load.add_argument("file", metavar="FILE.csv")

    def handle(self, *args, action, **options):
        if action == "seed":
            change = changes.seed(stdout=self.stdout)
            if change is not None:
                self._moved(change)
            return
        path = options["file"]
        try:
            rows = calendars.read_csv(Path(path))
            change, report = changes.import_file(rows, name=path, actor=None)
        except calendars.CalendarImportError as exc:
            self.stderr.write(f"calendar not imported: {len(exc.lines)} problem(s)")
            for line in exc.lines:
                self.stderr.write(f"  {line}")
            sys.exit(2)
        for line in report.lines():
            self.stdout.write(self.style.SUCCESS(line))
        self._moved(change)

    def _moved(self, change) -> None:
        self.stdout.write(
            f"moved: {change.approvals} approval due dates, {change.tickets} ticket milestones, "
            f"{change.projects} project forecasts (/calendar/changes/{change.pk}/)"
        )
