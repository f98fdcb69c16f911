"""The work queue and the ticket list, answered as plain rows (kernel/rows.py), are byte for
byte what ninja's validated path gives for the same objects, on data made through the
services (approvals submitted and accepted, tickets reported and assigned); and a list's
requests cost a fixed number of queries (the token, the rows; for a paged list the page's ids,
its rows and the count)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from greenlight.approvals import selectors as approval_selectors
from greenlight.approvals import services as approval_services
from greenlight.approvals.api import QueueItemOut
from greenlight.tickets import selectors as ticket_selectors
from greenlight.tickets import services as ticket_services
from greenlight.tickets.api import TicketOut
from tests import factories as f
from tests.api_rows import as_ninja_renders, bearer, validated

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


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


def _answer(client, user, url, queries):
    """The list's answer to a second request with the user's token (the first use of a token
    notes it, then at most once a minute), within `queries` queries."""
    headers = bearer(user)
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= queries, [q["sql"] for q in ctx.captured_queries]
    return response


@pytest.mark.parametrize("who", ["approver", "coordinator", "leader", "water_approver"])
def test_the_queue_is_the_validated_answer(client, world, who):
    _approvals(world)
    user = getattr(world.users, who)
    # the token, the approvals with their joins, their open pauses
    response = _answer(client, user, "/api/v1/approvals/queue", 3)
    rows, _ = approval_selectors.queue(
        user=user, filters=approval_selectors.QueueFilter(), now=timezone.now()
    )
    assert response.content == as_ninja_renders(validated(QueueItemOut, rows, user=user))
    assert (len(rows) > 0) is (who != "water_approver")


@pytest.mark.parametrize("who", ["coordinator", "company", "approver", "nanshan"])
def test_the_ticket_list_is_the_validated_answer(client, world, who):
    _tickets(world)
    user = getattr(world.users, who)
    # the token, the page's ids, their rows, the count
    response = _answer(client, user, "/api/v1/tickets?page_size=2", 4)
    now = timezone.now()
    rows = ticket_selectors.ticket_list(user=user, filters=ticket_selectors.TicketFilter(), now=now)
    expected = validated(TicketOut, ticket_selectors.with_lights(rows[:2], now=now), user=user)
    assert response.content == as_ninja_renders({"items": expected, "count": rows.count()})
    assert (len(expected) > 0) is (who != "nanshan")


def test_the_ticket_list_reads_one_page_in_four_queries_however_many_tickets(client, world):
    for i in range(53):
        ticket_services.report(
            actor=world.users.coordinator,
            project=world.project1,
            title=f"渣土受纳场地不足{i}",
            category="site",
            reported_at=datetime(2026, 9, 1, 8, tzinfo=TZ) + timedelta(hours=i),
        )
    user = world.users.coordinator
    first = _answer(client, user, "/api/v1/tickets", 4).json()
    last = _answer(client, user, "/api/v1/tickets?page=2", 4).json()
    assert first["count"] == last["count"] == 53
    assert (len(first["items"]), len(last["items"])) == (50, 3)
    now = timezone.now()
    rows = ticket_selectors.ticket_list(user=user, filters=ticket_selectors.TicketFilter(), now=now)
    ids = [t["id"] for t in first["items"] + last["items"]]
    assert ids == list(rows.values_list("pk", flat=True))  # most urgent first, across pages
