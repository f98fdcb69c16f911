"""`greenlight plan FILE [--json] [--strict-calendar]`: schedule a YAML/JSON plan file.

Prints the table by department with the summary line (`串联 141 天 → 并联 90 天，节省 51 天`) and
any calendar warnings, or the JSON document with `--json`. Bad input exits with code 2 and one
line on stderr naming the file line, the task and the problem, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from greenlight.catalog import calendars
from greenlight.engine import planfile, report
from greenlight.engine.calendar import CalendarError


class Command(BaseCommand):
    help = "Schedule a plan file (YAML or JSON): dates, float, critical path, serial vs parallel."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="plan file (YAML or JSON); - reads standard input")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the JSON document"
        )
        parser.add_argument(
            "--strict-calendar",
            action="store_true",
            help="refuse dates in years without holiday data instead of warning",
        )

    def handle(self, *args, file, as_json=False, strict_calendar=False, **options):
        name = "stdin" if file == "-" else file
        try:
            plan = planfile.load(_read(file))
            calendar = calendars.current()
            result = planfile.run(plan, calendar.strictly() if strict_calendar else calendar)
        except planfile.PlanError as exc:
            self._fail(f"{name}: {exc}")
        except CalendarError as exc:
            self._fail(f"{name}: {exc} (--strict-calendar)")
        except _Unreadable as exc:
            self._fail(f"{name}: {exc}")
        if as_json:
            self.stdout.write(
                json.dumps(report.to_json(plan, result), ensure_ascii=False, indent=2)
            )
        else:
            self.stdout.write(report.render_text(plan, result), ending="")

    def _fail(self, line: str) -> None:
        self.stderr.write(f"plan: {line}")
        sys.exit(2)


class _Unreadable(Exception):
    """The plan file cannot be read (missing, a directory, not UTF-8)."""


def _read(file: str) -> str:
    try:
        if file == "-":
            return sys.stdin.read()
        return Path(file).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _Unreadable("no such file") from None
    except IsADirectoryError:
        raise _Unreadable("is a directory, not a plan file") from None
    except UnicodeDecodeError:
        raise _Unreadable("not a text file in UTF-8") from None
    except OSError as exc:
        raise _Unreadable(f"cannot read: {exc.strerror or exc}") from None
