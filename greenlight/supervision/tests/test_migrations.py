"""The move of the notices from approvals into supervision, run on a database that has notices:
back to the old model (the reverse copy), then forward again; ids, timestamps, subjects and the
ticket timeline's references are kept, and new notices get fresh ids (PostgreSQL's sequence)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from greenlight.supervision import services
from greenlight.supervision.models import SupervisionNotice
from greenlight.tickets.models import TicketEvent

from .conftest import at

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("approvals", "0002_supervisionnotice")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


FIELDS = (
    "id",
    "subject_type_id",
    "subject_id",
    "subject_label",
    "region_id",
    "department_id",
    "text",
    "issued_by_id",
    "issued_at",
    "reply_due",
    "reply_text",
    "replied_by_id",
    "replied_at",
)


def test_notices_survive_the_move_back_and_forth(world, approval, ticket):
    # given notices on an approval (answered) and on a ticket (on its timeline)
    coordinator = world.users.coordinator
    on_approval = services.issue_notice(
        subject=approval, text="请办结", actor=coordinator, at=at(2026, 9, 15, 9)
    )
    services.reply_notice(
        notice=on_approval, text="已办结", actor=world.users.approver, at=at(2026, 9, 16, 10)
    )
    on_ticket = services.issue_notice(
        subject=ticket, text="请反馈", actor=coordinator, at=at(2026, 10, 8, 9)
    )
    before = list(SupervisionNotice.objects.order_by("id").values(*FIELDS))
    # an id after the notices' (PostgreSQL sequences do not roll back with earlier tests)
    old_id = before[-1]["id"] + 40
    try:
        # when the database goes back to the old approvals model
        old_apps = _migrate(BEFORE)
        Old = old_apps.get_model("approvals", "SupervisionNotice")
        rows = {o.pk: o for o in Old.objects.all()}
        # then the notices are there in the old shape
        assert rows[on_approval.pk].approval_id == approval.pk
        assert rows[on_approval.pk].reply == "已办结" and rows[on_approval.pk].reason == "请办结"
        assert rows[on_ticket.pk].approval_id is None
        assert (rows[on_ticket.pk].subject_type, rows[on_ticket.pk].subject_id) == (
            "tickets.ticket",
            str(ticket.pk),
        )
        event = TicketEvent.objects.get(kind="notice")
        assert event.ref_type == "approvals.supervisionnotice"
        # and an old notice written by the old code (no approval, a ticket subject) is added
        Old.objects.create(
            id=old_id,
            region_id=world.baoan.pk,
            department_id=world.water.pk,
            approval=None,
            subject_type="tickets.ticket",
            subject_id=str(ticket.pk),
            subject_repr="旧的督办单",
            reason="请配合",
            issued_by_id=coordinator.pk,
            issued_at=at(2026, 10, 9, 9),
            reply_due=at(2026, 10, 10, 18),
        )
    finally:
        # when it migrates forward again
        _migrate(_latest())
    # then every notice is back with its id, timestamps and subject
    after = list(SupervisionNotice.objects.order_by("id").values(*FIELDS))
    assert after[:2] == before
    copied = SupervisionNotice.objects.get(pk=old_id)
    assert copied.subject == ticket and copied.subject_label == "旧的督办单"
    assert copied.subject_type == ContentType.objects.get_for_model(ticket)
    assert copied.issued_at == at(2026, 10, 9, 9) and copied.department == world.water
    assert TicketEvent.objects.get(kind="notice").ref_type == "supervision.supervisionnotice"
    # and a new notice gets an id after the copied ones (the sequence was moved on PostgreSQL)
    fresh = services.issue_notice(subject=approval, text="再次督办", actor=coordinator)
    assert fresh.pk > old_id
