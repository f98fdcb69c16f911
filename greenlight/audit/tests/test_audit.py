"""The audit trail: written by services, append-only, HMAC-SM3 chained per project or region,
every field covered, the tail guarded by the head, readable by audit readers only."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from greenlight.accounts.models import ApiToken
from greenlight.audit import crypto, services
from greenlight.audit import verify as chain_verify
from greenlight.audit.models import AuditEvent, ChainHead

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


def _raw(sql, params=()):
    """SQL behind the application's back (on PostgreSQL past the triggers, as a DBA could)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


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


def test_a_service_write_records_who_what_and_the_servers_request_id(client, world):
    # when a client sends its own request id
    response = _create_project(client, world, request_id="chosen-by-client")
    # then the server makes its own, answers with it, and the event carries it
    assert response.status_code == 201
    server_id = response["X-Request-ID"]
    assert server_id != "chosen-by-client" and len(server_id) == 32
    event = AuditEvent.objects.get(action="project_created")
    assert event.actor == world.users.coordinator
    assert event.actor_role == "coordinator"
    assert event.request_id == server_id
    assert event.changes["name"] == "审计测试项目"
    assert event.region == world.baoan
    assert event.ip == "127.0.0.1"
    assert event.chain == f"p:{event.object_id}"
    assert not AuditEvent.objects.filter(request_id="chosen-by-client").exists()


def test_events_cannot_be_changed_or_deleted_through_the_orm(world):
    event = services.record(world.project1, "something_happened", actor=world.users.admin)
    for attempt in (
        event.save,
        event.delete,
        AuditEvent.objects.all().delete,
        lambda: AuditEvent.objects.update(action="x"),
        lambda: AuditEvent._base_manager.filter(pk=event.pk).update(action="x"),
        lambda: AuditEvent._base_manager.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(TypeError):
            attempt()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("sql", [f"UPDATE {TABLE} SET action = 'x'", f"DELETE FROM {TABLE}"])
def test_on_postgresql_a_trigger_refuses_update_and_delete(world, sql):
    from django.db import DatabaseError, transaction

    services.record(world.project1, "something_happened", actor=world.users.admin)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_hmac_sm3_is_the_same_from_openssl_and_from_gmssl():
    key, message = b"k" * 32, "审计 trail".encode()
    assert crypto.hmac_sm3(message, key=key, digestmod=crypto.openssl_sm3) == crypto.hmac_sm3(
        message, key=key, digestmod=crypto._GmSM3
    )
    # SM3("abc"), GB/T 32905-2016 appendix A
    assert crypto._GmSM3(b"abc").hexdigest() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def _three(world):
    return [
        services.record(world.project1, f"step_{i}", actor=world.users.coordinator)
        for i in range(3)
    ]


TAMPER = {
    "at": "'2020-01-01 00:00:00+00'",
    "actor_id": "NULL",
    "actor_name": "'someone_else'",
    "actor_role": "'leader'",
    "department": "'水务'",
    "action": "'forged'",
    "outcome": "'failure'",
    "object_type": "'projects.other'",
    "object_id": "'999'",
    "object_repr": "'另一个项目'",
    "changes": "'{\"x\": 1}'",
    "region_id": "NULL",
    "request_id": "'0000'",
    "ip": "'10.0.0.9'",
    "prev_hash": "'" + "1" * 64 + "'",
}


@pytest.mark.parametrize("field", sorted(TAMPER))
def test_changing_any_field_in_the_database_is_detected(world, field):
    # given three chained events, intact
    events = _three(world)
    assert chain_verify.verify().intact
    # when one field of the second row is changed behind the application's back
    _raw(f"UPDATE {TABLE} SET {field} = {TAMPER[field]} WHERE id = %s", [events[1].id])
    # then verification names that row
    result = chain_verify.verify()
    assert not result.intact
    assert result.first.event_id == events[1].id


def test_deleting_the_last_rows_is_detected(world):
    events = _three(world)
    _raw(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].id])
    result = chain_verify.verify()
    assert not result.intact
    assert "missing" in result.first.reason and result.first.chain == events[0].chain


def test_a_row_forged_and_rechained_without_the_key_is_detected(world):
    # given someone who can write the database but has no key (it lives outside it)
    events = _three(world)
    forged = AuditEvent.objects.get(pk=events[2].pk)
    forged.action = "forged"
    forged.hash = crypto.hmac_sm3(crypto.canonical(services.payload(forged)), key=b"guess" * 7)
    _raw(
        f"UPDATE {TABLE} SET action = %s, hash = %s WHERE id = %s",
        ["forged", forged.hash, forged.id],
    )
    head = ChainHead.objects.get(chain=forged.chain)
    _raw(
        f"UPDATE {ChainHead._meta.db_table} SET last_hash = %s WHERE chain = %s",
        [forged.hash, head.chain],
    )
    # then
    assert chain_verify.verify().first.event_id == forged.id


def test_each_project_has_its_own_chain(world):
    a = services.record(world.project1, "a", actor=world.users.coordinator)
    b = services.record(world.project2, "b", actor=world.users.coordinator)
    c = services.record(world.users.company, "c", actor=world.users.coordinator)
    assert {a.chain, b.chain, c.chain} == {
        f"p:{world.project1.pk}",
        f"p:{world.project2.pk}",
        "r:440306",
    }
    assert a.seq == b.seq == c.seq == 1
    assert chain_verify.verify().intact


def test_verify_command_exit_codes(world, capsys):
    events = _three(world)
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    _raw(f"UPDATE {TABLE} SET ip = '6.6.6.6' WHERE id = %s", [events[0].id])
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify")
    assert exit_.value.code == 1
    assert f"row {events[0].id}" in capsys.readouterr().err


def test_verify_since_checks_from_the_row_before_the_period(world, capsys):
    old = services.record(world.project1, "old", actor=None, at=timezone.now() - timedelta(days=30))
    services.record(world.project1, "new", actor=None)
    _raw(f"UPDATE {TABLE} SET action = 'x' WHERE id = %s", [old.id])
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--since", since)
    assert f"row {old.id}" in capsys.readouterr().err


def test_archive_exports_verifies_then_prunes_keeping_the_chain(world, tmp_path):
    old = timezone.now() - timedelta(days=400)
    for i in range(3):
        services.record(world.project1, f"old_{i}", actor=None, at=old + timedelta(minutes=i))
    services.record(world.project1, "recent", actor=None)
    out = tmp_path / "trail.jsonl"
    call_command(
        "audit",
        "archive",
        "--before",
        timezone.localdate(old + timedelta(days=1)).isoformat(),  # a day in Shanghai, not UTC
        "--out",
        str(out),
    )
    assert len(out.read_text().splitlines()) == 3
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "recent",
        "audit_archived",
    ]
    assert chain_verify.verify().intact


def test_archive_refuses_rows_younger_than_the_retention(world, tmp_path):
    from django.core.management.base import CommandError

    services.record(world.project1, "x", actor=None)
    with pytest.raises(CommandError, match="must be kept"):
        call_command(
            "audit",
            "archive",
            "--before",
            timezone.localdate().isoformat(),
            "--out",
            str(tmp_path / "x.jsonl"),
        )
    assert AuditEvent.objects.count() == 1


def test_only_audit_readers_read_the_trail(world):
    from tests import factories as f

    services.record(world.project1, "x", actor=world.users.admin)
    auditor = f.UserFactory(username="auditor", role="audit_admin", region=world.baoan)
    assert AuditEvent.objects.visible_to(world.users.supervisor).count() == 1
    assert AuditEvent.objects.visible_to(auditor).count() == 1
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


def test_the_trail_page_for_the_supervisor_searches_and_verifies(client_for, world):
    services.record(world.project1, "approval_accepted", actor=world.users.approver)
    services.record(world.project2, "ticket_resolved", actor=world.users.coordinator)
    client = client_for(world.users.supervisor)
    page = client.get("/audit/", {"actor": "approver", "verify": "1"}).content.decode()
    assert "审批：受理" in page and "问题已解决" not in page
    assert 'id="verify-result"' in page and "完整" in page
    by_object = client.get("/audit/", {"obj": world.project2.name}).content.decode()
    assert "问题已解决" in by_object and "审批：受理" not in by_object
    bad = client.get("/audit/", {"start": "2026-13-01"}).content.decode()
    assert "起始日期" in bad
    for role in ("company", "coordinator", "admin"):
        assert client_for(getattr(world.users, role)).get("/audit/").status_code == 403
