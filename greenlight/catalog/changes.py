"""Changing the working-day calendar for everyone at once, and telling who is concerned.

`apply(kind=..., years=..., write=..., actor=...)` runs in one transaction: `write()` writes the
days, the new calendar is read from the table, a `CalendarChange` is recorded, every app
recomputes what depends on the calendar through `hooks.calendar_changed` (approvals' due times,
tickets' milestones, every project's plan) and returns what moved; the moved dates are stored
with the change, audited, and the people concerned get one inbox message each: the approvers of
the departments whose approvals moved, the owners' users whose projects moved, the coordinators
of the regions. A receiver's failure rolls everything back, days included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.accounts.models import Region, User
from greenlight.audit import services as audit
from greenlight.kernel.roles import Role
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event

from . import calendars, hooks
from .choices import CalendarChangeKind, MovedDate, MovedKind
from .models import CalendarChange, CalendarDay, CalendarMove

LINES_PER_MESSAGE = 8


def apply(
    *,
    kind: str,
    years: Iterable[int],
    write: Callable[[], object],
    actor,
    at: datetime | None = None,
    summary: str = "",
    details: dict | None = None,
) -> tuple[CalendarChange, object]:
    """Write days with `write()` and move every clock and plan to the new calendar, all or
    nothing; returns the recorded change and what `write()` returned."""
    at = at or timezone.now()
    years = tuple(sorted(set(years)))
    try:
        with transaction.atomic():
            hooks.calendar_changing.send(calendar=calendars.from_table(), years=years, at=at)
            outcome = write()
            calendar = calendars.from_table()
            change = CalendarChange.objects.create(
                kind=kind,
                years=list(years),
                summary=summary[:300],
                details=details or {},
                actor=actor if getattr(actor, "pk", None) else None,
                at=at,
            )
            results = hooks.calendar_changed.send(
                change=change, calendar=calendar, years=years, at=at, actor=actor
            )
            moved = [m for result in results for m in (result or ())]
            CalendarMove.objects.bulk_create([_row(change, m) for m in moved], batch_size=500)
            counts = Counter(m.kind for m in moved)
            change.approvals = counts[MovedKind.APPROVAL]
            change.tickets = counts[MovedKind.TICKET]
            change.projects = counts[MovedKind.PROJECT]
            change.save(update_fields=["approvals", "tickets", "projects"])
            audit.record(
                change,
                f"calendar_{kind}",
                actor=actor,
                at=at,
                changes={
                    "years": list(years),
                    "summary": change.summary,
                    "details": change.details,
                    "moved": dict(counts),
                },
            )
            _notify(change, moved)
    finally:
        calendars.invalidate()  # committed or rolled back, the cache must read the table again
    return change, outcome


def _row(change: CalendarChange, m: hooks.Moved) -> CalendarMove:
    return CalendarMove(
        change=change,
        kind=m.kind,
        object_id=m.object_id,
        label=m.label[:300],
        what=m.what,
        url=m.url[:300],
        before=m.before,
        after=m.after,
        region_id=m.region_id,
        department_id=m.department_id,
        organization_id=m.organization_id,
    )


# -- telling the people concerned ---------------------------------------------------------------


def _notify(change: CalendarChange, moved: list[hooks.Moved]) -> int:
    """One inbox message per person concerned, listing their moved dates (idempotent per change)."""
    if not moved:
        return 0
    sent = 0
    departments = {m.department_id for m in moved if m.department_id}
    owners = {m.organization_id for m in moved if m.organization_id}
    regions = {m.region_id for m in moved}
    active = User.objects.filter(is_active=True)
    for user in active.filter(role=Role.APPROVER, department_id__in=departments):
        items = [m for m in moved if m.department_id == user.department_id]
        sent += _tell([user], change, items, url=_single_url(items, "/approvals/"))
    for user in active.filter(role=Role.COMPANY, organization_id__in=owners):
        items = [m for m in moved if m.organization_id == user.organization_id]
        sent += _tell([user], change, items, url=_single_url(items, "/projects/"))
    coordinators: dict[int, list] = {}
    for user in active.filter(role=Role.COORDINATOR, region_id__in=regions):
        coordinators.setdefault(user.region_id, []).append(user)
    for region in Region.objects.filter(pk__in=regions):
        items = [m for m in moved if m.region_id == region.pk]
        sent += _tell(
            coordinators.get(region.pk, []),
            change,
            items,
            url=f"/calendar/changes/{change.pk}/",
            region=region,  # the region's webhooks get the coordinators' message once
            key=f"calendar:{change.pk}:region:{region.pk}",
        )
    # coordinators above the districts (a city, the province) hear once of all below them
    codes = dict(Region.objects.filter(pk__in=regions).values_list("pk", "code"))
    for user in active.filter(role=Role.COORDINATOR).exclude(region_id__in=regions):
        if user.region is None:
            continue
        prefix = user.region.prefix
        items = [m for m in moved if codes.get(m.region_id, "").startswith(prefix)]
        if items:
            sent += _tell([user], change, items, url=f"/calendar/changes/{change.pk}/")
    return sent


def _single_url(items: list[hooks.Moved], fallback: str) -> str:
    urls = {m.url for m in items}
    return urls.pop() if len(urls) == 1 else fallback


def _tell(users, change, items, *, url: str, region=None, key: str = "") -> int:
    if not items or (not users and region is None):
        return 0
    years = "、".join(str(y) for y in change.years)
    title = _("%(years)s calendar changed (%(kind)s): %(n)s of your dates moved") % {
        "years": years,
        "kind": CalendarChangeKind(change.kind).label,
        "n": len(items),
    }
    lines = [_line(m) for m in items[:LINES_PER_MESSAGE]]
    if len(items) > LINES_PER_MESSAGE:
        lines.append(_("… and %(n)s more") % {"n": len(items) - LINES_PER_MESSAGE})
    return notifications.notify(
        users=users,
        event=Event.CALENDAR_CHANGED,
        key=key or f"calendar:{change.pk}",
        title=title,
        body="；\n".join(lines),
        url=url,
        region=region,
    )


def _line(m: hooks.Moved) -> str:
    before = m.before.isoformat() if m.before else "—"
    after = m.after.isoformat() if m.after else "—"
    what = MovedDate(m.what).label if m.what in MovedDate.values else m.what
    return _("%(item)s · %(what)s: %(before)s → %(after)s") % {
        "item": m.label,
        "what": what,
        "before": before,
        "after": after,
    }


# -- the calendar's writers, each moving everything ---------------------------------------------


def import_file(
    rows: list, *, name: str, actor, at: datetime | None = None
) -> tuple[CalendarChange, calendars.ImportReport]:
    """Import checked CSV rows (`calendars.read_csv`) and recompute every clock and plan."""
    years = sorted({d.year for d, _work, _note in rows})
    return apply(
        kind=CalendarChangeKind.IMPORT,
        years=years,
        write=lambda: calendars.import_rows(rows, path=name, actor=actor),
        actor=actor,
        at=at,
        summary=_("%(file)s: %(n)s days") % {"file": name, "n": len(rows)},
        details={"file": name, "days": len(rows)},
    )


def seed(*, actor=None, stdout=None) -> CalendarChange | None:
    """Seed from the package; when that wrote days (a newer package with a new year), recompute
    every clock and plan. Returns the change, or None when nothing was written."""
    package = calendars.package_calendar()
    wanted = {i.date: i for year in package.known_years for i in package.days(year)}
    table = CalendarDay.objects.filter(date__range=(min(wanted), max(wanted)))
    existing = dict(table.values_list("date", "is_workday"))
    touched = sorted(
        {d.year for d, i in wanted.items() if existing.get(d, not i.is_workday) != i.is_workday}
    )
    if not touched or not CalendarDay.objects.exists():  # an empty table meant the package
        calendars.seed_from_package(stdout=stdout)
        return None
    change, _created = apply(
        kind=CalendarChangeKind.SEED,
        years=touched,
        write=lambda: calendars.seed_from_package(stdout=stdout),
        actor=actor,
        summary=_("package years %(years)s") % {"years": ", ".join(map(str, touched))},
    )
    return change
