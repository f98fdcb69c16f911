"""Bulk approval histories: only moves the state machine allows, one audit row per event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from greenlight.approvals import bulk
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval, ApprovalEvent
from greenlight.audit.models import AuditEvent
from greenlight.kernel.errors import InvalidInput
from tests import factories as f


def _history(world, *, second_from=Status.SUBMITTED):
    t0 = timezone.now() - timedelta(days=10)
    matter = f.MatterFactory(department_kind=world.eco.kind, code="EC-99")
    a = Approval(
        project=world.project1, matter=matter, department=world.eco, status=Status.ACCEPTED
    )
    events = [
        ApprovalEvent(kind="submitted", from_status=Status.NOT_STARTED,
                      to_status=Status.SUBMITTED, at=t0),
        ApprovalEvent(kind="accepted", from_status=second_from, to_status=Status.ACCEPTED,
                      at=t0 + timedelta(days=1), actor=world.users.approver),
    ]  # fmt: skip
    return a, events


@pytest.mark.django_db
def test_load_histories_writes_events_and_their_audit_rows(world):
    a, events = _history(world)
    bulk.load_histories([(a, events, [])])
    assert list(a.events.order_by("at").values_list("kind", flat=True)) == [
        "submitted",
        "accepted",
    ]
    assert Approval.objects.get(pk=a.pk).region_id == world.project1.region_id
    actions = AuditEvent.objects.filter(object_id=str(a.pk)).values_list("action", flat=True)
    assert sorted(actions) == ["approval_accepted", "approval_submitted"]


@pytest.mark.django_db
def test_load_histories_refuses_a_move_the_state_machine_forbids(world):
    a, events = _history(world, second_from=Status.NOT_STARTED)
    with pytest.raises(InvalidInput) as exc:
        bulk.load_histories([(a, events, [])])
    assert exc.value.field == "events.1"
    assert not Approval.objects.filter(matter__code="EC-99").exists()


@pytest.mark.django_db
def test_load_histories_refuses_a_status_its_events_do_not_lead_to(world):
    a, events = _history(world)
    a.status = Status.APPROVED
    with pytest.raises(InvalidInput) as exc:
        bulk.load_histories([(a, events, [])])
    assert exc.value.field == "status"
