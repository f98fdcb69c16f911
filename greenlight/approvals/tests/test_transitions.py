"""The approval state machine: every transition, who may make it, and what it refuses."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from greenlight.approvals import services, workflow
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval, ApprovalEvent
from greenlight.audit.models import AuditEvent
from tests.auth import verified_login

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
REASONS = {"reason": "材料需补正", "pause_reason": "supplement"}

# The side that may take each action: "department" = an approver of the matter's department,
# "applicant" = the project's company or a coordinator of the region.
ACTORS = [
    "approver",
    "water_approver",
    "company",
    "company2",
    "coordinator",
    "leader",
    "supervisor",
    "admin",
]
ALLOWED = {"department": {"approver"}, "applicant": {"company", "coordinator"}}


def _at(status: str, approval: Approval) -> Approval:
    approval.status = status
    if status in (Status.ACCEPTED, Status.PAUSED):
        approval.accepted_at = datetime(2026, 11, 2, 10, tzinfo=TZ)
    approval.save()
    return approval


CASES = [
    (action, frm)
    for action, (froms, _to, _side) in workflow.ACTIONS.items()
    for frm in sorted(froms)
]


@pytest.mark.parametrize(("action", "frm"), CASES)
@pytest.mark.parametrize("actor", ACTORS)
def test_role_by_transition_matrix(world, action, frm, actor):
    # given an approval in a state the action starts from
    approval = _at(frm, world.approval1)
    user = getattr(world.users, actor)
    side = workflow.ACTIONS[action][2]
    # when the actor tries the action through the API
    from django.test import Client

    client = Client()
    verified_login(client, user)
    response = client.post(
        f"/api/v1/approvals/{approval.pk}/transitions",
        json.dumps({"action": action, **REASONS}),
        content_type="application/json",
    )
    # then only the right side may, and the state moves exactly as the table says
    approval.refresh_from_db()
    if actor in ALLOWED[side] and action in services.DECIDING:
        # a decision is an act with its document: the decision endpoint issues it (test_acts)
        assert response.status_code == 422, response.content
        assert response.json()["detail"][0]["code"] == "decision_required"
        assert approval.status == frm
    elif actor in ALLOWED[side]:
        assert response.status_code == 200, response.content
        assert approval.status == workflow.ACTIONS[action][1]
        assert ApprovalEvent.objects.filter(approval=approval, to_status=approval.status).exists()
    else:
        assert response.status_code in (403, 404)
        assert approval.status == frm


@pytest.mark.parametrize("action", list(workflow.ACTIONS))
def test_another_region_gets_404(client_for, world, action):
    response = client_for(world.users.nanshan).post(
        f"/api/v1/approvals/{world.approval1.pk}/transitions",
        json.dumps({"action": action, **REASONS}),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_a_move_outside_the_table_is_409_with_the_current_state(client_for, world):
    # given an approval not yet submitted
    client = client_for(world.users.approver)
    # when the department tries to approve it
    response = client.post(
        f"/api/v1/approvals/{world.approval1.pk}/transitions",
        json.dumps({"action": "approve"}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 409
    assert response.json()["status"] == "not_started"
    # and the refusal names the action and the state in words, in the user's language
    assert response.json()["detail"][0]["msg"] == "办件当前状态为“未启动”，不能执行“准予许可”"
    world.approval1.refresh_from_db()
    assert world.approval1.status == "not_started"


def test_a_stale_version_is_409_and_loses_nothing(client_for, world):
    # given someone submitted it already (version 2)
    services.transition(approval=world.approval1, action="submit", actor=world.users.company)
    client = client_for(world.users.approver)
    # when the department accepts with the old version
    response = client.post(
        f"/api/v1/approvals/{world.approval1.pk}/transitions",
        json.dumps({"action": "accept", "version": 1}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 409
    assert response.json()["version"] == 2
    world.approval1.refresh_from_db()
    assert world.approval1.status == "submitted"


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("pause", {"pause_reason": "supplement"}, "reason"),
        ("pause", {"reason": "x"}, "pause_reason"),
        ("reject", {}, "reason"),
    ],
)
def test_missing_reasons_are_422_naming_the_field(client_for, world, action, body, field):
    _at(Status.ACCEPTED, world.approval1)
    response = client_for(world.users.approver).post(
        f"/api/v1/approvals/{world.approval1.pk}/transitions",
        json.dumps({"action": action, **body}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == [field]
    world.approval1.refresh_from_db()
    assert world.approval1.status == "accepted"


def test_unknown_action_is_422(client_for, world):
    response = client_for(world.users.approver).post(
        f"/api/v1/approvals/{world.approval1.pk}/transitions",
        json.dumps({"action": "explode"}),
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["action"]


def test_every_transition_is_audited_and_replans(world):
    # when the company submits and the department accepts
    services.transition(approval=world.approval1, action="submit", actor=world.users.company)
    services.transition(approval=world.approval1, action="accept", actor=world.users.approver)
    # then
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "approval_submitted" in actions and "approval_accepted" in actions
    world.approval1.refresh_from_db()
    assert world.approval1.planned_finish is not None
    assert world.approval1.handler == world.users.approver
    assert world.approval1.version == 3


def test_transition_table_is_complete():
    # the (from, to) table covers the moves
    expected = {
        ("not_started", "consulting"),
        ("consulting", "submitted"),
        ("not_started", "submitted"),
        ("submitted", "accepted"),
        ("submitted", "not_accepted"),
        ("accepted", "paused"),
        ("paused", "accepted"),
        ("accepted", "approved"),
        ("accepted", "rejected"),
    } | {(s, "withdrawn") for s in ("not_started", "consulting", "submitted", "accepted", "paused")}
    assert workflow.TRANSITIONS == expected
