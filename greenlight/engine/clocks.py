"""SLA clocks: due times with pauses, working days left, and the red/yellow/green light.

Rules (pinned by tests in `tests/test_clocks.py`):

* `due`: the clock starts on the start's local day, which is not counted; the limit is due at
  `end_of_day` of the N-th eligible day after it (limit 0: the start day if eligible, else the
  next eligible day), in the start's time zone. Working days follow 行政许可法 82 (holidays
  and rest days are not counted). Calendar days follow 民法典 201/203: every day counts, but a
  last day that is a rest day or a statutory holiday moves to the first working day after it.
* Pauses (补正, 专家评审, 公示 ... 不计入时限): a pause from `p` to `q` stops the clock for the
  eligible days after `p`'s day up to and including `q`'s day; the due date moves later by that
  many eligible days. The day a pause begins counts as usual, like the start day the day it ends
  does not (it behaves as a new start). Overlapping pauses are merged; a pause that begins
  after the due day is ignored (the item was already late). An open pause (end None) stops the
  clock: `due` returns None until it ends.
* `remaining_workdays`: working days after `now`'s day up to and including the due day
  (0 when due today; negative, counting working days past the due day, once overdue).
* `light`: red once now > due_at, yellow with `yellow_workdays` or fewer left, else green.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from .calendar import WorkCalendar
from .network import Unit

GREEN, YELLOW, RED = "green", "yellow", "red"

Pause = tuple[datetime, datetime | None]


def _aware(*moments: datetime | None) -> None:
    for m in moments:
        if m is not None and (m.tzinfo is None or m.utcoffset() is None):
            raise ValueError(f"aware datetime required, got naive {m.isoformat()}")


def due(
    start: datetime,
    limit: int,
    unit: Unit | str = Unit.WORKDAY,
    *,
    calendar: WorkCalendar,
    pauses: Iterable[Pause] = (),
    end_of_day: time = time(18, 0),
) -> datetime | None:
    """When a limit of `limit` days (in `unit`) from `start` falls due; None while paused."""
    _aware(start, *(m for p in pauses for m in p))
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, got {limit}")
    day_unit = str(unit) == Unit.DAY
    tz = start.tzinfo
    due_day = _add(calendar, start.date(), limit, day_unit)
    for begin, end in _merged(pauses, tz):
        if begin.date() > due_day:
            break
        if end is None:
            return None
        lost = _count(calendar, begin.date() + timedelta(days=1), end.date(), day_unit)
        due_day = _add(calendar, due_day, lost, day_unit) if lost else due_day
    if day_unit and not calendar.is_workday(due_day):  # 民法典 203
        due_day = calendar.add_workdays(due_day, 0)
    return datetime.combine(due_day, end_of_day, tzinfo=tz)


def _merged(pauses: Iterable[Pause], tz) -> list[Pause]:
    """Pauses in local time, sorted, overlapping ones merged (an open pause swallows the rest)."""
    spans = sorted((b.astimezone(tz), e.astimezone(tz) if e else None) for b, e in pauses)
    merged: list[Pause] = []
    for begin, end in spans:
        if merged and (merged[-1][1] is None or begin <= merged[-1][1]):
            last_begin, last_end = merged[-1]
            merged[-1] = (
                last_begin,
                None if end is None or last_end is None else max(end, last_end),
            )
        else:
            merged.append((begin, end))
    return merged


def _add(calendar: WorkCalendar, day, n: int, day_unit: bool):
    if day_unit:
        return day + timedelta(days=n)
    return calendar.add_workdays(day, n)


def _count(calendar: WorkCalendar, first, last, day_unit: bool) -> int:
    if last < first:
        return 0
    return (last - first).days + 1 if day_unit else calendar.count_workdays(first, last)


def remaining_workdays(due_at: datetime, now: datetime, calendar: WorkCalendar) -> int:
    """Working days left after today up to the due day; negative once the due day has passed."""
    _aware(due_at, now)
    today, due_day = now.astimezone(due_at.tzinfo).date(), due_at.date()
    if due_day >= today:
        return calendar.count_workdays(today + timedelta(days=1), due_day)
    return -calendar.count_workdays(due_day + timedelta(days=1), today)


def light(
    due_at: datetime, now: datetime, *, calendar: WorkCalendar, yellow_workdays: int = 3
) -> str:
    """ "red" when overdue, "yellow" with `yellow_workdays` or fewer working days left, "green"."""
    _aware(due_at, now)
    if now > due_at:
        return RED
    if remaining_workdays(due_at, now, calendar) <= yellow_workdays:
        return YELLOW
    return GREEN
