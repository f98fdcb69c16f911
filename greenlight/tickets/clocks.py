"""The 1-2-3 clocks on the platform calendar: due times, lights and escalation moments.

Each milestone is due at the end of day (the region's hour, `catalog.calendars.end_of_day`:
18:00 unless the region says otherwise) of the N-th working day after the report day, the report
day not counted; N is 1, 2, 3 unless the region's settings say otherwise
(`Region.settings["tickets"]`). A missed milestone escalates to the region's leaders at the end
of the next working day after its due day.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from greenlight.catalog import calendars

from .choices import DEFAULT_WORKDAYS, MILESTONES, OPEN_STATUSES, Light


def rules(region) -> tuple[dict[str, int], time]:
    """Working days per milestone and the end-of-day hour of a region, defaults filled in."""
    conf = (getattr(region, "settings", None) or {}).get("tickets") or {}
    days = {}
    for m in MILESTONES:
        value = conf.get(f"{m}_workdays", DEFAULT_WORKDAYS[m])
        days[str(m)] = (
            int(value) if str(value).isdigit() and int(value) > 0 else DEFAULT_WORKDAYS[m]
        )
    return days, calendars.end_of_day(region)


def dues(reported_at: datetime, region, *, calendar=None) -> dict[str, datetime]:
    """The due time of each milestone for a ticket reported at `reported_at` in `region` (on
    `calendar`, the platform's by default)."""
    days, _end = rules(region)
    return {
        m: calendars.workday_due(reported_at, n, region, calendar=calendar) for m, n in days.items()
    }


def escalation_at(due: datetime, region) -> datetime:
    """When a milestone missed at `due` goes to the leaders: one more working day late."""
    return calendars.workday_due(due, 1, region)


def next_milestone(ticket) -> str | None:
    """The first milestone not met yet of an open ticket, or None."""
    if ticket.status not in OPEN_STATUSES:
        return None
    for m in MILESTONES:
        if getattr(ticket, f"{m}_at") is None:
            return str(m)
    return None


def light(ticket, *, now: datetime) -> str:
    """on_time / due_today / overdue for an open ticket, by its next milestone; "" once done."""
    m = next_milestone(ticket)
    return light_of(ticket.status, None if m is None else ticket.due_of(m), now=now)


def light_of(status: str, due: datetime | None, *, now: datetime) -> str:
    """`light` from a ticket's status and its next milestone's due time (None: every milestone
    met), as a list reads them with `next_due_expression` (no ticket instance needed)."""
    if status not in OPEN_STATUSES:
        return ""
    if due is None:
        return Light.ON_TIME
    if now > due:
        return Light.OVERDUE
    if timezone.localtime(due).date() == timezone.localtime(now).date():
        return Light.DUE_TODAY
    return Light.ON_TIME


def next_due_expression():
    """SQL: the due time of the next milestone not met (NULL when all are met)."""
    return Case(
        When(feedback_at__isnull=True, then=F("feedback_due")),
        When(path_at__isnull=True, then=F("path_due")),
        When(progress_at__isnull=True, then=F("progress_due")),
        default=Value(None),
        output_field=DateTimeField(),
    )


def end_of_today(now: datetime) -> datetime:
    """The last moment of `now`'s local day (the bound of "due today")."""
    local = timezone.localtime(now)
    return datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=local.tzinfo)


def light_q(value: str, *, now: datetime) -> Q:
    """A filter for tickets of one light; expects `next_due` annotated."""
    open_ = Q(status__in=OPEN_STATUSES)
    if value == Light.OVERDUE:
        return open_ & Q(next_due__lt=now)
    if value == Light.DUE_TODAY:
        return open_ & Q(next_due__gte=now, next_due__lt=end_of_today(now))
    if value == Light.ON_TIME:
        return open_ & (Q(next_due__isnull=True) | Q(next_due__gte=end_of_today(now)))
    return Q()
