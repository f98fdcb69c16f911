"""Periodic approval jobs run by `greenlight tick`: due-soon and overdue reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from greenlight.accounts.models import User
from greenlight.kernel.roles import Role
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event

from . import clocks
from .choices import Status
from .models import Approval


def notify_deadlines(*, now: datetime) -> dict:
    """Remind the department when an approval turns yellow, and it and the coordinators when
    it turns red; each reminder is sent once per due date (idempotent)."""
    counts = {"due_soon": 0, "overdue": 0}
    running = (
        Approval.objects.filter(status=Status.ACCEPTED, due_at__lte=now + timedelta(days=10))
        .select_related("project__region", "matter", "department")
        .order_by("due_at")
    )
    coordinators: dict[int, list] = {}
    for a in running.iterator(chunk_size=500):
        region = a.project.region
        light = clocks.light(a, now=now, yellow_workdays=clocks.yellow_threshold(region))
        if light not in ("yellow", "red"):
            continue
        staff = list(a.department.users.filter(is_active=True, role=Role.APPROVER))
        event, title = Event.APPROVAL_DUE, _("Due soon: %(m)s") % {"m": a.matter.name}
        if light == "red":
            if region.pk not in coordinators:
                coordinators[region.pk] = list(
                    User.objects.filter(region=region, role=Role.COORDINATOR, is_active=True)
                )
            staff += coordinators[region.pk]
            event, title = Event.APPROVAL_OVERDUE, _("Overdue: %(m)s") % {"m": a.matter.name}
        key = f"approval:{a.pk}:{light}:{a.due_at:%Y%m%d%H%M}"
        sent = notifications.notify(
            users=staff,
            event=event,
            key=key,
            title=title,
            body=f"{a.project.name} · {a.department.name} · {a.due_at:%Y-%m-%d %H:%M}",
            url=f"/approvals/{a.pk}/",
            region=region,
            department=a.department,
            now=now,
        )
        counts["overdue" if light == "red" else "due_soon"] += 1 if sent else 0
    return counts
