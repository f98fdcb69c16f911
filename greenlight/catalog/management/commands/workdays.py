"""`greenlight workdays add|count|check`: working-day arithmetic on the platform's calendar.

    greenlight workdays add 2026-09-30 1        -> 2026-10-09 (the 1st working day after)
    greenlight workdays count 2026-10-01 2026-10-31
    greenlight workdays check 2026-10-10        -> 2026-10-10 makeup_workday 国庆节

Bad input exits with code 2 and one line on stderr. Years without holiday data are counted with
weekends only and warned about on stderr (refused with --strict-calendar).
"""

from __future__ import annotations

import re
import sys
from datetime import date

from django.core.management.base import BaseCommand

from greenlight.catalog import calendars
from greenlight.engine.calendar import CalendarError

MAX_DAYS = 10_000  # ~40 years of working days: far beyond any approval limit
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _BadInput(Exception):
    """An argument the command refuses, with the reason."""


class Command(BaseCommand):
    help = "Working-day arithmetic: add N working days, count them, or check one date."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="the N-th working day after DATE (DATE not counted)")
        add.add_argument("date", metavar="DATE")
        add.add_argument("n", metavar="N", help="working days; negative counts back")
        count = actions.add_parser("count", help="working days from A to B, both included")
        count.add_argument("first", metavar="A")
        count.add_argument("last", metavar="B")
        check = actions.add_parser("check", help="what kind of day DATE is, and why")
        check.add_argument("date", metavar="DATE")
        for sub in (add, count, check):
            sub.add_argument(
                "--strict-calendar",
                action="store_true",
                help="refuse dates in years without holiday data instead of warning",
            )

    def handle(self, *args, action, strict_calendar=False, **options):
        calendar = calendars.current()
        calendar = calendar.strictly() if strict_calendar else calendar
        try:
            if action == "add":
                day, n = _date(options["date"]), _count(options["n"])
                answer = calendar.add_workdays(day, n)
                span = (day, answer)
            elif action == "count":
                first, last = _date(options["first"]), _date(options["last"])
                answer, span = calendar.count_workdays(first, last), (first, last)
            else:
                day = _date(options["date"])
                info = calendar.describe(day)
                answer, span = f"{day} {info.kind} {info.note}".rstrip(), (day,)
            warnings = calendar.warnings_for(min(span), max(span))
        except (_BadInput, CalendarError) as exc:
            self.stderr.write(f"workdays: {exc}")
            sys.exit(2)
        self.stdout.write(str(answer))
        for warning in warnings:
            self.stderr.write(f"warning: {warning}")


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text) if _ISO_DATE.match(text) else None
    except ValueError:
        day = None
    if day is None:
        raise _BadInput(f'bad date "{text}" (use YYYY-MM-DD)')
    if not 1901 <= day.year <= 2199:
        raise _BadInput(f"date {day} out of range (1901-2199)")
    return day


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise _BadInput(f'N must be a whole number, got "{text}"') from None
    if abs(n) > MAX_DAYS:
        raise _BadInput(f"N must be between -{MAX_DAYS} and {MAX_DAYS}, got {n}")
    return n
