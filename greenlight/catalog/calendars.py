"""The platform's working-day calendar: the CalendarDay table, seeded from the package, extended
by administrators (CSV import, admin), and read through a per-process cache; and a region's
working-day deadlines on it (`end_of_day`, `workday_due`), shared by every clock counted in
working days with the region's hours (ticket milestones, supervision notice replies).

`current()` is called on every request that computes a deadline, so it answers from memory and
looks at the table at most once every `RECHECK_SECONDS` (one aggregate query): other processes
(a `greenlight calendar import` next to gunicorn workers) are noticed within that delay, writers
in this process call `invalidate()` and are noticed at once.

A year not in the table (no State Council notice entered yet) is provisional: the engine fills it
with the decree's statutory holidays (`greenlight.engine.holidays`). `provisional_years(...)`
tells a page, from memory and without a query, whether the dates it shows lie in such a year.
"""

from __future__ import annotations

import csv
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path

from django.db import DatabaseError, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import ExtractYear, Length
from django.utils import timezone

from greenlight.audit import services as audit
from greenlight.engine import clocks
from greenlight.engine.calendar import WorkCalendar, provisional_warning
from greenlight.kernel.errors import DomainError

from .models import CalendarDay

RECHECK_SECONDS = 5.0
BATCH_SIZE = 1000
PACKAGE, IMPORT, NOTICE = "package", "import", "notice"
TRUE_WORDS = {"true", "1", "是", "yes", "y"}
FALSE_WORDS = {"false", "0", "否", "no", "n"}
COLUMNS = ("date", "is_workday", "note")
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")  # 2027-01-01, or 2027/1/1 from Excel
NOTE_MAX = CalendarDay._meta.get_field("note").max_length
DEFAULT_END_OF_DAY = day_time(18, 0)
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# -- reading ------------------------------------------------------------------------------------


@dataclass
class _Cached:
    calendar: WorkCalendar | None = None
    signature: tuple | None = None
    checked_at: float = float("-inf")


_cached = _Cached()
_lock = threading.Lock()
_package: list[WorkCalendar] = []


def package_calendar() -> WorkCalendar:
    """The `chinesecalendar` package's calendar, built once per process."""
    if not _package:
        _package.append(WorkCalendar.from_package())
    return _package[0]


def current() -> WorkCalendar:
    """The calendar every deadline uses: the CalendarDay table, or the package while it is empty."""
    calendar, checked_at = _cached.calendar, _cached.checked_at
    if calendar is not None and time.monotonic() - checked_at < RECHECK_SECONDS:
        return calendar
    with _lock:
        signature = _signature()
        if _cached.calendar is None or signature != _cached.signature:
            _cached.calendar = _load() if signature else package_calendar()
            _cached.signature = signature
        _cached.checked_at = time.monotonic()
        return _cached.calendar


def invalidate() -> None:
    """Forget the cached calendar; the next `current()` reads the table again."""
    with _lock:
        _cached.calendar, _cached.signature = None, None
        _cached.checked_at = float("-inf")


def _signature() -> tuple | None:
    """A cheap fingerprint of the table (None when empty or not migrated yet).

    Adding days moves the count and last date, flipping a day moves the count of working days,
    an edit by an administrator the count of non-package rows, a changed note the sum of note
    lengths. (A weighted sum over dates would catch even swaps, but date functions cost ~15 ms on
    SQLite; writers here call `invalidate()`, which catches everything at once.)
    """
    try:
        row = CalendarDay.objects.aggregate(
            n=Count("date"),
            last=Max("date"),
            work=Count("date", filter=Q(is_workday=True)),
            edited=Count("date", filter=~Q(source=PACKAGE)),
            notes=Sum(Length("note")),
        )
    except DatabaseError:  # e.g. `greenlight plan` before `migrate`: the package will do
        return None
    return tuple(row.values()) if row["n"] else None


def _load() -> WorkCalendar:
    return WorkCalendar.from_rows(CalendarDay.objects.values_list("date", "is_workday", "note"))


def from_table() -> WorkCalendar:
    """The calendar as the table stands now, in this transaction (uncached; the package's while
    the table is empty): for recomputing right after writing days."""
    return _load() if CalendarDay.objects.exists() else package_calendar()


# -- provisional years --------------------------------------------------------------------------


def provisional_years(*moments: date | datetime | None, calendar=None) -> list[int]:
    """The provisional years (no State Council notice yet) among the local days of `moments`
    (dates or aware datetimes; None skipped). Memory only: pages call it with every date they
    show, at no query per row."""
    cal = calendar or current()
    years = {_local_day(m).year for m in moments if m is not None}
    return sorted(y for y in years if cal.is_provisional_year(y))


def provisional_span(first: date | None, last: date | None, *, calendar=None) -> list[int]:
    """The provisional years from `first` to `last` (e.g. a plan's start to its finish)."""
    if first is None or last is None:
        return []
    return (calendar or current()).provisional_years(min(first, last), max(first, last))


def warnings(years) -> list[str]:
    """The calendar warning of each provisional year, for API results."""
    return [provisional_warning(y) for y in years]


def _local_day(moment: date | datetime) -> date:
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def year_sources() -> dict[int, set[str]]:
    """For each year in the table, the sources of its days (package, import, notice, admin)."""
    rows = (
        CalendarDay.objects.annotate(year=ExtractYear("date"))
        .values_list("year", "source")
        .distinct()
    )
    out: dict[int, set[str]] = {}
    for year, source in rows:
        out.setdefault(year, set()).add(source)
    return out


# -- a region's working-day deadlines ------------------------------------------------------------


def end_of_day(region) -> day_time:
    """When a working day ends in `region`: `Region.settings["end_of_day"]` ("HH:MM"), else the
    older `settings["tickets"]["end_of_day"]`, else 18:00; a malformed value falls back too."""
    conf = getattr(region, "settings", None) or {}
    for value in (conf.get("end_of_day"), (conf.get("tickets") or {}).get("end_of_day")):
        match = _HHMM.match(str(value or ""))
        if match:
            return day_time(int(match[1]), int(match[2]))
    return DEFAULT_END_OF_DAY


def workday_due(start: datetime, workdays: int, region, *, calendar=None) -> datetime:
    """The end of day (the region's hour) of the `workdays`-th working day after `start`'s local
    day, on the platform calendar (holidays skipped, 调休 Saturdays counted), or on `calendar`."""
    return clocks.due(
        timezone.localtime(start),
        workdays,
        calendar=calendar or current(),
        end_of_day=end_of_day(region),
    )


# -- seeding ------------------------------------------------------------------------------------


def seed_from_package(*, stdout=None) -> int:
    """Add every day of every year the package knows; returns the number of rows created.

    Idempotent: existing days are kept, and only rows still marked `package` are corrected when
    a newer package disagrees, so administrators' edits and imports always win.
    """
    package = package_calendar()
    wanted = {i.date: i for year in package.known_years for i in package.days(year)}
    existing = {
        d.date: d for d in CalendarDay.objects.filter(date__range=(min(wanted), max(wanted)))
    }
    missing = [
        CalendarDay(date=d, is_workday=i.is_workday, note=i.note, source=PACKAGE)
        for d, i in wanted.items()
        if d not in existing
    ]
    stale = []
    for d, row in existing.items():
        info = wanted[d]
        if row.source == PACKAGE and (row.is_workday, row.note) != (info.is_workday, info.note):
            row.is_workday, row.note = info.is_workday, info.note
            stale.append(row)
    if missing or stale:
        with transaction.atomic():
            CalendarDay.objects.bulk_create(missing, batch_size=BATCH_SIZE)
            CalendarDay.objects.bulk_update(stale, ["is_workday", "note"], batch_size=BATCH_SIZE)
            changes = {"created": len(missing), "updated": len(stale), "years": _span(wanted)}
            audit.record((missing or stale)[0], "calendar_seeded", actor=None, changes=changes)
        invalidate()
    if stdout is not None:
        stdout.write(
            f"calendar seeded from the package ({_span(wanted)}): "
            f"{len(missing)} days created, {len(stale)} corrected\n"
        )
    return len(missing)


def _span(days: Iterable[date]) -> str:
    years = sorted({d.year for d in days})
    return f"{years[0]}-{years[-1]}" if years else ""


# -- importing ----------------------------------------------------------------------------------


class CalendarImportError(DomainError):
    """A calendar CSV the importer refuses; `lines` holds one line per problem (row, column)."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines), field="file", code="calendar_invalid")
        self.lines = lines


@dataclass
class ImportReport:
    """What an import did: days written from the file, days filled in to complete their years."""

    path: str
    created: int = 0
    updated: int = 0
    filled: int = 0
    years: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "file": self.path,
            "years": self.years,
            "created": self.created,
            "updated": self.updated,
            "filled": self.filled,
        }

    def lines(self) -> list[str]:
        years = ", ".join(map(str, self.years))
        return [
            f"calendar imported from {self.path} (years {years}): "
            f"{self.created} days created, {self.updated} replaced, "
            f"{self.filled} filled as plain weekdays/weekends",
        ]


def import_csv(path: Path | str, *, actor=None) -> ImportReport:
    """Write the days of a `date,is_workday,note` CSV, all or nothing, and complete their years."""
    return import_rows(read_csv(Path(path)), path=str(path), actor=actor)


def import_rows(rows: list[tuple[date, bool, str]], *, path: str, actor=None) -> ImportReport:
    """Write checked (date, is_workday, note) rows (see `read_csv`) and complete their years."""
    days = {d: (work, note) for d, work, note in rows}
    report = ImportReport(str(path), years=sorted({d.year for d in days}))
    with transaction.atomic():
        present = set(
            CalendarDay.objects.filter(date__year__in=report.years).values_list("date", flat=True)
        )
        report.updated = len(present & days.keys())
        report.created = len(days) - report.updated
        replaced = sorted(present & days.keys())
        for k in range(0, len(replaced), BATCH_SIZE):  # SQLite limits the parameters of a query
            CalendarDay.objects.filter(date__in=replaced[k : k + BATCH_SIZE]).delete()
        written = [
            CalendarDay(date=d, is_workday=work, note=note, source=IMPORT)
            for d, (work, note) in sorted(days.items())
        ]
        fill = [
            CalendarDay(date=d, is_workday=d.weekday() < 5, note="", source=IMPORT)
            for d in _days_of(report.years)
            if d not in days and d not in present
        ]
        report.filled = len(fill)
        CalendarDay.objects.bulk_create(written + fill, batch_size=BATCH_SIZE)
        audit.record(written[0], "calendar_imported", actor=actor, changes=report.as_dict())
    invalidate()
    return report


def _days_of(years: Iterable[int]) -> list[date]:
    out = []
    for year in years:
        first = date(year, 1, 1)
        out.extend(first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days))
    return out


def read_csv(path: Path) -> list[tuple[date, bool, str]]:
    """Parse and check every row; raise CalendarImportError listing all problems."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            records = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarImportError([f"{path}: cannot read the file: {exc}"]) from None
    return _parse(records)


def read_csv_bytes(data: bytes, name: str) -> list[tuple[date, bool, str]]:
    """`read_csv` for an uploaded file's bytes (UTF-8, with or without a BOM)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CalendarImportError([f"{name}: not a text file in UTF-8: {exc}"]) from None
    return _parse(list(csv.reader(text.splitlines())))


def _parse(records: list[list[str]]) -> list[tuple[date, bool, str]]:
    if not records or not any(cell.strip() for cell in records[0]):
        raise CalendarImportError([f"row 1: the header is missing (expected {','.join(COLUMNS)})"])
    header = [cell.strip().lower() for cell in records[0]]
    problems = _check_header(header)
    if problems:
        raise CalendarImportError(problems)
    out: list[tuple[date, bool, str]] = []
    seen: dict[date, int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines, e.g. at the end of a spreadsheet export
        row = dict(zip(header, (c.strip() for c in record), strict=False))
        if len(record) > len(header):
            problems.append(f"row {number}: {len(record)} cells, the header has {len(header)}")
            continue
        day = _cell_date(problems, number, row.get("date", ""))
        work = _cell_bool(problems, number, row.get("is_workday", ""))
        note = row.get("note", "")
        if len(note) > NOTE_MAX:
            problems.append(f"row {number}, column note: longer than {NOTE_MAX} characters")
        if day is not None and day in seen:
            problems.append(f"row {number}, column date: {day} is already on row {seen[day]}")
        elif day is not None:
            seen[day] = number
        out.append((day, work, note))
    if not out and not problems:
        problems.append("the file has a header but no days")
    if problems:
        raise CalendarImportError(problems)
    return out


def _check_header(header: list[str]) -> list[str]:
    problems = []
    for name in header:
        if name not in COLUMNS:
            expected = ",".join(COLUMNS)
            problems.append(f'row 1: unknown column "{name}" (expected {expected})')
    for name in COLUMNS[:2]:
        if name not in header:
            problems.append(f'row 1: the column "{name}" is missing')
    return problems


def _cell_date(problems: list[str], number: int, text: str) -> date | None:
    match = _DATE.match(text)
    try:
        day = date(*map(int, match.groups())) if match else None
    except ValueError:
        day = None
    if day is None:
        reason = f'"{text}" is not a date' if text else "missing"
        problems.append(f"row {number}, column date: {reason} (use YYYY-MM-DD)")
    elif not 1901 <= day.year <= 2199:
        problems.append(f"row {number}, column date: {day} is out of range (1901-2199)")
        return None
    return day


def _cell_bool(problems: list[str], number: int, text: str) -> bool | None:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    reason = f'"{text}" is not a yes/no value' if text else "missing"
    problems.append(f"row {number}, column is_workday: {reason} (use true/false/1/0/是/否)")
    return None
