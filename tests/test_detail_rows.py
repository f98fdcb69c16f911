"""The approval's and the ticket's detail answered from plain rows (kernel/rows.py) are byte for
byte what ninja's validated path gives for the same object: every field, an empty and a long
timeline, for each role that may read them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from greenlight.approvals import api as approvals_api
from greenlight.approvals.models import ApprovalEvent
from greenlight.tickets import api as tickets_api
from greenlight.tickets import services as tickets
from greenlight.tickets.models import TicketEvent
from tests import factories as f
from tests.api_rows import as_ninja_renders, bearer, validated

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("who", ["coordinator", "approver", "leader", "company"])
def test_approval_detail_bytes_equal_the_validated_path(client, world, who):
    user = getattr(world.users, who)
    approval = world.approval1
    url = f"/api/v1/approvals/{approval.pk}"
    for step in range(2):
        response = client.get(url, **bearer(user))
        assert response.status_code == 200
        fresh = type(approval).objects.select_related("project__region", "matter", "department")
        detail = approvals_api._detail(_request(user), fresh.get(pk=approval.pk))
        expected = validated(approvals_api.ApprovalDetailOut, [detail], user=user)[0]
        assert response.content == as_ninja_renders(expected)
        assert len(response.json()["events"]) == 2 * step
        for person in (world.users.approver, None):
            ApprovalEvent.objects.create(
                approval=approval,
                kind="note",
                from_status="not_started",
                to_status="consulting",
                at=datetime(2026, 11, 30, 8, 15, 30, 123456, tzinfo=UTC),
                actor=person,
                note="补正材料",
            )
        type(approval).objects.filter(pk=approval.pk).update(
            consulting_at=timezone.now() - timedelta(days=1), due_at=timezone.now()
        )


@pytest.mark.parametrize("who", ["coordinator", "leader", "company"])
def test_ticket_detail_bytes_equal_the_validated_path(client, world, who):
    user = getattr(world.users, who)
    ticket = f.reported_ticket(reporter=world.users.company, project=world.project1, days_ago=2)
    tickets.assign(
        ticket=ticket, actor=world.users.coordinator, lead=world.eco, cooperating=[world.water]
    )
    TicketEvent.objects.create(ticket=ticket, kind="comment", at=timezone.now(), actor=None)
    response = client.get(f"/api/v1/tickets/{ticket.pk}", **bearer(user))
    assert response.status_code == 200
    fresh = tickets_api._visible(_request(user), ticket.pk)
    expected = validated(tickets_api.TicketDetailOut, [tickets_api._detail(fresh)], user=user)[0]
    assert response.content == as_ninja_renders(expected)
    body = response.json()
    assert len(body["timeline"]) >= 3 and body["cooperating_department_ids"] == [world.water.pk]
