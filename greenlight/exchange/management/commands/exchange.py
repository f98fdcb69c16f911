"""`greenlight exchange import FILE | pull | push | export FILE [--as USERNAME]`: the data
exchange with the 工改 system from the command line.

`import` applies an Excel, CSV or JSON file of the national tables row by row (a bad row fails
alone; the run lists it with its reason and the command exits 2); `pull` and `push` talk to
EXCHANGE_URL; `export` writes the region's tables as JSON. Acting as `--as`, else EXCHANGE_ACTOR,
else the one active coordinator. A long run shows its progress on stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from greenlight.accounts import selectors as account_selectors
from greenlight.accounts.models import User
from greenlight.exchange import services
from greenlight.exchange.choices import Source
from greenlight.kernel.errors import DomainError


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "Exchange the national data-sharing tables: import FILE, pull, push, export FILE."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import", help="apply an .xlsx, .csv or .json file")
        load.add_argument("file", metavar="FILE")
        out = actions.add_parser("export", help="write the region's tables as JSON")
        out.add_argument("file", metavar="FILE.json")
        actions.add_parser("pull", help="fetch and apply the tables of EXCHANGE_URL")
        actions.add_parser("push", help="send new and changed rows to EXCHANGE_URL")
        for sub in actions.choices.values():
            sub.add_argument("--as", dest="username", metavar="USERNAME")

    def handle(self, *args, action, username=None, file=None, **options):
        translation.activate("zh-hans")
        actor = self._actor(username or getattr(settings, "EXCHANGE_ACTOR", ""))
        stream = self.stderr._out
        try:
            if action == "import":
                try:
                    data = Path(file).read_bytes()
                except OSError as exc:
                    self._fail([f"{file}: {exc.strerror}"])
                run = services.import_file(
                    data=data,
                    name=Path(file).name,
                    actor=actor,
                    source=Source.COMMAND,
                    progress=stream,
                )
            elif action == "export":
                run, doc = services.export(actor=actor)
                Path(file).write_text(json.dumps(doc, ensure_ascii=False, indent=1), "utf-8")
            else:
                run = getattr(services, action)(actor=actor, progress=stream)
        except DomainError as exc:
            self._fail([f"{exc.field or '—'}: {exc.message}"])
        self.stdout.write(
            f"run {run.pk}: {run.total} rows, {run.applied} applied, "
            f"{run.unchanged} unchanged, {run.failed} failed"
        )
        for row in run.rows.filter(outcome="failed").order_by("number"):
            self.stderr.write(f"  {row.table} row {row.number}, {row.field or '—'}: {row.reason}")
        if run.message:
            self.stderr.write(f"  {run.message}")
        if run.failed or run.message:
            sys.exit(2)

    def _actor(self, username: str) -> User:
        user, reason = account_selectors.acting_coordinator(username)
        if user is None:
            self._fail([reason])
        return user

    def _fail(self, lines: list[str]):
        self.stderr.write("exchange failed")
        for line in lines:
            self.stderr.write(f"  {line}")
        sys.exit(2)
