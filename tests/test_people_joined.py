"""A timeline names each person who acted by name and office (姓名 · 部门): the office comes from
the person's department, organization or region, joined with the timeline, so a longer timeline
with more people costs no more queries (a ticket's detail made 6 extra queries for 6 events)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from greenlight.approvals.models import ApprovalEvent
from greenlight.kernel.roles import Role
from greenlight.tickets.models import TicketEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def _people(world, n: int) -> list:
    """n people of every kind: approvers (department), companies (organization), staff (region)."""
    kinds = [
        {"role": Role.APPROVER, "department": world.water},
        {"role": Role.COMPANY, "organization": world.org1},
        {"role": Role.COORDINATOR},
    ]
    return [f.UserFactory(region=world.baoan, **kinds[i % 3]) for i in range(n)]


def _queries(client, url: str) -> int:
    client.get(url)  # once before: the session's first-request writes are not the page's
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def test_a_tickets_timeline_costs_the_same_queries_however_many_people_acted(client_for, world):
    ticket = f.reported_ticket(reporter=world.users.company, project=world.project1, days_ago=3)
    client = client_for(world.users.coordinator)
    urls = [f"/api/v1/tickets/{ticket.pk}", f"/tickets/{ticket.pk}/"]
    before = [_queries(client, url) for url in urls]
    for i, person in enumerate(_people(world, 6)):
        TicketEvent.objects.create(
            ticket=ticket, kind="comment", at=timezone.now() - timedelta(hours=i), actor=person
        )
    body = client.get(urls[0]).json()
    offices = {e["actor_name"].split(" · ")[1] for e in body["timeline"] if e["actor_name"]}
    assert {world.water.short_name, world.org1.name, "总指办（统筹协调）"} <= offices
    assert [_queries(client, url) for url in urls] == before


def test_an_approvals_timeline_costs_the_same_queries_however_many_people_acted(client_for, world):
    approval = world.approval1
    client = client_for(world.users.coordinator)
    urls = [f"/api/v1/approvals/{approval.pk}", f"/approvals/{approval.pk}/"]
    before = [_queries(client, url) for url in urls]
    for i, person in enumerate(_people(world, 6)):
        ApprovalEvent.objects.create(
            approval=approval,
            kind="note",
            to_status=approval.status,
            at=timezone.now() - timedelta(hours=i),
            actor=person,
        )
    assert [_queries(client, url) for url in urls] == before
