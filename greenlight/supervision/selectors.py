"""Reads of supervision notices: lists with filters, one subject's notices, counts to answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from greenlight.kernel.roles import Role

from . import subjects
from .models import SupervisionNotice


@dataclass(frozen=True)
class NoticeFilter:
    state: str = ""  # open / overdue / answered (choices.State), "" for all
    kind: str = ""  # a registered subject kind
    subject_id: int | None = None
    department: int | None = None
    mine: bool = False  # an approver: addressed to its department; a coordinator: issued by it
    q: str = ""


def visible(*, user) -> QuerySet[SupervisionNotice]:
    """Every notice the user may see, with what the pages show."""
    return SupervisionNotice.objects.visible_to(user).select_related(
        "department", "issued_by", "replied_by", "subject_type", "region"
    )


def notice_list(
    *, user, filters: NoticeFilter = NoticeFilter(), now: datetime
) -> QuerySet[SupervisionNotice]:
    """The notices the user may see, filtered, newest first."""
    qs = visible(user=user)
    if filters.state:
        qs = qs.in_state(filters.state, now=now)
    if filters.kind:
        model = subjects.model_of(filters.kind)
        if model is None:
            return qs.none()
        qs = qs.filter(subject_type=ContentType.objects.get_for_model(model))
        if filters.subject_id is not None:
            qs = qs.filter(subject_id=filters.subject_id)
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    if filters.mine:
        qs = qs.filter(_mine(user))
    if filters.q:
        qs = qs.filter(Q(subject_label__icontains=filters.q) | Q(text__icontains=filters.q))
    return qs


def _mine(user) -> Q:
    if user.role == Role.APPROVER:
        return Q(department_id=user.department_id)
    return Q(issued_by=user)


def of_subject(*, user, subject) -> QuerySet[SupervisionNotice]:
    """The notices on one subject the user may see (none for a company)."""
    return visible(user=user).of(subject)


def to_answer(*, user) -> QuerySet[SupervisionNotice]:
    """Notices awaiting a reply that concern the user: an approver's department's; for other
    staff, every unanswered notice of their region."""
    qs = visible(user=user).awaiting()
    if user.role == Role.APPROVER:
        qs = qs.filter(department_id=user.department_id)
    return qs
