"""Tickets follow a calendar change: the 1-2-3 milestones not met yet get their due times on the
new calendar (escalation moments follow, being computed from them).

Receiver of `catalog.hooks.calendar_changed`; each milestone that moved is saved, audited with its
ticket and returned as `Moved` (one per milestone).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from greenlight.audit import services as audit
from greenlight.catalog.choices import MovedKind
from greenlight.catalog.hooks import Moved

from . import clocks
from .choices import MILESTONES, OPEN_STATUSES
from .models import Ticket

MARGIN = timedelta(days=31)  # a milestone is due within a few working days of the report


def on_calendar_changed(*, change, calendar, years, at, actor) -> list[Moved]:
    """Recompute the milestones not met yet of every open ticket reported near `years`."""
    first = datetime(min(years), 1, 1, tzinfo=timezone.get_current_timezone()) - MARGIN
    after = datetime(max(years) + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    rows = Ticket.objects.filter(
        status__in=OPEN_STATUSES, reported_at__gte=first, reported_at__lt=after
    ).select_related("project__region")
    moved, changed = [], []
    for t in rows:
        dues = clocks.dues(t.reported_at, t.project.region, calendar=calendar)
        shifts = {}
        for m in map(str, MILESTONES):
            before = t.due_of(m)
            if getattr(t, f"{m}_at") is None and dues[m] != before:
                shifts[m] = (before, dues[m])
                setattr(t, f"{m}_due", dues[m])
        if not shifts:
            continue
        changed.append(t)
        audit.record(
            t,
            "ticket_dues_recalendared",
            actor=actor,
            at=at,
            changes={f"{m}_due": list(pair) for m, pair in shifts.items()}
            | {"calendar_change": change.pk},
        )
        moved += [
            Moved(
                kind=MovedKind.TICKET,
                object_id=t.pk,
                label=f"{t.project.name} · #{t.pk} {t.title}",
                what=m,
                url=f"/tickets/{t.pk}/",
                before=timezone.localtime(before).date(),
                after=timezone.localtime(after_).date(),
                region_id=t.project.region_id,
                department_id=t.lead_department_id,
                organization_id=t.project.owner_id,
            )
            for m, (before, after_) in shifts.items()
        ]
    Ticket.objects.bulk_update(changed, [f"{m}_due" for m in map(str, MILESTONES)], batch_size=500)
    return moved
