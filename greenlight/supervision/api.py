"""API of supervision notices: the list, one notice, issuing on any subject, replying.

Subjects are named by kind and id (`{"subject_type": "ticket", "subject_id": 7}`); the
approvals and tickets routers keep their own issuing endpoints on the subject's path.
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AliasChoices

from greenlight.kernel.errors import InvalidInput, NotPermitted

from . import permissions, selectors, services, subjects
from .models import SupervisionNotice

router = Router(tags=["supervision"])


class NoticeOut(Schema):
    id: int
    subject_type: str
    subject_id: int
    subject_label: str
    department_id: int
    department: str = Field(alias="department.name")
    text: str
    issued_by: str = Field(alias="issued_by.username")
    issued_at: datetime
    reply_due: datetime
    reply_text: str
    replied_by: str | None = Field(None, alias="replied_by.username")
    replied_at: datetime | None
    state: str
    url: str

    @staticmethod
    def resolve_subject_type(obj) -> str:
        model = obj.subject_type.model_class()
        return (subjects.kind_of(model) if model else None) or obj.subject_type.model

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.state(now=timezone.now())

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class NoticeIn(Schema):
    """What must be done (`text`; `reason` is still read), the reply time in working days
    (default: the region's setting) and, for a subject with several departments, which one."""

    text: str = Field("", validation_alias=AliasChoices("text", "reason"), max_length=5000)
    reply_days: int | None = Field(None, ge=1, le=30)
    department_id: int | None = None


class SubjectNoticeIn(NoticeIn):
    subject_type: str = Field(..., description="approval, ticket or batch")
    subject_id: int


class ReplyIn(Schema):
    text: str = Field("", validation_alias=AliasChoices("text", "reply"), max_length=5000)


class NoticeFilterIn(Schema):
    state: str = ""
    subject_type: str = ""
    subject_id: int | None = None
    department: int | None = None
    mine: bool = False
    q: str = ""


def _reader(request) -> None:
    if not permissions.can_read(request.user):
        raise NotPermitted(_("Your role may not read supervision notices."))


def issue_on(request, subject, payload: NoticeIn) -> SupervisionNotice:
    """Issue a notice on a visible subject from an API payload (shared with the subject apps'
    own endpoints)."""
    try:
        return services.issue_notice(
            subject=subject,
            department=payload.department_id,
            text=payload.text,
            reply_days=payload.reply_days,
            actor=request.user,
        )
    except InvalidInput as exc:
        if exc.field == "department":  # the body's name for it
            exc.field = "department_id"
        raise


@router.get("/notices", response=list[NoticeOut])
def list_notices(request, filters: Query[NoticeFilterIn]):
    """Supervision notices the caller may see, newest first (at most 500)."""
    _reader(request)
    d = filters.dict()
    flt = selectors.NoticeFilter(
        state=d["state"],
        kind=d["subject_type"],
        subject_id=d["subject_id"],
        department=d["department"],
        mine=d["mine"],
        q=d["q"],
    )
    return selectors.notice_list(user=request.user, filters=flt, now=timezone.now())[:500]


@router.post("/notices", response={201: NoticeOut})
def issue_notice(request, payload: SubjectNoticeIn):
    """A coordinator issues a notice on any subject (`subject_type`: approval, ticket, batch)."""
    _reader(request)
    subject = subjects.visible(payload.subject_type, payload.subject_id, request.user)
    return Status(201, issue_on(request, subject, payload))


@router.get("/notices/{notice_id}", response=NoticeOut)
def get_notice(request, notice_id: int):
    """One notice with its reply."""
    _reader(request)
    return get_object_or_404(selectors.visible(user=request.user), pk=notice_id)


@router.post("/notices/{notice_id}/reply", response=NoticeOut)
def reply_notice(request, notice_id: int, payload: ReplyIn):
    """The addressed department answers (403 for others, 409 once answered)."""
    _reader(request)
    notice = get_object_or_404(selectors.visible(user=request.user), pk=notice_id)
    services.reply_notice(notice=notice, text=payload.text, actor=request.user)
    return get_object_or_404(selectors.visible(user=request.user), pk=notice_id)
