"""API of approvals: work queue, one approval with its timeline, transitions, overdue counts,
and issuing a supervision notice on an approval (the notices themselves: supervision's API)."""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from greenlight.catalog import calendars
from greenlight.kernel.api_input import found_first
from greenlight.kernel.errors import NotPermitted
from greenlight.supervision import api as supervision_api

from . import clocks, permissions, selectors, services, workflow
from .models import Approval

router = Router(tags=["approvals"])


class QueueItemOut(Schema):
    id: int
    project_id: int
    project_name: str = Field(alias="project.name")
    matter_code: str = Field(alias="matter.code")
    matter_name: str = Field(alias="matter.name")
    department_id: int
    status: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    due_at: datetime | None
    light: str
    remaining: int | None
    version: int


class EventOut(Schema):
    kind: str
    from_status: str
    to_status: str
    at: datetime
    actor: str | None = Field(None, alias="actor.username")
    actor_name: str | None = Field(None, alias="actor.display_name")
    note: str


class ApprovalDetailOut(Schema):
    id: int
    project_id: int
    matter_code: str = Field(alias="matter.code")
    matter_name: str = Field(alias="matter.name")
    department: str = Field(alias="department.name")
    status: str
    consulting_at: datetime | None
    submitted_at: datetime | None
    accepted_at: datetime | None
    decided_at: datetime | None
    due_at: datetime | None
    reason: str
    light: str
    allowed_actions: list[str]
    version: int
    events: list[EventOut] = Field(alias="timeline")
    provisional_years: list[int] = Field(
        description="years of the dates shown whose calendar is provisional (no notice yet)"
    )
    calendar_warnings: list[str]


class QueueFilterIn(Schema):
    status: str = ""
    light: Literal["", "red", "yellow", "green", "paused", "waiting"] = ""
    matter: int | None = None
    department: int | None = None
    q: str = ""


class TransitionIn(Schema):
    action: Literal[tuple(workflow.ACTIONS)]  # type: ignore[valid-type]
    reason: str = Field("", max_length=300)
    pause_reason: str = ""
    version: int | None = None


class OverdueGroupOut(Schema):
    id: int
    name: str
    n: int


def _detail(request, approval: Approval) -> Approval:
    now = timezone.now()
    approval.light = clocks.light(
        approval, now=now, yellow_workdays=clocks.yellow_threshold(approval.project.region)
    )
    approval.allowed_actions = [
        a
        for a in workflow.actions_from(approval.status)
        if permissions.can_act(request.user, approval, a)
    ]
    approval.timeline = list(selectors.timeline(approval=approval))
    approval.provisional_years = clocks.provisional_years(approval, now=now)
    approval.calendar_warnings = calendars.warnings(approval.provisional_years)
    return approval


@router.get("/approvals/queue", response=list[QueueItemOut])
def work_queue(request, filters: Query[QueueFilterIn]):
    """Pending approvals by due date with their light (an approver: its department's)."""
    rows, _counts = selectors.queue(
        user=request.user, filters=selectors.QueueFilter(**filters.dict()), now=timezone.now()
    )
    return rows


@router.get("/approvals/overdue", response=list[OverdueGroupOut])
def overdue_groups(request, by: Literal["department", "matter"] = "department"):
    """Counts of overdue approvals by department or by matter."""
    if not permissions.can_read_supervision(request.user):
        raise NotPermitted(_("Your role may not read supervision lists."))
    rows = selectors.overdue_by(user=request.user, now=timezone.now(), field=by)
    return [{"id": r[f"{by}_id"], "name": r[f"{by}__name"], "n": r["n"]} for r in rows]


@router.get("/approvals/{approval_id}", response=ApprovalDetailOut)
def get_approval(request, approval_id: int):
    """One approval with its light, the actions the caller may take and its timeline."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related(
            "project__region", "matter", "department"
        ),
        pk=approval_id,
    )
    return _detail(request, approval)


def _approval(request, approval_id: int) -> Approval:
    return get_object_or_404(
        Approval.objects.visible_to(request.user).select_related("project", "matter", "department"),
        pk=approval_id,
    )


@router.post("/approvals/{approval_id}/transitions", response=ApprovalDetailOut)
@found_first(_approval)
def transition(request, approval_id: int, payload: TransitionIn):
    """Move an approval: 403 for the wrong role, 409 for a move the table forbids or a stale version."""
    approval = _approval(request, approval_id)
    services.transition(approval=approval, actor=request.user, **payload.dict())
    return _detail(request, approval)


@router.post("/approvals/{approval_id}/notices", response={201: supervision_api.NoticeOut})
def issue_notice(request, approval_id: int, payload: supervision_api.NoticeIn):
    """A coordinator issues a supervision notice (督办单) on an approval, to its department."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related("department", "project__region"),
        pk=approval_id,
    )
    return Status(201, supervision_api.issue_on(request, approval, payload))
