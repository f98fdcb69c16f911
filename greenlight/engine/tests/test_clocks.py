"""SLA clocks: due times over holidays, pauses, remaining working days and the light."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from greenlight.engine import clocks

from .helpers import CN

CST = timezone(timedelta(hours=8))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


@pytest.mark.parametrize(
    ("start", "limit", "unit", "pauses", "expected"),
    [
        ("2026-09-29 10:00", 2, "workday", [], "2026-10-08 18:00"),  # the start day is not counted
        ("2026-09-29 10:00", 4, "workday", [], "2026-10-10 18:00"),  # makeup Saturday counts
        # 民法典 203: a day limit ending in the National Day holiday moves to its first working day
        ("2026-09-29 10:00", 3, "day", [], "2026-10-08 18:00"),
        ("2026-09-28 10:00", 7, "day", [], "2026-10-08 18:00"),
        ("2026-11-02 10:00", 6, "day", [], "2026-11-09 18:00"),  # Sunday 11-08 -> Monday
        ("2026-11-02 10:00", 4, "day", [], "2026-11-06 18:00"),  # a Friday stays
        ("2026-10-05 10:00", 5, "day", [], "2026-10-10 18:00"),  # the make-up Saturday works
        ("2026-10-03 10:00", 0, "workday", [], "2026-10-08 18:00"),  # limit 0: next working day
        ("2026-03-02 09:00", 0, "workday", [], "2026-03-02 18:00"),  # limit 0: same day
        # paused Tue 10:00 to Thu 15:00: Wed and Thu are not counted -> two more working days
        ("2026-03-02 09:00", 5, "workday", [("2026-03-03 10:00", "2026-03-05 15:00")], "2026-03-11 18:00"),
        # a pause within one day costs nothing
        ("2026-03-02 09:00", 5, "workday", [("2026-03-03 10:00", "2026-03-03 15:00")], "2026-03-09 18:00"),
        # overlapping pauses are merged
        ("2026-03-02 09:00", 5, "workday",
         [("2026-03-03 10:00", "2026-03-05 15:00"), ("2026-03-04 10:00", "2026-03-05 11:00")], "2026-03-11 18:00"),
        # a pause beginning after the due day does not revive the clock
        ("2026-03-02 09:00", 1, "workday", [("2026-03-05 10:00", "2026-03-09 15:00")], "2026-03-03 18:00"),
        # an open pause stops the clock
        ("2026-03-02 09:00", 5, "workday", [("2026-03-03 10:00", None)], None),
    ],
)  # fmt: skip
def test_due(start, limit, unit, pauses, expected):
    # given a start, a limit and pauses
    spans = [(at(b), at(e) if e else None) for b, e in pauses]
    # when the due time is computed
    got = clocks.due(at(start), limit, unit, calendar=CN, pauses=spans)
    # then it is the end of the N-th eligible day after the start day, pauses added
    assert got == (at(expected) if expected else None)


@pytest.mark.parametrize(
    ("due_at", "now", "remaining", "light"),
    [
        ("2026-03-13 18:00", "2026-03-06 09:00", 5, "green"),
        ("2026-03-12 18:00", "2026-03-06 09:00", 4, "green"),
        ("2026-03-11 18:00", "2026-03-06 09:00", 3, "yellow"),
        ("2026-03-06 18:00", "2026-03-06 09:00", 0, "yellow"),
        ("2026-03-06 18:00", "2026-03-06 19:00", 0, "red"),
        ("2026-03-06 18:00", "2026-03-10 09:00", -2, "red"),
        ("2026-10-09 18:00", "2026-09-30 09:00", 2, "yellow"),  # the holiday is not time left
    ],
)
def test_remaining_and_light(due_at, now, remaining, light):
    # given a due time and now / when / then
    assert clocks.remaining_workdays(at(due_at), at(now), CN) == remaining
    assert clocks.light(at(due_at), at(now), calendar=CN) == light


def test_naive_datetimes_are_refused():
    # given a naive start / when / then
    with pytest.raises(ValueError, match="aware datetime required"):
        clocks.due(datetime(2026, 3, 2, 9), 5, calendar=CN)  # noqa: DTZ001


def test_due_keeps_the_start_time_zone():
    # given a UTC start that is already the next day in China
    start = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # 03-03 01:00 in Beijing
    # when computed in Beijing time
    got = clocks.due(start.astimezone(CST), 1, calendar=CN)
    # then the local day is the start day
    assert got == at("2026-03-04 18:00")
