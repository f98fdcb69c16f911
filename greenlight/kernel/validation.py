"""What any input must satisfy before it reaches a service, one rule per kind of value.

Forms (`EdgeChecks`) and the API (`kernel/api_input.py`) ask the same functions, so a value a
page refuses the API refuses too, with the same reason in the user's language. Each function
returns the reason a value is refused, or None when it is acceptable.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from django.utils.translation import gettext as _

# A plausible window for every date a person types: no project of the platform started before
# 1990 nor plans past the century (0001-01-01 or 9999-12-31 overflow the working-day arithmetic).
MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)
# Real time-zone offsets run from -12:00 to +14:00; Python accepts anything below 24 hours.
MAX_OFFSET = dt.timedelta(hours=14)
# PostgreSQL `integer`, the type of every count, limit and day column (and SQLite's ids fit).
INT_MIN, INT_MAX = -2_147_483_648, 2_147_483_647
# The widest money column is DecimalField(max_digits=14, decimal_places=2): below 10^12.
DECIMAL_LIMIT = Decimal("1e12")
# A day limit (statutory or committed): no approval takes ten years of days.
LIMIT_MAX = 3650
# Fields that name a year (targets, pools, matching runs, reports) stay in the date window.
YEAR_FIELDS = frozenset({"year"})
# Free text (opinions, comments, findings): columns are TEXT, but a page of text is plenty.
TEXT_MAX = 10_000
# C0 controls but tab, line feed and carriage return; DEL and the C1 controls. NUL breaks
# PostgreSQL, the rest break Excel exports and terminals.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Date pairs whose second may not come before the first, by field name (forms and API alike).
ORDERED_PAIRS = (
    ("start", "end"),
    ("starts_at", "ends_at"),
    ("actual_start", "completed_on"),
    ("starts_on", "ends_on"),
    ("start_date", "end_date"),
    ("date_from", "date_to"),
    ("since", "until"),
    ("planned_start", "planned_completion"),
    ("started_on", "completed_on"),
    ("construction_start", "completion"),
)


def text_problem(value: str, *, max_length: int = TEXT_MAX) -> str | None:
    """Why `value` is no acceptable text: a control character or more than `max_length`."""
    if _CONTROL.search(value):
        return _("contains a control character (such as NUL); remove it")
    if len(value) > max_length:
        return _("at most %(n)s characters") % {"n": max_length}
    return None


def date_problem(value: dt.date) -> str | None:
    """Why `value` is no plausible date: outside MIN_DATE..MAX_DATE."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        return _("must be a date between %(min)s and %(max)s") % {
            "min": MIN_DATE.isoformat(),
            "max": MAX_DATE.isoformat(),
        }
    return None


def datetime_problem(value: dt.datetime) -> str | None:
    """Why `value` is no plausible moment: an offset beyond ±14:00 or a date out of the window."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        return _("the time-zone offset must be within ±14:00")
    return date_problem(value)


def int_problem(value: int) -> str | None:
    """Why `value` does not fit an integer column."""
    if not INT_MIN <= value <= INT_MAX:
        return _("must be between %(min)s and %(max)s") % {"min": INT_MIN, "max": INT_MAX}
    return None


def number_problem(value: Decimal | float) -> str | None:
    """Why `value` does not fit a money or quantity column: not finite, or 10^12 or more."""
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite:
        return _("must be a finite number")
    if abs(value) >= DECIMAL_LIMIT:
        return _("must be less than %(max)s in absolute value") % {"max": "1000000000000"}
    return None


def year_problem(value: int) -> str | None:
    """Why `value` is no year of the date window."""
    if not MIN_DATE.year <= value <= MAX_DATE.year:
        return _("must be a year between %(min)s and %(max)s") % {
            "min": MIN_DATE.year,
            "max": MAX_DATE.year,
        }
    return None


def problem(value, *, name: str = "") -> str | None:
    """The reason `value` is refused, by its kind (text, date, moment, whole or decimal number;
    a whole number named `year` is a year)."""
    if isinstance(value, bool) or value is None:
        return None
    if name in YEAR_FIELDS and isinstance(value, int):
        return year_problem(value)
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, dt.datetime):
        return datetime_problem(value)
    if isinstance(value, dt.date):
        return date_problem(value)
    if isinstance(value, int):
        return int_problem(value)
    if isinstance(value, Decimal | float):
        return number_problem(value)
    return None


def order_problems(values: dict) -> dict[str, str]:
    """The later field of each ORDERED_PAIRS pair in `values` that comes before the earlier."""
    found = {}
    for first, second in ORDERED_PAIRS:
        a, b = values.get(first), values.get(second)
        if isinstance(a, dt.date) and isinstance(b, dt.date) and _comparable(a, b) and b < a:
            found[second] = _("may not be earlier than %(field)s") % {"field": first}
    return found


def _comparable(a: dt.date, b: dt.date) -> bool:
    """Dates with dates, aware moments with aware ones."""
    if isinstance(a, dt.datetime) != isinstance(b, dt.datetime):
        return False
    if isinstance(a, dt.datetime):
        return (a.tzinfo is None) == (b.tzinfo is None)
    return True


def clean_cell(value: str) -> str:
    """Text without the control characters `text_problem` refuses (for imports and exports)."""
    return _CONTROL.sub("", value)
