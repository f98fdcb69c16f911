"""API of approvals: work queue, one approval with its timeline, transitions, overdue counts,
and issuing a supervision notice on an approval (the notices themselves: supervision's API)."""

from datetime import date, datetime
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from greenlight.catalog import calendars
from greenlight.kernel.api_input import found_first
from greenlight.kernel.errors import InvalidInput, NotPermitted
from greenlight.kernel.rows import Rows, json_response
from greenlight.supervision import api as supervision_api

from . import acts, clocks, permissions, register, selectors, services, workflow
from .models import Approval, Decision

router = Router(tags=["approvals"])


class QueueItemOut(Schema):
    id: int
    project_id: int
    project_name: str = Field(alias="project.name")
    region_code: str = Field(alias="project.region.code")
    region_name: str = Field(alias="project.region.name")
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
    region: str = Field(
        "", pattern=r"^(\d{6})?$", description="a division code (GB/T 2260): that district or city"
    )


class TransitionIn(Schema):
    action: Literal[tuple(workflow.ACTIONS)]  # type: ignore[valid-type]
    reason: str = Field("", max_length=300)
    pause_reason: str = ""
    version: int | None = None


QUEUE_ROWS = Rows(QueueItemOut)
# what the answer shows and what its lights, clocks and joint cases read
QUEUE_COLUMNS = (
    *(c for c in QUEUE_ROWS.lookups() if c not in ("light", "remaining")),
    "project__region__settings",
    "joint_case_id",
)


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
        user=request.user,
        filters=selectors.QueueFilter(**filters.dict()),
        now=timezone.now(),
        columns=QUEUE_COLUMNS,
    )
    return json_response([QUEUE_ROWS.from_object(a) for a in rows])


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
    approval = _detail(request, approval)
    return json_response(
        DETAIL_ROWS.from_object(
            approval, events=[EVENT_ROWS.from_object(e) for e in approval.timeline]
        )
    )


# The detail read from the approval's attributes (kernel/rows.py), not validated field by field
# through ninja's getters: the same bytes (tests pin them).
DETAIL_ROWS = Rows(ApprovalDetailOut, computed=("events",))
EVENT_ROWS = Rows(EventOut)


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


# -- decisions as administrative acts, and the results register --------------------------------


class ActOut(Schema):
    id: int
    approval_id: int
    outcome: str
    outcome_label: str = Field(alias="get_outcome_display")
    number: str
    title: str
    opinion: str
    legal_basis: str
    issued_on: date
    valid_until: date | None
    issued_by: str = Field(alias="issued_by.name")
    handler_name: str
    at: datetime
    corrects_id: int | None
    correction_reason: str
    in_force: bool = Field(alias="is_current")
    file_name: str
    file_url: str | None = None

    @staticmethod
    def resolve_file_url(obj) -> str | None:
        return f"/approvals/decisions/{obj.pk}/file/" if obj.file_name else None


class ResultOut(ActOut):
    matter_code: str = Field(alias="approval.matter.code")
    matter_name: str = Field(alias="approval.matter.name")
    project_id: int = Field(alias="approval.project_id")
    validity: str = ""


class ActIn(Schema):
    number: str = ""
    title: str = ""
    opinion: str = ""
    legal_basis: str = ""
    issued_on: date | None = None
    valid_until: date | None = None
    handler_name: str = ""
    confirm: bool = Field(False, description="must be true: the decision is final once issued")


class ActDecisionIn(ActIn):
    # checked after the approval is looked up (an unknown id is 404 whatever the body)
    outcome: str = Field("", description="approved, rejected or not_accepted")
    version: int | None = None


class CorrectionIn(ActIn):
    reason: str = ""


def _act(payload: ActIn, document) -> acts.ActInput:
    if not payload.confirm:
        raise InvalidInput(
            f"{acts.FIELD_LABELS['confirm']}：" + _("confirm that the act is final (confirm=true)"),
            field="confirm",
            code="required",
        )
    return acts.ActInput(
        number=payload.number,
        title=payload.title,
        opinion=payload.opinion,
        legal_basis=payload.legal_basis,
        issued_on=payload.issued_on,
        valid_until=payload.valid_until,
        handler_name=payload.handler_name,
        document=document,
    )


@router.post("/approvals/{approval_id}/decision", response={201: ActOut})
def issue_decision(
    request,
    approval_id: int,
    payload: Form[ActDecisionIn],
    document: File[UploadedFile] = None,
):
    """The department issues its decision (multipart: the fields and the signed `document`,
    PDF or image): 422 naming the field for bad input, 409 when the state forbids it."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related(
            "project__owner", "project__region", "matter", "department"
        ),
        pk=approval_id,
    )
    row = acts.decide(
        approval=approval,
        outcome=payload.outcome,
        act=_act(payload, document),
        actor=request.user,
        version=payload.version,
    )
    return Status(201, row)


@router.get("/approvals/{approval_id}/decisions", response=list[ActOut])
def list_decisions(request, approval_id: int):
    """An approval's decision and every correction of it, oldest first."""
    approval = get_object_or_404(Approval.objects.visible_to(request.user), pk=approval_id)
    return approval.decisions.select_related("issued_by", "corrected_by").order_by("at", "id")


@router.post("/decisions/{decision_id}/corrections", response={201: ActOut})
def correct_decision(
    request,
    decision_id: int,
    payload: Form[CorrectionIn],
    document: File[UploadedFile] = None,
):
    """Correct the decision in force (a new act pointing at it); 409 for one already corrected."""
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user).select_related(
            "approval__project__owner", "approval__project__region", "approval__matter"
        ),
        pk=decision_id,
    )
    row = acts.correct(
        decision=decision,
        act=_act(payload, document),
        reason=payload.reason,
        actor=request.user,
    )
    return Status(201, row)


def _with_validity(rows):
    today = timezone.localdate()
    rows = list(rows)
    for d in rows:
        d.validity = register.validity(d, today=today)
    return rows


@router.get("/projects/{project_id}/results", response=list[ResultOut])
def project_results(request, project_id: int):
    """A project's results register: the grants in force, with their validity."""
    if not Approval.objects.visible_to(request.user).filter(project_id=project_id).exists():
        raise Http404
    return _with_validity(register.results(user=request.user, project=project_id))


@router.get("/results/expiring", response=list[ResultOut])
def expiring_results(request):
    """Results the caller may see whose validity ends within 30 days."""
    return _with_validity(register.expiring(user=request.user, today=timezone.localdate()))
