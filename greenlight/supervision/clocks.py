"""The reply deadline of a supervision notice: one rule for every subject.

A notice is due for reply at the region's end of day (`catalog.calendars.end_of_day`: 18:00
unless `Region.settings["end_of_day"]` says otherwise) of the N-th working day after the day it
is issued, that day not counted, on the platform calendar (holidays skipped, 调休 Saturdays
counted). N is what the coordinator chose, else `Region.settings["supervision"]
["reply_workdays"]`, else 2.
"""

from __future__ import annotations

from datetime import datetime

from greenlight.catalog import calendars

DEFAULT_REPLY_WORKDAYS = 2
MAX_REPLY_WORKDAYS = 30


def reply_workdays(region) -> int:
    """The region's default number of working days to reply (1 to 30), defaults filled in."""
    conf = (getattr(region, "settings", None) or {}).get("supervision") or {}
    value = conf.get("reply_workdays", DEFAULT_REPLY_WORKDAYS)
    if str(value).isdigit() and 1 <= int(value) <= MAX_REPLY_WORKDAYS:
        return int(value)
    return DEFAULT_REPLY_WORKDAYS


def reply_due(issued_at: datetime, region, workdays: int | None = None) -> datetime:
    """When a notice issued at `issued_at` in `region` must be answered."""
    n = reply_workdays(region) if workdays is None else workdays
    return calendars.workday_due(issued_at, n, region)
