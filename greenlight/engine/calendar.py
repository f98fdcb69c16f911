"""Working-day calendar: China's public holidays and 调休 makeup workdays, O(1) arithmetic.

Days are handled as integer ordinals (`date.toordinal()`). For a contiguous range of whole years
the calendar keeps, per unit ("workday" and "day"), three lists:

* `work`: the sorted ordinals of eligible days;
* `nxt[o - base]`: index in `work` of the first eligible day on or after `o`;
* `prv[o - base]`: index in `work` of the last eligible day on or before `o`.

so "first working day on or after", "n-th working day after" and "working days between" are list
look-ups instead of walks. The range grows lazily by whole years.

A year without holiday data (no State Council notice entered yet) is *provisional*: China's
calendars (`from_package`, `from_rows`) fill it with the statutory holidays of
《全国年节及纪念日放假办法》 (`holidays.provisional_holidays`: no 调休, no make-up working days,
holidays on weekends not moved); a year the decree does not cover (before 2025) is plain weekends.
Either kind is reported by `warnings_for` and refused in strict mode; `is_provisional_year` and
`DayInfo.provisional` tell the provisional days apart for pages and charts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from . import holidays

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

WORKDAY, WEEKEND, HOLIDAY, MAKEUP_WORKDAY = "workday", "weekend", "holiday", "makeup_workday"


class CalendarError(ValueError):
    """A strict calendar was asked about a year it has no holiday data for: `year`, and whether
    that year is `provisional` (decree holidays only) or weekends only."""

    def __init__(self, message: str, *, year: int | None = None, provisional: bool = False):
        super().__init__(message)
        self.year = year
        self.provisional = provisional


def provisional_warning(year: int) -> str:
    """The warning for a year whose holidays are provisional (no State Council notice yet)."""
    return (
        f"{year} 年为暂定日历：尚无国务院放假通知，仅按《全国年节及纪念日放假办法》计法定节假日，"
        "未含调休上班日与补假"
    )


@dataclass(frozen=True)
class DayInfo:
    """What kind of day a date is, and why (e.g. holiday 国庆节); `provisional` when its year has
    no State Council notice yet and its holidays come from the decree alone."""

    date: date
    kind: str
    note: str = ""
    provisional: bool = False

    @property
    def is_workday(self) -> bool:
        """True for ordinary and makeup working days."""
        return self.kind in (WORKDAY, MAKEUP_WORKDAY)


class Tables:
    """Eligible-day index lists of one unit over the calendar's current range (see module doc)."""

    __slots__ = ("base", "work", "nxt", "prv")

    def __init__(self, base: int, eligible: list[bool]):
        self.base = base
        self.work = [base + i for i, ok in enumerate(eligible) if ok]
        n, k = len(eligible), len(self.work)
        self.nxt, self.prv = [0] * n, [0] * n
        seen = -1
        for i, ok in enumerate(eligible):
            seen += ok
            self.prv[i] = seen
        following = k
        for i in range(n - 1, -1, -1):
            if eligible[i]:
                following -= 1
            self.nxt[i] = following


def _weekday(ordinal: int) -> int:
    # date(1, 1, 1) has ordinal 1 and was a Monday (weekday 0).
    return (ordinal + 6) % 7


class WorkCalendar:
    """Which days are working days, with arithmetic on them; build with the classmethods."""

    def __init__(
        self,
        overrides: dict[date, tuple[bool, str]],
        known_years: Iterable[int],
        *,
        name: str = "cn",
        strict: bool = False,
        every_day: bool = False,
        provisional: Callable[[int], dict[date, str]] | None = None,
    ):
        """`provisional`: year -> holidays by name, for the years without data (None: weekends)."""
        self.name = name
        self.strict = strict
        self.every_day = every_day
        self._overrides = {d.toordinal(): v for d, v in overrides.items()}
        self._known = frozenset(known_years)
        self._derive = None if every_day else provisional
        self._derived: dict[int, dict[int, tuple[bool, str]]] = {}
        # One tuple (years, day tables, work tables, dates), replaced whole when the range grows,
        # so that threads sharing a calendar (web requests, the tick) always read a matching set.
        self._state: tuple = (None, None, None, [])
        self._grow = threading.Lock()
        if self._known and not every_day:
            self._build(min(self._known), max(self._known))

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_package(cls, *, strict: bool = False) -> WorkCalendar:
        """China's calendar from the `chinesecalendar` package (holiday names in Chinese)."""
        from chinese_calendar import constants

        overrides: dict[date, tuple[bool, str]] = {}
        for day, label in constants.holidays.items():
            overrides[day] = (False, _zh(label))
        for day, label in constants.workdays.items():
            overrides[day] = (True, _zh(label))
        years = {d.year for d in overrides}
        known = range(min(years), max(years) + 1)
        return cls(
            overrides, known, name="cn", strict=strict, provisional=holidays.provisional_holidays
        )

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[date, bool, str]], *, strict: bool = False):
        """A calendar from (date, is_workday, note) rows; the years present become known, later
        years are provisional."""
        overrides = {d: (bool(work), note or "") for d, work, note in rows}
        known = {d.year for d in overrides}
        return cls(
            overrides, known, name="cn", strict=strict, provisional=holidays.provisional_holidays
        )

    @classmethod
    def natural(cls) -> WorkCalendar:
        """Every day is a working day (plans counted in calendar days only)."""
        return cls({}, (), name="natural", every_day=True)

    def strictly(self) -> WorkCalendar:
        """A copy of this calendar that raises CalendarError for years without holiday data."""
        twin = WorkCalendar({}, (), name=self.name, strict=True, every_day=self.every_day)
        twin._overrides, twin._known = self._overrides, self._known
        twin._derive, twin._derived = self._derive, self._derived
        twin._state = self._state
        return twin

    def _provisional(self, year: int) -> dict[int, tuple[bool, str]]:
        """The provisional days off of a year without data (empty for a known year)."""
        if self._derive is None or year in self._known:
            return {}
        days = self._derived.get(year)
        if days is None:  # computed at most once per year (a lost race computes it twice)
            days = {d.toordinal(): (False, name) for d, name in self._derive(year).items()}
            self._derived[year] = days
        return days

    # -- range management ----------------------------------------------------------------------

    def _build(self, first_year: int, last_year: int) -> None:
        base = date(first_year, 1, 1).toordinal()
        end = date(last_year, 12, 31).toordinal()
        days = range(base, end + 1)
        day_tables = Tables(base, [True] * len(days))
        # date objects are slow to make (~0.25 µs); the scheduler converts through this list.
        dates = [date.fromordinal(o) for o in days]
        if self.every_day:
            work_tables = day_tables
        else:
            over = self._overrides
            extra = [self._provisional(y) for y in range(first_year, last_year + 1)]
            if any(extra):
                over = {**over}
                for days_off in extra:
                    over.update(days_off)
            work_tables = Tables(base, [over[o][0] if o in over else _weekday(o) < 5 for o in days])
        self._state = ((first_year, last_year), day_tables, work_tables, dates)

    @property
    def day_tables(self) -> Tables | None:
        return self._state[1]

    @property
    def work_tables(self) -> Tables | None:
        return self._state[2]

    @property
    def dates(self) -> list[date]:
        return self._state[3]

    def snapshot(self, lo: int, hi: int) -> tuple[Tables, Tables, list[date]]:
        """(day tables, workday tables, dates) covering ordinals lo..hi, all of one build."""
        first, last = date.fromordinal(lo).year, date.fromordinal(hi).year
        state = self._state
        years = state[0]
        if years is None or first < years[0] or last > years[1]:
            with self._grow:
                state = self._state
                years = state[0]
                if years is None or first < years[0] or last > years[1]:
                    if years is not None:
                        first, last = min(first, years[0]), max(last, years[1])
                    self._build(first, last)
                    state = self._state
        return state[1], state[2], state[3]

    def tables(self, lo: int, hi: int) -> tuple[Tables, Tables]:
        """(day, workday) tables covering ordinals lo..hi; for the scheduler's inner loops."""
        day, work, _dates = self.snapshot(lo, hi)
        return day, work

    def _margin(self, d: date, n: int = 0) -> tuple[Tables, Tables]:
        # n working days never span more than 2n + 40 calendar days (longest break: 春节 + weekend).
        o, pad = d.toordinal(), 2 * abs(n) + 40
        return self.tables(max(1, o - pad), min(date.max.toordinal(), o + pad))

    # -- queries -------------------------------------------------------------------------------

    @property
    def known_years(self) -> tuple[int, ...]:
        """Years with holiday data (empty for the natural calendar, which needs none)."""
        return tuple(sorted(self._known))

    def _check(self, *days: date) -> None:
        if self.strict:
            for w in self.warnings_for(min(days), max(days)):
                raise CalendarError(w)

    def is_provisional_year(self, year: int) -> bool:
        """True for a year without the State Council's notice whose holidays are provisional."""
        return bool(self._provisional(year))

    def provisional_years(self, first: date, last: date) -> list[int]:
        """The provisional years among first..last (no lookups beyond memory)."""
        if self._derive is None:
            return []
        return [y for y in range(first.year, last.year + 1) if self.is_provisional_year(y)]

    def warnings_for(self, first: date, last: date) -> list[str]:
        """One warning per year in first..last without holiday data, provisional or weekends
        only (strict: raise instead)."""
        if self.every_day:
            return []
        missing = [y for y in range(first.year, last.year + 1) if y not in self._known]
        warnings = [
            provisional_warning(y)
            if self.is_provisional_year(y)
            else f"no holiday data for {y}: weekends only"
            for y in missing
        ]
        if warnings and self.strict:
            year = missing[0]
            raise CalendarError(warnings[0], year=year, provisional=self.is_provisional_year(year))
        return warnings

    def is_workday(self, d: date) -> bool:
        """True when `d` is a working day (including 调休 makeup working days)."""
        self._check(d)
        t = self._margin(d)[1]
        o = d.toordinal()
        return t.work[t.nxt[o - t.base]] == o

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day after `d` (d not counted); n=0: d if working, else the next one.

        Negative n counts back: -1 is the last working day before `d`.
        """
        t = self._margin(d, n)[1]
        o = d.toordinal() - t.base
        if n > 0:
            result = t.work[t.nxt[o + 1] + n - 1]
        elif n == 0:
            result = t.work[t.nxt[o]]
        else:
            result = t.work[t.prv[o - 1] + n + 1]
        out = date.fromordinal(result)
        self._check(d, out)
        return out

    def count_workdays(self, first: date, last: date) -> int:
        """Working days from `first` to `last`, both included; 0 when last < first."""
        if last < first:
            return 0
        self._check(first, last)
        t = self.tables(first.toordinal() - 7, last.toordinal() + 7)[1]
        return t.prv[last.toordinal() - t.base] - t.nxt[first.toordinal() - t.base] + 1

    def describe(self, d: date) -> DayInfo:
        """The kind of day (workday, weekend, holiday, makeup_workday) and its note."""
        if self.every_day:
            return DayInfo(d, WORKDAY)
        self._check(d)
        weekend = d.weekday() >= 5
        o = d.toordinal()
        derived = self._provisional(d.year)
        work, note = self._overrides.get(o) or derived.get(o) or (not weekend, "")
        tentative = bool(derived)
        if work:
            return DayInfo(d, MAKEUP_WORKDAY if weekend else WORKDAY, note, tentative)
        return DayInfo(d, HOLIDAY if note or not weekend else WEEKEND, note, tentative)

    def days(self, year: int) -> list[DayInfo]:
        """Every day of `year` described (for seeding a calendar table)."""
        first = date(year, 1, 1)
        count = (date(year + 1, 1, 1) - first).days
        return [self.describe(first + timedelta(days=i)) for i in range(count)]


def _zh(label: object) -> str:
    text = getattr(label, "value", label)
    text = text[0] if isinstance(text, tuple) else str(text)
    return HOLIDAY_NAMES_ZH.get(text, text)
