"""The audit trail: written by services, append-only, chained, readable by supervisors only."""

import json

import pytest
from django.db import connection

from greenlight.accounts.models import ApiToken
from greenlight.audit import services
from greenlight.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create_project(client, world, request_id="req-123"):
    _, raw = ApiToken.issue(user=world.users.coordinator)
    body = {
        "code": "2503-440306-04-01-777777",
        "name": "审计测试项目",
        "owner": world.org1.pk,
        "category": "gov_building",
        "industry": "education",
        "location": "深圳市宝安区新安街道",
        "construction_nature": "new",
        "scale_content": "新建教学楼一栋",
        "funding_source": "fiscal",
        "total_investment": "100",
    }
    return client.post(
        "/api/v1/projects",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_X_REQUEST_ID=request_id,
    )


def test_a_service_write_records_who_what_and_the_request(client, world):
    # when
    response = _create_project(client, world)
    # then
    assert response.status_code == 201
    assert response["X-Request-ID"] == "req-123"
    event = AuditEvent.objects.get(action="project_created")
    assert event.actor == world.users.coordinator
    assert event.request_id == "req-123"
    assert event.changes["name"] == "审计测试项目"
    assert event.region == world.baoan


def test_events_cannot_be_changed_or_deleted(world):
    event = services.record(world.project1, "something_happened", actor=world.users.admin)
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(action="x")


def test_the_hash_chain_reveals_tampering(world):
    # given three chained events
    for i in range(3):
        services.record(world.project1, f"step_{i}", actor=world.users.admin)
    assert services.verify_chain() == (True, None)
    second = AuditEvent.objects.order_by("id")[1]
    # when someone edits a row behind the application's back
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET action = %s WHERE id = %s",
            ["forged", second.id],
        )
    # then
    assert services.verify_chain() == (False, second.id)


def test_only_supervisors_read_the_trail(world):
    services.record(world.project1, "x", actor=world.users.admin)
    assert AuditEvent.objects.visible_to(world.users.supervisor).count() == 1
    for role in ("admin", "coordinator", "company", "leader", "approver"):
        assert AuditEvent.objects.visible_to(getattr(world.users, role)).count() == 0


def test_a_refused_write_leaves_no_event(client, world):
    _, raw = ApiToken.issue(user=world.users.coordinator)
    client.post(
        "/api/v1/projects",
        json.dumps({"code": "bad"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert not AuditEvent.objects.filter(action="project_created").exists()
