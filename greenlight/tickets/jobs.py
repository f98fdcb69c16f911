"""The ticket job of `greenlight tick`: a missed milestone turns the ticket red and tells the
coordinators; one more working day late, it goes to the region's leaders. Idempotent: each
milestone of each ticket is flagged and escalated at most once (a unique constraint says so)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from greenlight.accounts.models import User
from greenlight.audit import services as audit
from greenlight.kernel.roles import Role
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event

from . import clocks
from .choices import MILESTONES, OPEN_STATUSES, EventKind, Milestone
from .models import Ticket, TicketEvent


def _late(now: datetime) -> Q:
    return (
        Q(feedback_at__isnull=True, feedback_due__lt=now)
        | Q(path_at__isnull=True, path_due__lt=now)
        | Q(progress_at__isnull=True, progress_due__lt=now)
    )


def escalate(*, now: datetime) -> dict:
    """Flag missed milestones and escalate those one working day later; returns counts."""
    counts = {"overdue": 0, "escalated": 0}
    late = (
        Ticket.objects.filter(status__in=OPEN_STATUSES)
        .filter(_late(now))
        .select_related("project__region", "lead_department")
        .order_by("id")
    )
    done = set(
        TicketEvent.objects.filter(
            kind__in=[EventKind.OVERDUE, EventKind.ESCALATED], ticket__in=late
        ).values_list("ticket_id", "kind", "milestone")
    )
    people: dict[tuple[int, str], list] = {}
    for ticket in late.iterator(chunk_size=500):
        region = ticket.project.region
        for m in MILESTONES:
            due = ticket.due_of(m)
            if getattr(ticket, f"{m}_at") is not None or due >= now:
                continue
            if (ticket.pk, EventKind.OVERDUE, m) not in done:
                users = _people(people, region, Role.COORDINATOR) + _dept(ticket)
                counts["overdue"] += _flag(ticket, m, EventKind.OVERDUE, users, now=now)
            if now > clocks.escalation_at(due, region) and (
                (ticket.pk, EventKind.ESCALATED, m) not in done
            ):
                users = _people(people, region, Role.LEADER) + _people(
                    people, region, Role.COORDINATOR
                )
                counts["escalated"] += _flag(ticket, m, EventKind.ESCALATED, users, now=now)
    return counts


def _people(cache: dict, region, role: str) -> list:
    if (region.pk, role) not in cache:
        cache[(region.pk, role)] = list(
            User.objects.filter(region=region, role=role, is_active=True)
        )
    return cache[(region.pk, role)]


def _dept(ticket: Ticket) -> list:
    if ticket.lead_department_id is None:
        return []
    return list(ticket.lead_department.users.filter(is_active=True, role=Role.APPROVER))


def _flag(ticket: Ticket, milestone: str, kind: str, users: list, *, now: datetime) -> int:
    label = Milestone(milestone).label
    if kind == EventKind.OVERDUE:
        title = _("Missed %(m)s: %(t)s") % {"m": label, "t": ticket.title}
    else:
        title = _("Escalated, %(m)s missed: %(t)s") % {"m": label, "t": ticket.title}
    due = ticket.due_of(milestone)
    try:
        with transaction.atomic():
            TicketEvent.objects.create(
                ticket=ticket,
                kind=kind,
                milestone=milestone,
                at=now,
                text=f"{label} · {clocks.timezone.localtime(due):%Y-%m-%d %H:%M}",
            )
            if kind == EventKind.ESCALATED and ticket.escalated_at is None:
                ticket.escalated_at = now
                ticket.save(update_fields=["escalated_at"])
            audit.record(
                ticket,
                "ticket_missed" if kind == EventKind.OVERDUE else "ticket_escalated",
                changes={"milestone": milestone, "due": due},
            )
            notifications.notify(
                users=users,
                event=Event.TICKET,
                key=f"ticket:{ticket.pk}:{kind}:{milestone}",
                title=title,
                body=f"{ticket.project.name} · {ticket.lead_department or '—'}",
                url=f"/tickets/{ticket.pk}/",
                region=ticket.project.region,
                department=ticket.lead_department,
                now=now,
            )
    except IntegrityError:  # another tick got there first
        return 0
    return 1
