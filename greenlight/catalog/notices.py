"""The State Council's holiday notice (国务院办公厅关于某年部分节假日安排的通知), entered by hand.

An administrator enters the year's 放假 ranges (start–end, name) and its 调休上班 days. They are
checked all at once (dates inside the year, a range that ends after it starts, no two ranges
overlapping, a make-up day on a Saturday or Sunday and outside every range, each error naming its
field); then the whole year is written (every day: the ranges off, the make-up days working, the
rest by weekday), replacing its provisional days or an earlier entry, and every clock and plan is
recomputed (`changes.apply`). All or nothing, audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from greenlight.engine.calendar import WorkCalendar
from greenlight.engine.holidays import NAMES
from greenlight.kernel.errors import DomainError, NotPermitted

from . import calendars, changes, permissions
from .choices import CalendarChangeKind
from .models import CalendarChange, CalendarDay

FIRST_YEAR, LAST_YEAR = 1901, 2199  # as the CSV import


@dataclass(frozen=True)
class Holiday:
    """One 放假 range of the notice: `start` to `end` (both off), e.g. 春节 02-05 to 02-11."""

    start: date | None
    end: date | None
    name: str


@dataclass(frozen=True)
class MakeupDay:
    """One 调休上班 day of the notice (a Saturday or Sunday that works), with its holiday."""

    day: date | None
    name: str = ""


class NoticeError(DomainError):
    """A notice the platform refuses; `problems` holds every (field, message), in form order."""

    def __init__(self, problems: list[tuple[str, str]]):
        field, message = problems[0]
        super().__init__("；".join(m for _f, m in problems), field=field, code="notice_invalid")
        self.problems = problems

    def as_dict(self) -> dict:
        return {"detail": [{"loc": [f], "msg": m, "code": self.code} for f, m in self.problems]}


def check(year: int, holidays: list[Holiday], makeup_days: list[MakeupDay]) -> list[tuple]:
    """Every problem of a notice as (field, message in the user's language); [] when good."""
    problems: list[tuple[str, str]] = []
    if not FIRST_YEAR <= year <= LAST_YEAR:
        span = {"first": FIRST_YEAR, "last": LAST_YEAR}
        problems.append(("year", _("the year must be between %(first)s and %(last)s") % span))
        return problems
    if not holidays:
        problems.append(("holidays", _("enter at least one holiday range")))
    good: list[tuple[int, Holiday]] = []
    for i, h in enumerate(holidays):
        row = {"row": i + 1, "year": year}
        before = len(problems)
        for part, value in (("start", h.start), ("end", h.end)):
            if value is None:
                problems.append((f"holidays.{i}.{part}", _("row %(row)s: enter a date") % row))
            elif value.year != year:
                problems.append(
                    (
                        f"holidays.{i}.{part}",
                        _("row %(row)s: %(day)s is not in %(year)s") % {**row, "day": value},
                    )
                )
        if h.start and h.end and h.end < h.start:
            problems.append(
                (f"holidays.{i}.end", _("row %(row)s: the end is before the start") % row)
            )
        name = h.name.strip()
        if not name:
            problems.append((f"holidays.{i}.name", _("row %(row)s: enter the holiday") % row))
        elif len(name) > calendars.NOTE_MAX:
            problems.append(
                (
                    f"holidays.{i}.name",
                    _("row %(row)s: longer than %(max)s characters")
                    % {**row, "max": calendars.NOTE_MAX},
                )
            )
        if len(problems) == before:
            good.append((i, h))
    for (i, a), (j, b) in _pairs(sorted(good, key=lambda item: item[1].start)):
        if b.start <= a.end:
            first, second = sorted((i, j))
            problems.append(
                (
                    f"holidays.{second}.start",
                    _("row %(row)s overlaps row %(other)s (%(name)s %(start)s – %(end)s)")
                    % {
                        "row": second + 1,
                        "other": first + 1,
                        "name": holidays[first].name,
                        "start": holidays[first].start,
                        "end": holidays[first].end,
                    },
                )
            )
    seen: dict[date, int] = {}
    for i, m in enumerate(makeup_days):
        row = {"row": i + 1, "year": year}
        field = f"makeup_days.{i}.day"
        if m.day is None:
            problems.append((field, _("row %(row)s: enter a date") % row))
            continue
        if m.day.year != year:
            problems.append(
                (field, _("row %(row)s: %(day)s is not in %(year)s") % {**row, "day": m.day})
            )
        elif m.day.weekday() < 5:
            problems.append(
                (
                    field,
                    _(
                        "row %(row)s: a make-up working day must be a Saturday or Sunday; %(day)s is a %(weekday)s"
                    )
                    % {**row, "day": m.day, "weekday": _weekday(m.day)},
                )
            )
        elif m.day in seen:
            problems.append(
                (
                    field,
                    _("row %(row)s: %(day)s is already on row %(other)s")
                    % {**row, "day": m.day, "other": seen[m.day] + 1},
                )
            )
        else:
            inside = next((h for _i, h in good if h.start <= m.day <= h.end), None)
            if inside is not None:
                problems.append(
                    (
                        field,
                        _("row %(row)s: %(day)s is inside the holiday %(name)s")
                        % {**row, "day": m.day, "name": inside.name},
                    )
                )
        seen.setdefault(m.day, i)
        if len(m.name.strip()) > calendars.NOTE_MAX:
            problems.append(
                (
                    f"makeup_days.{i}.name",
                    _("row %(row)s: longer than %(max)s characters")
                    % {**row, "max": calendars.NOTE_MAX},
                )
            )
    return problems


def _pairs(items):
    # Sorted by start, a range overlaps an earlier one iff it starts before the latest end so far.
    latest = None
    for item in items:
        if latest is not None and item[1].start <= latest[1].end:
            yield latest, item
        if latest is None or item[1].end > latest[1].end:
            latest = item


def _weekday(day: date) -> str:
    return str(WEEKDAYS[day.weekday()])


def enter(
    *,
    year: int,
    holidays: list[Holiday],
    makeup_days: list[MakeupDay],
    actor,
    at: datetime | None = None,
) -> CalendarChange:
    """Write the notice's year, all or nothing, and move every clock and plan; audited."""
    if actor is None or not permissions.can_edit_catalog(actor):
        raise NotPermitted(_("Only administrators enter the holiday notice."))
    problems = check(year, holidays, makeup_days)
    if problems:
        raise NoticeError(problems)
    holidays = [Holiday(h.start, h.end, h.name.strip()) for h in holidays]
    makeup = [MakeupDay(m.day, m.name.strip() or _nearest(m.day, holidays)) for m in makeup_days]
    days = _year_rows(year, holidays, makeup)
    off = sum(1 for d in days if not d.is_workday and d.note)

    def write() -> int:
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(days, batch_size=calendars.BATCH_SIZE)
        return len(days)

    change, _written = changes.apply(
        kind=CalendarChangeKind.NOTICE,
        years=[year],
        write=write,
        actor=actor,
        at=at,
        summary=_("%(year)s: %(ranges)s holiday ranges, %(off)s days off, %(makeup)s make-up days")
        % {"year": year, "ranges": len(holidays), "off": off, "makeup": len(makeup)},
        details={
            "holidays": [[h.start.isoformat(), h.end.isoformat(), h.name] for h in holidays],
            "makeup_days": [[m.day.isoformat(), m.name] for m in makeup],
        },
    )
    return change


def _nearest(day: date, holidays: list[Holiday]) -> str:
    """The holiday a make-up day belongs to: the nearest range."""

    def distance(h: Holiday) -> int:
        return min(abs((day - h.start).days), abs((day - h.end).days))

    return min(holidays, key=distance).name if holidays else ""


def _year_rows(year: int, holidays: list[Holiday], makeup: list[MakeupDay]) -> list[CalendarDay]:
    notes: dict[date, tuple[bool, str]] = {}
    for h in holidays:
        for i in range((h.end - h.start).days + 1):
            notes[h.start + timedelta(days=i)] = (False, h.name)
    for m in makeup:
        notes[m.day] = (True, m.name)
    first = date(year, 1, 1)
    out = []
    for i in range((date(year + 1, 1, 1) - first).days):
        d = first + timedelta(days=i)
        work, note = notes.get(d, (d.weekday() < 5, ""))
        out.append(
            CalendarDay(date=d, is_workday=work, note=note[: calendars.NOTE_MAX], source="notice")
        )
    return out


# -- reading a year back (the form's starting point, the calendar page) -------------------------


@dataclass
class Year:
    """One year as the calendar page shows it: where its days come from and its holidays."""

    year: int
    status: str  # notice, import, package, admin, provisional, weekends
    holidays: list[Holiday]
    makeup_days: list[MakeupDay]

    @property
    def provisional(self) -> bool:
        return self.status == "provisional"

    @property
    def days_off(self) -> int:
        return sum((h.end - h.start).days + 1 for h in self.holidays)


def describe_year(year: int, *, calendar: WorkCalendar | None = None, sources=None) -> Year:
    """A year's holiday ranges and make-up days from the calendar, and where they come from."""
    cal = calendar or calendars.current()
    sources = calendars.year_sources() if sources is None else sources
    found = sources.get(year, set())
    if found:
        status = next((s for s in ("notice", "import", "admin") if s in found), "package")
    elif cal.is_provisional_year(year):
        status = "provisional"
    else:
        status = "weekends"
    holidays: list[Holiday] = []
    makeup: list[MakeupDay] = []
    for info in cal.days(year):
        if info.kind == "makeup_workday":
            makeup.append(MakeupDay(info.date, info.note))
        elif info.kind == "holiday" and info.note:
            last = holidays[-1] if holidays else None
            if last and last.name == info.note and (info.date - last.end).days == 1:
                holidays[-1] = Holiday(last.start, info.date, last.name)
            else:
                holidays.append(Holiday(info.date, info.date, info.note))
    return Year(year, status, holidays, makeup)


def statutory_names() -> tuple[str, ...]:
    """The decree's holiday names, for the form's suggestions."""
    return NAMES
