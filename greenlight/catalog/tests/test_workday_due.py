"""A region's working-day deadlines: the end-of-day hour from its settings, holidays skipped."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from greenlight.catalog import calendars

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("conf", "hour"),
    [
        ({}, (18, 0)),
        ({"end_of_day": "17:30"}, (17, 30)),
        ({"tickets": {"end_of_day": "17:00"}}, (17, 0)),  # the older, tickets-only key
        ({"end_of_day": "16:45", "tickets": {"end_of_day": "17:00"}}, (16, 45)),
        ({"end_of_day": "25:00"}, (18, 0)),
        ({"end_of_day": None, "tickets": None}, (18, 0)),
    ],
)
def test_end_of_day_follows_the_region_settings(world, conf, hour):
    world.baoan.settings = conf
    end = calendars.end_of_day(world.baoan)
    assert (end.hour, end.minute) == hour


def test_workday_due_skips_national_day_and_counts_the_makeup_saturday(world):
    # given a region ending its day at 17:30, and a start on Wednesday 2026-09-30
    world.baoan.settings = {"end_of_day": "17:30"}
    start = datetime(2026, 9, 30, 10, tzinfo=TZ)
    # then 10-01..10-07 are skipped and Saturday 10-10 (调休) is the third working day
    due = [calendars.workday_due(start, n, world.baoan).astimezone(TZ) for n in (1, 2, 3, 4)]
    assert due == [
        datetime(2026, 10, 8, 17, 30, tzinfo=TZ),
        datetime(2026, 10, 9, 17, 30, tzinfo=TZ),
        datetime(2026, 10, 10, 17, 30, tzinfo=TZ),
        datetime(2026, 10, 12, 17, 30, tzinfo=TZ),
    ]
