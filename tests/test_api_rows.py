"""The work queue and the ticket list, answered as plain rows (kernel/rows.py), are byte for
byte what ninja's validated path gives for the same objects, on data made through the
services (approvals submitted and accepted, tickets reported and assigned); and a list's
requests cost a fixed number of queries (the token, the rows)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from greenlight.accounts.models import ApiToken
from greenlight.approvals import selectors as approval_selectors
from greenlight.approvals import services as approval_services
from greenlight.approvals.api import QueueItemOut
from greenlight.tickets import selectors as ticket_selectors
from greenlight.tickets import services as ticket_services
from greenlight.tickets.api import TicketOut
from tests import factories as f
from tests.api_rows import as_ninja_renders, validated

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _bearer(user):
    _, raw = ApiToken.issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _approvals(world) -> None:
    at = datetime(2026, 11, 2, 10, tzinfo=TZ)
    services = approval_services
    accepted = world.approval1
    services.transition(approval=accepted, action="submit", actor=world.users.company, at=at)
    services.transition(approval=accepted, action="accept", actor=world.users.approver, at=at)
    other = f.ApprovalFactory(project=world.project2, matter=world.matter, department=world.eco)
    services.transition(approval=other, action="submit", actor=world.users.company2, at=at)
    f.ApprovalFactory(project=world.project2, matter=f.MatterFactory(), department=world.eco)


def _tickets(world) -> None:
    for i, project in enumerate([world.project1, world.project2, world.project1]):
        ticket = ticket_services.report(
            actor=world.users.coordinator,
            project=project,
            title=f"施工临时用电报装进度缓慢{i}",
            category="site",
            reported_at=datetime(2026, 9, 28 + i, 16, tzinfo=TZ),
        )
        if i:
            ticket_services.assign(
                ticket=ticket, actor=world.users.coordinator, lead=world.eco, cooperating=[]
            )


@pytest.mark.parametrize("who", ["approver", "coordinator", "leader", "water_approver"])
def test_the_queue_is_the_validated_answer(client, world, who, django_assert_max_num_queries):
    _approvals(world)
    user = getattr(world.users, who)
    headers = _bearer(user)
    client.get(
        "/api/v1/approvals/queue", **headers
    )  # the token's first use notes it (then at most once a minute)
    with django_assert_max_num_queries(3):  # the token, the approvals, their open pauses
        response = client.get("/api/v1/approvals/queue", **headers)
    assert response.status_code == 200
    rows, _ = approval_selectors.queue(
        user=user, filters=approval_selectors.QueueFilter(), now=timezone.now()
    )
    assert response.content == as_ninja_renders(validated(QueueItemOut, rows, user=user))
    assert (len(rows) > 0) is (who != "water_approver")


@pytest.mark.parametrize("who", ["coordinator", "company", "approver", "nanshan"])
def test_the_ticket_list_is_the_validated_answer(client, world, who, django_assert_max_num_queries):
    _tickets(world)
    user = getattr(world.users, who)
    headers = _bearer(user)
    client.get(
        "/api/v1/tickets", **headers
    )  # the token's first use notes it (then at most once a minute)
    with django_assert_max_num_queries(2):  # the token, the tickets with project and region
        response = client.get("/api/v1/tickets", **headers)
    assert response.status_code == 200
    now = timezone.now()
    rows = ticket_selectors.ticket_list(user=user, filters=ticket_selectors.TicketFilter(), now=now)
    expected = validated(TicketOut, ticket_selectors.with_lights(rows, now=now), user=user)
    assert response.content == as_ninja_renders(expected)
    assert (len(expected) > 0) is (who != "nanshan")
