"""The demo tickets: deterministic for a given day, mostly on time, some escalated."""

from datetime import date

import pytest

from greenlight.demo import tickets as demo
from greenlight.tickets import jobs
from greenlight.tickets.models import Ticket, TicketEvent
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def _fingerprint():
    return list(
        Ticket.objects.order_by("reported_at", "title", "project_id").values_list(
            "project_id",
            "title",
            "category",
            "status",
            "reported_at",
            "feedback_at",
            "escalated_at",
        )
    )


def test_demo_tickets_are_deterministic_and_varied(world):
    # given a district with some projects
    for _ in range(60):
        f.ProjectFactory(owner=world.org1 if _ % 5 == 0 else world.org2)
    # when the demo is built twice from scratch
    demo.build(today=TODAY)
    first = _fingerprint()
    TicketEvent.objects.all().delete()
    Ticket.objects.all().delete()
    demo.build(today=TODAY)
    # then it is the same, with open, closed and escalated tickets
    assert _fingerprint() == first and len(first) > 20
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {"closed", "progress"} <= statuses
    assert Ticket.objects.filter(escalated_at__isnull=False).exists()
    # and the tick does not escalate again what the demo already escalated before its day
    assert jobs.escalate(now=demo._at(TODAY, 16, 0)) == {"overdue": 0, "escalated": 0}
