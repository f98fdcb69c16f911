"""What the catalog announces to the layers above it (`greenlight.kernel.hooks`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from greenlight.kernel.hooks import Hook

# A matter is about to change (inside the transaction, before the new values are applied, so
# the stored matter is still the "before"). `cause` is what the caller says the change
# implements (a reform register item, or None); `at` when it takes effect (None: now).
matter_changing = Hook("matter_changing", "matter", "data", "prerequisites", "actor", "cause", "at")

# The working-day calendar changed (a State Council notice entered, a CSV imported, a newer
# package seeded), inside the transaction that wrote the days: `calendar` is the new calendar
# (use it, not `calendars.current()`, whose cache may still hold the old one), `years` the
# years whose days were written, `change` the CalendarChange being recorded. Each receiver
# recomputes what depends on the calendar (approvals' due times, tickets' milestones, plans)
# and returns the list of `Moved` items; the catalog stores them and tells the people concerned.
calendar_changed = Hook("calendar_changed", "change", "calendar", "years", "at", "actor")

# The calendar is about to change, inside the same transaction, before the days are written:
# `calendar` is still the current one. A receiver brings what it stores up to date on it (the
# plans re-forecast as of today), so that what `calendar_changed` then reports as moved is what
# the calendar moved, not what had gone stale since the last forecast.
calendar_changing = Hook("calendar_changing", "calendar", "years", "at")


@dataclass(frozen=True)
class Moved:
    """One date a calendar change moved: an approval's due day, a ticket milestone, a forecast.

    `kind` is "approval", "ticket" or "project"; `what` says which date (in the user's words);
    `region_id` (required), `department_id` and `organization_id` say whom to tell: the
    department's approvers, the owner's users and the region's coordinators.
    """

    kind: str
    object_id: int
    label: str
    what: str
    url: str
    before: date | None
    after: date | None
    region_id: int
    department_id: int | None = None
    organization_id: int | None = None
