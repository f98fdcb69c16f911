"""Bulk writes of problem tickets with their histories, for a simulation at district scale (the
demo) or an import: the rows `services` would have written, each event audited as
`ticket_<kind>` at its moment. The same rules: events in time order, none before the report,
the 1-2-3 dues computed by `clocks.dues` from the report time."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from greenlight.audit import services as audit
from greenlight.kernel.errors import InvalidInput

from .models import Ticket, TicketEvent


def check(ticket: Ticket, events: list[TicketEvent], i: int) -> None:
    last = ticket.reported_at
    for j, e in enumerate(events):
        if e.at < last:
            raise InvalidInput(_("events out of time order"), field=f"tickets.{i}.events.{j}")
        last = e.at
    if ticket.feedback_due and ticket.feedback_due <= ticket.reported_at:
        raise InvalidInput(_("the feedback is due before the report"), field=f"tickets.{i}")


def load(rows: list[tuple[Ticket, list[TicketEvent], list]]) -> int:
    """Create tickets `(ticket, events, cooperating departments)`, all or nothing."""
    for i, (t, events, _co) in enumerate(rows):
        check(t, events, i)
    with transaction.atomic():
        tickets = Ticket.objects.bulk_create([t for t, _, _ in rows], batch_size=500)
        through = Ticket.cooperating_departments.through
        events, links, entries = [], [], []
        for t, evs, co in zip(tickets, (r[1] for r in rows), (r[2] for r in rows), strict=True):
            for e in evs:
                e.ticket = t
                events.append(e)
                entries.append(
                    {"obj": t, "action": f"ticket_{e.kind}", "actor": e.actor, "at": e.at,
                     "region": t.project.region, "changes": {"text": e.text}}
                )  # fmt: skip
            links += [through(ticket_id=t.pk, department_id=d.pk) for d in co]
        TicketEvent.objects.bulk_create(events, batch_size=1000)
        through.objects.bulk_create(links, batch_size=1000)
        audit.record_many(entries)
    return len(events)
