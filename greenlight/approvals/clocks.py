"""Approval clocks on the platform calendar: due times and red/yellow/green lights."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenlight.catalog import calendars
from greenlight.catalog.calendars import current as current_calendar
from greenlight.engine import clocks

from .choices import PENDING_STATUSES, Status

DEFAULT_YELLOW_WORKDAYS = 3

# Each light of the work queue in words (the queue's tiles use the same words).
LIGHT_LABELS = {
    "red": _("red: overdue"),
    "yellow": _("yellow: due soon"),
    "green": _("green"),
    "paused": _("paused"),
    "waiting": _("not accepted yet"),
}


def yellow_threshold(region) -> int:
    """Working days left at which a light turns yellow (a region setting, default 3)."""
    value = (region.settings or {}).get("yellow_workdays", DEFAULT_YELLOW_WORKDAYS)
    return int(value) if str(value).isdigit() else DEFAULT_YELLOW_WORKDAYS


def due_at(approval, *, pauses=None, calendar=None) -> datetime | None:
    """Due time from acceptance and the committed limit, paused spans excluded (on `calendar`,
    the platform's by default)."""
    if approval.accepted_at is None:
        return None
    spans = (
        pauses
        if pauses is not None
        else [(p.started_at, p.ended_at) for p in approval.pauses.all()]
    )
    # Days are local days: the database hands back UTC, and 18:00 UTC is the next local morning.
    local = [(_local(b), _local(e)) for b, e in spans]
    return clocks.due(
        _local(approval.accepted_at),
        approval.matter.committed_limit,
        approval.matter.committed_unit,
        calendar=calendar or current_calendar(),
        pauses=local,
    )


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def light(approval, *, now: datetime, yellow_workdays: int = DEFAULT_YELLOW_WORKDAYS) -> str:
    """green / yellow / red for a running clock; "paused" or "" when no clock runs."""
    if approval.status == Status.PAUSED:
        return "paused"
    if approval.status not in PENDING_STATUSES or approval.due_at is None:
        return ""
    return clocks.light(
        _local(approval.due_at),
        _local(now),
        calendar=current_calendar(),
        yellow_workdays=yellow_workdays,
    )


def paused_since(approval) -> datetime | None:
    """When the open pause of a paused approval began (None when it is not paused)."""
    if approval.status != Status.PAUSED:
        return None
    opened = getattr(approval, "open_pauses", None)  # prefetched by list selectors
    if opened is None:
        opened = list(approval.pauses.filter(ended_at__isnull=True))
    return min((p.started_at for p in opened), default=None)


def remaining(approval, *, now: datetime) -> int | None:
    """Working days left (negative once overdue), or None without a clock. A paused clock is
    frozen: it keeps the days it had left when the pause began."""
    if approval.due_at is None or approval.status not in PENDING_STATUSES:
        return None
    at = paused_since(approval) or now
    return clocks.remaining_workdays(_local(approval.due_at), _local(at), current_calendar())


def effective_due(approval, *, now: datetime) -> datetime | None:
    """The due time as it stands now: a paused clock's due time moves with the pause."""
    since = paused_since(approval)
    if approval.due_at is None or since is None:
        return approval.due_at
    return approval.due_at + (now - since)


def provisional_years(approval, *, now: datetime) -> list[int]:
    """The provisional calendar years (no State Council notice yet) among the dates an approval's
    page and API show: its due time, as it stands now, and its planned and forecast days."""
    return calendars.provisional_years(
        approval.due_at,
        effective_due(approval, now=now),
        approval.planned_start,
        approval.planned_finish,
        approval.forecast_finish,
    )
