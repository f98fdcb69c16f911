"""API of 一口受理 joint cases: open one from a member, read it, move it, decide its members."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from greenlight.kernel.errors import Conflict

from . import clocks, joint
from .api import ActIn, _act
from .models import Approval, JointCase, PreparedAct

router = Router(tags=["joint cases"])


class JointMemberOut(Schema):
    id: int
    matter_code: str = Field(alias="matter.code")
    matter_name: str = Field(alias="matter.name")
    department: str = Field(alias="department.name")
    status: str
    prepared: bool = False
    decision_ids: list[int] = []


class JointCaseOut(Schema):
    id: int
    project_id: int
    bundle: str = Field(alias="bundle.code")
    bundle_name: str = Field(alias="bundle.name")
    limit: int = Field(alias="bundle.limit")
    unit: str = Field(alias="bundle.unit")
    lead_department: str = Field(alias="lead_department.name")
    status: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    due_at: datetime | None
    decided_at: datetime | None
    remaining: int | None = None
    version: int
    members: list[JointMemberOut] = Field(alias="member_rows")


class CaseMoveIn(Schema):
    # checked after the case is looked up (an unknown id is 404 whatever the body)
    action: str = Field("", description="submit, accept, pause, resume or withdraw")
    reason: str = Field("", max_length=300)
    pause_reason: str = ""
    version: int | None = None


class MemberDecisionIn(ActIn):
    outcome: str = Field("", description="approved, rejected or not_accepted")


def _out(case: JointCase) -> JointCase:
    rows = joint.members(case)
    for a in rows:
        a.prepared = PreparedAct.objects.filter(approval=a).exists()
        a.decision_ids = list(a.decisions.values_list("pk", flat=True))
    case.member_rows = rows
    case.remaining = clocks.remaining(rows[0], now=timezone.now()) if rows else None
    return case


def _case(request, case_id: int) -> JointCase:
    return get_object_or_404(
        JointCase.objects.visible_to(request.user).select_related(
            "project__region", "project__owner", "bundle", "lead_department"
        ),
        pk=case_id,
    )


@router.post("/approvals/{approval_id}/joint-case", response={201: JointCaseOut})
def open_joint_case(request, approval_id: int):
    """The applicant asks for 一口受理 of the bundle the approval belongs to (409 if it cannot)."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related("project", "matter"),
        pk=approval_id,
    )
    return Status(201, _out(joint.open_case(approval=approval, actor=request.user)))


@router.get("/joint-cases/{case_id}", response=JointCaseOut)
def get_joint_case(request, case_id: int):
    """A joint case with its shared clock and its members."""
    return _out(_case(request, case_id))


@router.post("/joint-cases/{case_id}/transitions", response=JointCaseOut)
def move_joint_case(request, case_id: int, payload: CaseMoveIn):
    """Submit (applicant), accept (lead department), pause / resume (a member department),
    withdraw: every member moves with the case."""
    case = _case(request, case_id)
    return _out(joint.move_case(case=case, actor=request.user, **payload.dict()))


@router.post("/approvals/{approval_id}/joint-decision", response=JointCaseOut)
def decide_joint_member(
    request,
    approval_id: int,
    payload: Form[MemberDecisionIn],
    document: File[UploadedFile] = None,
):
    """A joint case member's department writes its act (multipart, with its signed
    document); the case's acts are issued together once every member has one. 409 for an
    approval outside any joint case."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related("matter", "project"),
        pk=approval_id,
    )
    if approval.joint_case_id is None:
        raise Conflict(_("this approval is not handled in a joint case"), field="approval")
    case = _case(request, approval.joint_case_id)
    joint.prepare(
        case=case,
        approval=approval,
        outcome=payload.outcome,
        act=_act(payload, document),
        actor=request.user,
    )
    case.refresh_from_db()
    return _out(case)
