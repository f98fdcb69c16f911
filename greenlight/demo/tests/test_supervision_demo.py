"""The demo notices: issued through supervision's services on late approvals and escalated
tickets, the older ones answered; deterministic for a given day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from greenlight.approvals import services as approvals
from greenlight.demo import supervision as demo
from greenlight.supervision.models import SupervisionNotice
from greenlight.tickets import services as tickets
from greenlight.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 20)


def _fingerprint():
    return list(
        SupervisionNotice.objects.order_by("issued_at", "subject_id").values_list(
            "subject_type__model", "subject_id", "department_id", "issued_at", "reply_due",
            "reply_text", "replied_at",
        )
    )  # fmt: skip


def test_demo_notices_are_issued_through_the_services_and_deterministic(world):
    # given a late approval and an escalated open ticket
    a = world.approval1
    at = datetime(2026, 10, 12, 10, tzinfo=TZ)
    approvals.transition(approval=a, action="submit", actor=world.users.company, at=at)
    approvals.transition(approval=a, action="accept", actor=world.users.approver, at=at)
    t = tickets.report(
        actor=world.users.company,
        project=world.project1,
        title="施工临时用电报装进度缓慢",
        category="site",
        reported_at=datetime(2026, 11, 2, 9, tzinfo=TZ),
    )
    tickets.assign(ticket=t, actor=world.users.coordinator, lead=world.water)
    Ticket.objects.filter(pk=t.pk).update(escalated_at=datetime(2026, 11, 4, 18, tzinfo=TZ))
    # when the demo notices are built twice from scratch
    first_counts = demo.build(today=TODAY)
    first = _fingerprint()
    assert demo.build(today=TODAY) == {"notices": 2}  # built once only
    SupervisionNotice.objects.all().delete()
    TicketEvent.objects.filter(kind="notice").delete()
    demo.build(today=TODAY)
    # then the same notices come out: the approval's (answered) and the ticket's (on its timeline)
    assert _fingerprint() == first and first_counts == {"notices": 2, "answered": 1}
    kinds = {row[0] for row in first}
    assert kinds == {"approval", "ticket"}
    assert t.events.filter(kind="notice").exists()
    assert all(row[3] < datetime(2026, 11, 20, tzinfo=TZ) for row in first)
