"""Approvals follow a calendar change: running clocks get their due time on the new calendar.

Receiver of `catalog.hooks.calendar_changed`. A running clock is an accepted approval, or a
paused one (whose stored due time is the one it had when the clock stopped: recomputed without
the open pause, which moves it when the clock resumes). Only clocks whose span reaches into the
changed years can move; each one that moved is saved, audited and returned as `Moved`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from greenlight.audit import services as audit
from greenlight.catalog.choices import MovedDate, MovedKind
from greenlight.catalog.hooks import Moved

from . import clocks
from .choices import Status
from .models import Approval

RUNNING = (Status.ACCEPTED, Status.PAUSED)


def on_calendar_changed(*, change, calendar, years, at, actor) -> list[Moved]:
    """Recompute the due time of every running clock that reaches into `years`."""
    first = datetime(min(years), 1, 1, tzinfo=timezone.get_current_timezone()) - timedelta(days=1)
    after = datetime(max(years) + 1, 1, 1, tzinfo=timezone.get_current_timezone()) + timedelta(
        days=1
    )
    rows = (
        Approval.objects.filter(
            status__in=RUNNING, accepted_at__isnull=False, accepted_at__lt=after
        )
        .filter(Q(due_at__gte=first) | Q(due_at__isnull=True))
        .select_related("project__region", "matter", "department")
        .prefetch_related("pauses")
    )
    moved, changed = [], []
    for a in rows:
        closed = [(p.started_at, p.ended_at) for p in a.pauses.all() if p.ended_at is not None]
        due = clocks.due_at(a, pauses=closed, calendar=calendar)
        if due is None or due == a.due_at:
            continue
        before = a.due_at
        a.due_at = due
        changed.append(a)
        audit.record(
            a,
            "approval_due_recalendared",
            actor=actor,
            at=at,
            changes={"due_at": [before, due], "calendar_change": change.pk},
        )
        moved.append(
            Moved(
                kind=MovedKind.APPROVAL,
                object_id=a.pk,
                label=f"{a.project.name} · {a.matter.name}",
                what=MovedDate.DUE,
                url=f"/approvals/{a.pk}/",
                before=timezone.localtime(before).date() if before else None,
                after=timezone.localtime(due).date(),
                region_id=a.project.region_id,
                department_id=a.department_id,
                organization_id=a.project.owner_id,
            )
        )
    Approval.objects.bulk_update(changed, ["due_at"], batch_size=500)
    return moved
