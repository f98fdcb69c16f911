"""Supervision notices follow a calendar change: an unanswered notice's reply deadline is the
N-th working day after its issue day on the new calendar (N as given when it was issued).

Receiver of `catalog.hooks.calendar_changed`; each deadline that moved is saved, audited with
its notice and returned as `Moved`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from greenlight.audit import services as audit
from greenlight.catalog import calendars
from greenlight.catalog.choices import MovedDate, MovedKind
from greenlight.catalog.hooks import Moved

from .models import SupervisionNotice

MARGIN = timedelta(days=62)  # a reply is due at most 30 working days after the issue day


def on_calendar_changed(*, change, calendar, years, at, actor) -> list[Moved]:
    """Recompute the reply deadline of every unanswered notice issued near `years`."""
    zone = timezone.get_current_timezone()
    first = datetime(min(years), 1, 1, tzinfo=zone) - MARGIN
    after = datetime(max(years) + 1, 1, 1, tzinfo=zone)
    rows = SupervisionNotice.objects.filter(
        replied_at__isnull=True,
        reply_workdays__isnull=False,
        issued_at__gte=first,
        issued_at__lt=after,
    ).select_related("region")
    moved, changed = [], []
    for n in rows:
        due = calendars.workday_due(n.issued_at, n.reply_workdays, n.region, calendar=calendar)
        if due == n.reply_due:
            continue
        before, n.reply_due = n.reply_due, due
        changed.append(n)
        audit.record(
            n,
            "notice_due_recalendared",
            actor=actor,
            at=at,
            changes={"reply_due": [before, due], "calendar_change": change.pk},
        )
        moved.append(
            Moved(
                kind=MovedKind.NOTICE,
                object_id=n.pk,
                label=n.subject_label,
                what=MovedDate.REPLY,
                url=f"/supervision/{n.pk}/",
                before=timezone.localtime(before).date(),
                after=timezone.localtime(due).date(),
                region_id=n.region_id,
                department_id=n.department_id,
            )
        )
    SupervisionNotice.objects.bulk_update(changed, ["reply_due"], batch_size=500)
    return moved
