"""API of the five-step joint review: batches, opinions, meetings (.ics), minutes, feedback."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from greenlight.kernel.api_input import found_first
from greenlight.kernel.errors import InvalidInput, NotPermitted
from greenlight.kernel.roles import Role
from greenlight.projects.models import Project

from . import ics, permissions, selectors, services
from .choices import RECORDABLE_KINDS, Outcome
from .models import ActionItem, Batch, Meeting, Opinion

router = Router(tags=["reviews"])


class ReviewDepartmentOut(Schema):
    id: int
    name: str


class StartsOut(Schema):
    started: int
    days: int | None
    year: int
    year_total: int
    share: float | None


class TallyOut(Schema):
    department: ReviewDepartmentOut
    opinions: int
    pending: int
    action_items: int
    overdue: int


class BatchIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    project_ids: list[int] = Field(..., min_length=1)
    opinion_workdays: int = Field(5, ge=1, le=30)
    note: str = ""


class BatchOut(Schema):
    id: int
    title: str
    issued_at: datetime
    opinion_due: date
    note: str
    project_ids: list[int]
    departments: list[TallyOut]
    starts: StartsOut


class BatchListOut(Schema):
    id: int
    title: str
    issued_at: datetime
    opinion_due: date
    n_projects: int
    n_departments: int


class OpinionOut(Schema):
    id: int
    project_id: int
    project_name: str = Field(alias="project.name")
    approval_id: int
    matter_code: str = Field(alias="matter.code")
    matter_name: str = Field(alias="matter.name")
    department_id: int
    kind: str
    text: str
    recorded_at: datetime | None


class OpinionIn(Schema):
    kind: Literal[tuple(str(k) for k in RECORDABLE_KINDS)]  # type: ignore[valid-type]
    text: str = Field("", max_length=2000)


class OpinionFilterIn(Schema):
    department: int | None = None
    project: int | None = None
    pending: bool = False


class MeetingIn(Schema):
    starts_at: datetime
    ends_at: datetime | None = None
    place: str = Field(..., min_length=1, max_length=200)


class MeetingPatch(Schema):
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = Field(None, min_length=1, max_length=200)


class DecisionIn(Schema):
    project_id: int
    outcome: Literal[tuple(Outcome.values)]  # type: ignore[valid-type]
    text: str = ""


class ActionItemIn(Schema):
    project_id: int | None = None
    department_id: int
    text: str = Field(..., min_length=1, max_length=2000)
    due: date
    ticket_id: int | None = None


class MinutesIn(Schema):
    summary: str | None = None
    decisions: list[DecisionIn] = []
    action_items: list[ActionItemIn] = []


class DecisionOut(Schema):
    project_id: int
    project_name: str = Field(alias="project.name")
    meeting_id: int
    meeting_date: datetime = Field(alias="meeting.starts_at")
    outcome: str
    text: str


class AgendaOut(Schema):
    project_id: int
    project_name: str
    departments: list[str]
    matters: int
    open_opinions: list[OpinionOut]
    ticket_ids: list[int]


class MeetingOut(Schema):
    id: int
    batch_id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    sequence: int
    summary: str
    minutes_at: datetime | None
    attendees: list[ReviewDepartmentOut]
    agenda: list[AgendaOut]
    decisions: list[DecisionOut]


class ActionItemOut(Schema):
    id: int
    meeting_id: int
    project_id: int | None
    department_id: int
    text: str
    due: date
    ticket_id: int | None
    feedback: str
    feedback_at: datetime | None
    state: str


class FeedbackIn(Schema):
    feedback: str = Field(..., min_length=1, max_length=4000)


class BoardApprovalOut(Schema):
    id: int
    matter_name: str = Field(alias="matter.name")
    department_id: int
    status: str
    light: str
    due_at: datetime | None


class BoardRowOut(Schema):
    project_id: int
    project_name: str
    approvals: list[BoardApprovalOut]


class BoardOut(Schema):
    departments: list[ReviewDepartmentOut]
    lights: dict[str, int]
    rows: list[BoardRowOut]


def _staff(request) -> None:
    if request.user.role == Role.COMPANY:
        raise NotPermitted(_("Project owners do not see joint review batches."))


def _batch(request, batch_id: int) -> Batch:
    _staff(request)
    return get_object_or_404(
        Batch.objects.visible_to(request.user).select_related("region"), pk=batch_id
    )


def _meeting(request, meeting_id: int) -> Meeting:
    _staff(request)
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("batch__region"), pk=meeting_id
    )


def _opinion(request, opinion_id: int) -> Opinion:
    _staff(request)
    return get_object_or_404(
        Opinion.objects.visible_to(request.user).select_related(
            "project", "matter", "department", "batch__region"
        ),
        pk=opinion_id,
    )


def _action_item(request, item_id: int) -> ActionItem:
    _staff(request)
    return get_object_or_404(
        ActionItem.objects.visible_to(request.user).select_related("meeting__batch__region"),
        pk=item_id,
    )


def _batch_out(batch: Batch) -> dict:
    tallies = selectors.department_tallies(batch, today=timezone.localdate())
    return {
        "id": batch.pk,
        "title": batch.title,
        "issued_at": batch.issued_at,
        "opinion_due": batch.opinion_due,
        "note": batch.note,
        "project_ids": list(batch.items.values_list("project_id", flat=True)),
        "departments": [
            {
                "department": {"id": t.department.pk, "name": t.department.name},
                "opinions": t.total,
                "pending": t.pending,
                "action_items": t.items,
                "overdue": t.items_overdue,
            }
            for t in tallies
        ],
        "starts": selectors.starts(batch).__dict__,
    }


def _meeting_out(meeting: Meeting) -> dict:
    agenda = selectors.agenda(meeting)
    return {
        **{
            f: getattr(meeting, f)
            for f in ("id", "batch_id", "starts_at", "ends_at", "place", "sequence", "summary")
        },
        "minutes_at": meeting.minutes_at,
        "attendees": [
            {"id": t.department.pk, "name": t.department.name}
            for t in selectors.department_tallies(meeting.batch, today=timezone.localdate())
        ],
        "agenda": [
            {
                "project_id": a.project.pk,
                "project_name": a.project.name,
                "departments": a.departments,
                "matters": len(a.opinions),
                "open_opinions": a.open_opinions,
                "ticket_ids": [t.pk for t in a.tickets],
            }
            for a in agenda
        ],
        "decisions": list(meeting.decisions.select_related("project", "meeting")),
    }


@router.get("/reviews/batches", response=list[BatchListOut])
def list_batches(request):
    """Joint review batches the caller may see (an approver: those involving its department)."""
    _staff(request)
    return selectors.batches(user=request.user)[:500]


@router.post("/reviews/batches", response={201: BatchOut})
def issue_batch(request, payload: BatchIn):
    """Step 1: the command office issues a project list; departments come from open approvals."""
    if not permissions.can_run(request.user):
        raise NotPermitted(_("Only the command office runs joint review batches and meetings."))
    projects = Project.objects.visible_to(request.user).filter(pk__in=payload.project_ids)
    data = payload.dict()
    wanted = set(data.pop("project_ids"))
    found = list(projects.select_related("region"))
    if len(found) != len(wanted):
        missing = sorted(wanted - {p.pk for p in found})
        raise InvalidInput(
            _("unknown project ids: %(ids)s") % {"ids": ", ".join(map(str, missing[:10]))},
            field="project_ids",
        )
    batch = services.issue_batch(projects=found, actor=request.user, **data)
    return Status(201, _batch_out(batch))


@router.get("/reviews/batches/{batch_id}", response=BatchOut)
def get_batch(request, batch_id: int):
    """One batch: projects, departments with opinions not yet in, and construction starts."""
    return _batch_out(_batch(request, batch_id))


@router.get("/reviews/batches/{batch_id}/opinions", response=list[OpinionOut])
def list_opinions(request, batch_id: int, filters: Query[OpinionFilterIn]):
    """Step 2: opinions per project × matter; `pending=true` lists those not yet in."""
    batch = _batch(request, batch_id)
    return selectors.opinions(batch=batch, filters=selectors.OpinionFilter(**filters.dict()))[:5000]


@router.put("/reviews/opinions/{opinion_id}", response=OpinionOut)
@found_first(_opinion)
def record_opinion(request, opinion_id: int, payload: OpinionIn):
    """An approver records its own department's opinion (403 for any other)."""
    opinion = _opinion(request, opinion_id)
    return services.record_opinion(opinion=opinion, actor=request.user, **payload.dict())


@router.get("/reviews/batches/{batch_id}/board", response=BoardOut)
def get_board(request, batch_id: int):
    """Step 4: each project's approvals by department with their light."""
    batch = _batch(request, batch_id)
    departments, rows, total = selectors.board(batch=batch, user=request.user, now=timezone.now())
    return {
        "departments": [{"id": d.pk, "name": d.name} for d in departments],
        "lights": dict(total),
        "rows": [
            {
                "project_id": r.project.pk,
                "project_name": r.project.name,
                "approvals": [a for cell in r.cells for a in cell],
            }
            for r in rows
        ],
    }


@router.post("/reviews/batches/{batch_id}/meetings", response={201: MeetingOut})
@found_first(_batch)
def schedule_meeting(request, batch_id: int, payload: MeetingIn):
    """Step 3: schedule the joint review meeting; a time in the past is refused (422)."""
    batch = _batch(request, batch_id)
    meeting = services.schedule_meeting(batch=batch, actor=request.user, **payload.dict())
    return Status(201, _meeting_out(meeting))


@router.get("/reviews/meetings/{meeting_id}", response=MeetingOut)
def get_meeting(request, meeting_id: int):
    """A meeting with its attendees, agenda and decisions."""
    return _meeting_out(_meeting(request, meeting_id))


@router.patch("/reviews/meetings/{meeting_id}", response=MeetingOut)
def change_meeting(request, meeting_id: int, payload: MeetingPatch):
    """Move or relocate a meeting; attendees are told and the .ics sequence goes up."""
    meeting = _meeting(request, meeting_id)
    services.change_meeting(meeting=meeting, actor=request.user, **payload.dict())
    return _meeting_out(meeting)


@router.get("/reviews/meetings/{meeting_id}/ics")
def meeting_ics(request, meeting_id: int):
    """The meeting's iCalendar invitation (an approver's lists its department's agenda)."""
    meeting = _meeting(request, meeting_id)
    department = request.user.department if request.user.role == Role.APPROVER else None
    body = ics.invitation(meeting, department=department)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="joint-review-{meeting.pk}.ics"'
    return response


@router.post("/reviews/meetings/{meeting_id}/minutes", response=MeetingOut)
def record_minutes(request, meeting_id: int, payload: MinutesIn):
    """The minutes: a decision per project and action items with owner department and due day."""
    meeting = _meeting(request, meeting_id)
    data = payload.dict()
    services.record_minutes(meeting=meeting, actor=request.user, **data)
    return _meeting_out(meeting)


@router.get("/reviews/batches/{batch_id}/action-items", response=list[ActionItemOut])
def list_action_items(request, batch_id: int, department: int | None = None):
    """Step 5: action items with their feedback state (open, done, late, overdue)."""
    batch = _batch(request, batch_id)
    return selectors.action_items(batch=batch, today=timezone.localdate(), department=department)


@router.post("/reviews/action-items/{item_id}/feedback", response=ActionItemOut)
@found_first(_action_item)
def give_feedback(request, item_id: int, payload: FeedbackIn):
    """The owner department's feedback on its action item, once."""
    item = _action_item(request, item_id)
    services.feed_back(item=item, actor=request.user, text=payload.feedback)
    item.state = selectors.feedback_state(item, today=timezone.localdate())
    return item


@router.get("/reviews/decisions", response=list[DecisionOut])
def list_decisions(request, project: int | None = None):
    """Meeting decisions: a project owner reads those on its own projects."""
    rows = selectors.decisions(user=request.user)
    if project:
        rows = rows.filter(project_id=project)
    return rows[:1000]
