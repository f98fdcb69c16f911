"""API of problem tickets: intake (with Idempotency-Key), lists by light, one ticket with its
timeline, the department's milestones, closing, supervision, Excel import and figures."""

import hashlib
import json
from datetime import datetime
from functools import partial
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from greenlight.accounts.models import Department
from greenlight.kernel.api_input import found_first
from greenlight.kernel.errors import NotPermitted
from greenlight.kernel.memo import Memo
from greenlight.kernel.paging import IdsFirst
from greenlight.kernel.rows import Rows, json_response, paged
from greenlight.projects.models import Project
from greenlight.supervision import api as supervision_api

from . import clocks, importer, permissions, selectors, services
from .choices import Category, Milestone
from .models import Ticket

router = Router(tags=["tickets"])

CategoryCode = Literal[tuple(Category.values)]  # type: ignore[valid-type]


class TicketIn(Schema):
    project_id: int
    title: str = Field(..., min_length=1, max_length=200)
    category: CategoryCode
    description: str = ""
    channel: Literal["api", "phone", "visit", "meeting"] = "api"
    reported_at: datetime | None = None


class TicketOut(Schema):
    id: int
    project_id: int
    project_name: str = Field(alias="project.name")
    region_code: str = Field(alias="project.region.code")
    region_name: str = Field(alias="project.region.name")
    title: str
    category: str
    channel: str
    status: str
    reported_at: datetime
    lead_department_id: int | None
    feedback_due: datetime
    path_due: datetime
    progress_due: datetime
    feedback_at: datetime | None
    path_at: datetime | None
    progress_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    escalated_at: datetime | None
    satisfaction: int | None
    light: str = ""


LIST_ROWS = Rows(TicketOut, computed=("light",))
# the list's statements compiled once per filters and user scope; the clock only filters by a
# light, which this list never keeps (kernel/memo.py)
LIST = Memo(partial(selectors.ticket_list, now=None))


class TicketEventOut(Schema):
    kind: str
    milestone: str
    at: datetime
    actor: str | None = Field(None, alias="actor.username")
    actor_name: str | None = Field(None, alias="actor.display_name")
    text: str
    ref_type: str
    ref_id: str
    ref_repr: str


class TicketDetailOut(TicketOut):
    description: str
    cooperating_department_ids: list[int]
    timeline: list[TicketEventOut]


class TicketFilterIn(Schema):
    q: str = ""
    light: Literal["", "on_time", "due_today", "overdue"] = ""
    state: str = ""
    category: str = ""
    department: int | None = None
    project: int | None = None
    mine: bool = False
    region: str = Field(
        "", pattern=r"^(\d{6})?$", description="a division code (GB/T 2260): that district or city"
    )


class AssignIn(Schema):
    lead_department: int
    cooperating_departments: list[int] = []


class MilestoneIn(Schema):
    milestone: Literal[tuple(Milestone.values)]  # type: ignore[valid-type]
    text: str = Field(..., min_length=1)


class TextIn(Schema):
    text: str = Field(..., min_length=1)


class CloseIn(Schema):
    satisfaction: int = Field(..., ge=1, le=5)
    comment: str = ""


class ReopenIn(Schema):
    reason: str = Field(..., min_length=1)


class RowErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportOut(Schema):
    dry_run: bool
    rows: int
    imported: list[int]
    errors: list[RowErrorOut]


def _visible(request, ticket_id: int) -> Ticket:
    return get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("project__region"),
        pk=ticket_id,
    )


def _detail(ticket: Ticket) -> Ticket:
    ticket.light = clocks.light(ticket, now=timezone.now())
    ticket.cooperating_department_ids = [d.pk for d in ticket.cooperating_departments.all()]
    ticket.timeline = list(selectors.timeline(ticket=ticket))
    return ticket


@router.get("/tickets", response=list[TicketOut])
@paged(50)
def list_tickets(request, filters: Query[TicketFilterIn]):
    """Tickets the caller may see, most urgent first, with their light, a page at a time."""
    now = timezone.now()
    wanted = selectors.TicketFilter(**filters.dict())
    # plain rows of the columns the answer shows, with the next milestone's due time the light
    # is read from (`ticket_list` annotates it): no ticket, project or region instances
    values = [*LIST_ROWS.lookups(), "next_due"]

    def row(t: dict) -> dict:
        return LIST_ROWS.from_values(t, light=clocks.light_of(t["status"], t["next_due"], now=now))

    if wanted.light:  # a light is a moment's: its statement holds the time, nothing to keep
        rows = selectors.ticket_list(user=request.user, filters=wanted, now=now)
        return IdsFirst(rows, values=values, row=row)
    return LIST.source(user=request.user, filters=wanted, values=values, row=row)


@router.post("/tickets", response={201: TicketOut})
def create_ticket(request, payload: TicketIn):
    """Report a problem; with an `Idempotency-Key` header a repeat returns the first ticket and
    the same key with another body gets 422."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=payload.project_id)
    fields = payload.dict()
    fields.pop("project_id")
    key = request.headers.get("Idempotency-Key", "").strip()
    if key:
        digest = hashlib.sha256(
            json.dumps(payload.dict(), sort_keys=True, default=str).encode()
        ).hexdigest()
        ticket, _created = services.report_once(
            actor=request.user, key=key, body_hash=digest, project=project, **fields
        )
    else:
        ticket = services.report(actor=request.user, project=project, **fields)
    ticket.light = clocks.light(ticket, now=timezone.now())
    return Status(201, ticket)


@router.post("/tickets/import", response=ImportOut)
def import_tickets(request, file: File[UploadedFile], dry_run: bool = True):
    """Excel intake: a dry run (default) lists each bad row; `dry_run=false` imports all or none."""
    if not permissions.can_report(request.user):
        raise NotPermitted(_("Your role may not report problems."))
    importer.check_size(file.size)
    data = file.read()
    if dry_run:
        parsed = importer.parse(data, user=request.user)
        return {"dry_run": True, "rows": len(parsed.rows), "imported": [], "errors": parsed.errors}
    tickets = importer.commit(data, user=request.user)
    return {
        "dry_run": False,
        "rows": len(tickets),
        "imported": [t.pk for t in tickets],
        "errors": [],
    }


@router.get("/tickets/figures", response=list[dict])
def figures(request):
    """Per lead department: on-time rate per milestone and median working days to each."""
    if not permissions.can_read_figures(request.user):
        raise NotPermitted(_("Your role may not read these figures."))
    return selectors.department_figures(user=request.user)


@router.get("/tickets/{ticket_id}", response=TicketDetailOut)
def get_ticket(request, ticket_id: int):
    """One ticket with its light and full timeline."""
    ticket = _detail(_visible(request, ticket_id))
    return json_response(
        DETAIL_ROWS.from_object(
            ticket, timeline=[EVENT_ROWS.from_object(e) for e in ticket.timeline]
        )
    )


# The detail read from the ticket's attributes (kernel/rows.py), not validated field by field
# through ninja's getters: the same bytes (tests pin them).
DETAIL_ROWS = Rows(TicketDetailOut, computed=("timeline",))
EVENT_ROWS = Rows(TicketEventOut)


@router.post("/tickets/{ticket_id}/assign", response=TicketDetailOut)
@found_first(_visible)
def assign(request, ticket_id: int, payload: AssignIn):
    """A coordinator names the lead and cooperating departments."""
    ticket = _visible(request, ticket_id)
    depts = Department.objects.visible_to(request.user)
    lead = get_object_or_404(depts, pk=payload.lead_department)
    coop = list(depts.filter(pk__in=payload.cooperating_departments))
    return _detail(services.assign(ticket=ticket, actor=request.user, lead=lead, cooperating=coop))


@router.post("/tickets/{ticket_id}/milestones", response=TicketDetailOut)
@found_first(_visible)
def milestone(request, ticket_id: int, payload: MilestoneIn):
    """The assigned department records feedback, the solution path or progress."""
    ticket = _visible(request, ticket_id)
    return _detail(services.record_milestone(ticket=ticket, actor=request.user, **payload.dict()))


@router.post("/tickets/{ticket_id}/resolve", response=TicketDetailOut)
@found_first(_visible)
def resolve(request, ticket_id: int, payload: TextIn):
    """The lead department declares the problem solved."""
    ticket = _visible(request, ticket_id)
    return _detail(services.resolve(ticket=ticket, actor=request.user, text=payload.text))


@router.post("/tickets/{ticket_id}/close", response=TicketDetailOut)
@found_first(_visible)
def close(request, ticket_id: int, payload: CloseIn):
    """The company confirms the resolution with a satisfaction score of 1 to 5."""
    ticket = _visible(request, ticket_id)
    return _detail(services.close(ticket=ticket, actor=request.user, **payload.dict()))


@router.post("/tickets/{ticket_id}/reopen", response=TicketDetailOut)
@found_first(_visible)
def reopen(request, ticket_id: int, payload: ReopenIn):
    """The company or a coordinator reopens a resolved or closed ticket."""
    ticket = _visible(request, ticket_id)
    return _detail(services.reopen(ticket=ticket, actor=request.user, reason=payload.reason))


@router.post("/tickets/{ticket_id}/comments", response={201: TicketEventOut})
@found_first(_visible)
def add_comment(request, ticket_id: int, payload: TextIn):
    """A comment on the ticket's timeline."""
    ticket = _visible(request, ticket_id)
    return Status(201, services.comment(ticket=ticket, actor=request.user, text=payload.text))


@router.post("/tickets/{ticket_id}/notices", response={201: supervision_api.NoticeOut})
def issue_notice(request, ticket_id: int, payload: supervision_api.NoticeIn):
    """A coordinator issues a supervision notice on a ticket (default: to its lead department)."""
    ticket = _visible(request, ticket_id)
    return Status(201, supervision_api.issue_on(request, ticket, payload))
