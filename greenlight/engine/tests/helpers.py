"""Compact task builders for engine tests."""

from greenlight.engine.calendar import WorkCalendar
from greenlight.engine.network import Link, LinkType, Task, Unit

CN = WorkCalendar.from_package()


def task(tid: str, duration: int, *after, unit: str = "workday", dept: str = "") -> Task:
    """`after` items are an id (FS) or (id, "FS"|"SS", lag)."""
    links = tuple(
        Link(a) if isinstance(a, str) else Link(a[0], LinkType(a[1]), a[2]) for a in after
    )
    return Task(tid, duration, Unit(unit), links, department=dept)
