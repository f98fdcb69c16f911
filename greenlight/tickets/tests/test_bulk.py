"""Bulk tickets: events in time order from the report on, each audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from greenlight.audit.models import AuditEvent
from greenlight.kernel.errors import InvalidInput
from greenlight.tickets import bulk, clocks
from greenlight.tickets.choices import Category, Channel, EventKind
from greenlight.tickets.models import Ticket, TicketEvent


def _ticket(world, reported):
    due = clocks.dues(reported, world.baoan)
    return Ticket(
        project=world.project1,
        title="施工围挡占道审批未办",
        category=Category.SITE,
        channel=Channel.PHONE,
        reporter=world.users.coordinator,
        reported_at=reported,
        feedback_due=due["feedback"],
        path_due=due["path"],
        progress_due=due["progress"],
    )


@pytest.mark.django_db
def test_load_writes_tickets_events_links_and_audit_rows(world):
    reported = timezone.now() - timedelta(days=3)
    t = _ticket(world, reported)
    events = [
        TicketEvent(kind=EventKind.REPORTED, at=reported, actor=world.users.coordinator),
        TicketEvent(kind=EventKind.ASSIGNED, at=reported + timedelta(hours=1), text="交通运输局"),
    ]
    assert bulk.load([(t, events, [world.water])]) == 2
    stored = Ticket.objects.get(title="施工围挡占道审批未办")
    assert list(stored.cooperating_departments.all()) == [world.water]
    actions = set(
        AuditEvent.objects.filter(object_id=str(stored.pk)).values_list("action", flat=True)
    )
    assert actions == {"ticket_reported", "ticket_assigned"}


@pytest.mark.django_db
def test_load_refuses_events_out_of_time_order(world):
    reported = timezone.now() - timedelta(days=3)
    events = [
        TicketEvent(kind=EventKind.REPORTED, at=reported),
        TicketEvent(kind=EventKind.ASSIGNED, at=reported - timedelta(hours=1)),
    ]
    with pytest.raises(InvalidInput) as exc:
        bulk.load([(_ticket(world, reported), events, [])])
    assert exc.value.field == "tickets.0.events.1"
    assert not Ticket.objects.exists()
