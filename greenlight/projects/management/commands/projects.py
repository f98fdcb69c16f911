"""`greenlight projects import FILE.xlsx [--dry-run] [--as USERNAME]`: register projects from Excel.

Every row goes through the registration service, as if registered by hand: its template's
approvals open and it is planned. The file is checked whole first; with any bad row nothing is
imported and the command exits with code 2, one line per problem naming row, column and reason.
`--dry-run` only checks. The import acts as `--as` (default: the one active coordinator).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from greenlight.accounts import selectors as account_selectors
from greenlight.accounts.models import User
from greenlight.kernel.errors import DomainError
from greenlight.kernel.progress import Progress
from greenlight.projects import importer


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "Register projects from an Excel file (all rows or none); `import FILE [--dry-run]`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import", help="register the projects of an .xlsx file")
        load.add_argument("file", metavar="FILE.xlsx")
        load.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        load.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="the coordinator the import acts as (default: the only active coordinator)",
        )

    def handle(self, *args, action, file, dry_run=False, username=None, **options):
        translation.activate("zh-hans")
        user = self._actor(username)
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            self._fail([f"{file}: {exc.strerror}"])

        def bar(total: int) -> Progress:
            return Progress("projects", total, stream=self.stderr._out)

        try:
            if dry_run:
                parsed = importer.parse(data, user=user, progress=bar)
                if not parsed.ok:
                    self._fail(
                        [f"row {e.row}, {e.column or '—'}: {e.reason}" for e in parsed.errors],
                        head=f"{len(parsed.errors)} problem(s); nothing would be imported",
                    )
                approvals = sum(len(r["matters"]) for r in parsed.rows)
                self.stdout.write(
                    f"dry run: {len(parsed.rows)} projects would be registered, "
                    f"{approvals} approvals opened (nothing written)"
                )
                return
            projects = importer.commit(data, user=user, progress=bar)
        except DomainError as exc:
            rows = exc.extra.get("errors") or []
            self._fail(
                [f"row {e['row']}, {e['column'] or '—'}: {e['reason']}" for e in rows]
                or [str(exc.message)],
                head=f"{len(rows) or 1} problem(s); nothing was imported",
            )
        approvals = sum(p.approvals.count() for p in projects)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(projects)} projects registered as {user.username}, "
                f"{approvals} approvals opened and planned"
            )
        )

    def _actor(self, username: str | None) -> User:
        user, reason = account_selectors.acting_coordinator(username)
        if user is None:
            self._fail([reason])
        return user

    def _fail(self, lines: list[str], *, head: str = "projects not imported"):
        self.stderr.write(head)
        for line in lines:
            self.stderr.write(f"  {line}")
        sys.exit(2)
