"""Reads of approvals: the department work queue (待办), overdue lists, timelines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet

from greenlight.accounts import regions
from greenlight.accounts.models import shown_with
from greenlight.kernel.roles import Role

from . import clocks
from .choices import PENDING_STATUSES, Status
from .models import Approval, ApprovalEvent, Pause


@dataclass(frozen=True)
class QueueFilter:
    status: str = ""
    light: str = ""
    matter: int | None = None
    department: int | None = None
    q: str = ""
    region: str = ""  # a division code: the approvals of that district's (or city's) projects


def queue(
    *, user, filters: QueueFilter, now: datetime, columns: tuple[str, ...] = ()
) -> tuple[list[Approval], Counter]:
    """Pending approvals the user works on (an approver: own department), by due date, with a
    light each and the count per light (before the light filter). With `columns` (`.only()`
    names), only those columns and the relations they name are read: an answer that shows a
    few fields (the API's) need not make six model instances of a hundred columns a row."""
    qs = (
        Approval.objects.visible_to(user)
        .filter(status__in=PENDING_STATUSES)
        .select_related("project", "project__region", "matter", "department", "joint_case__bundle")
    )
    if user.role == Role.APPROVER:
        qs = qs.filter(department_id=user.department_id)
    elif filters.department:
        qs = qs.filter(department_id=filters.department)
    if filters.region:
        qs = qs.filter(regions.within_q("project__region", filters.region))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.matter:
        qs = qs.filter(matter_id=filters.matter)
    if filters.q:
        qs = qs.filter(
            Q(project__name__icontains=filters.q) | Q(project__code__icontains=filters.q)
        )
    if columns:
        related = {c.rsplit("__", 1)[0] for c in columns if "__" in c}
        qs = qs.select_related(None).select_related(*sorted(related)).only(*columns)
    # only what clocks.paused_since reads, unordered (the model's ordering joins 3 tables)
    open_pauses = Prefetch(
        "pauses",
        queryset=Pause.objects.filter(ended_at__isnull=True)
        .order_by()
        .only("approval_id", "started_at"),
        to_attr="open_pauses",
    )
    rows = list(
        qs.prefetch_related(open_pauses).order_by(
            F("due_at").asc(nulls_last=True), "submitted_at", "id"
        )[:2000]
    )
    # A paused clock is frozen: it sorts by the time it has left, not by its stale due time.
    never = datetime.max.replace(tzinfo=UTC)
    rows.sort(key=lambda a: clocks.effective_due(a, now=now) or never)
    counts: Counter = Counter()
    thresholds: dict[int, int] = {}
    for a in rows:
        region = a.project.region
        if region.pk not in thresholds:
            thresholds[region.pk] = clocks.yellow_threshold(region)
        a.light = clocks.light(a, now=now, yellow_workdays=thresholds[region.pk]) or "waiting"
        a.light_label = clocks.LIGHT_LABELS.get(a.light, "")
        a.remaining = clocks.remaining(a, now=now)
        counts[a.light] += 1
    if filters.light:
        rows = [a for a in rows if a.light == filters.light]
    return _joint_once(rows, counts), counts


def _joint_once(rows: list[Approval], counts: Counter) -> list[Approval]:
    """A joint case shows once to each department involved: its first member there stands for
    the case (with `joint_members`, the case's members at that department), counted once."""
    out, seen = [], {}
    for a in rows:
        if not a.joint_case_id:
            out.append(a)
            continue
        key = (a.joint_case_id, a.department_id)
        if key in seen:
            seen[key].joint_members.append(a)
            counts[a.light] -= 1
            continue
        a.joint_members = [a]
        seen[key] = a
        out.append(a)
    return out


def overdue(*, user, now: datetime) -> QuerySet[Approval]:
    """Running approvals past their due time that the user may see."""
    return (
        Approval.objects.visible_to(user)
        .filter(status=Status.ACCEPTED, due_at__lt=now)
        .select_related("project", "matter", "department")
        .order_by("due_at")
    )


def overdue_by(*, user, now: datetime, field: str) -> list[dict]:
    """Counts of overdue approvals grouped by department or by matter, largest first."""
    key = {"department": "department__name", "matter": "matter__name"}[field]
    ident = {"department": "department_id", "matter": "matter_id"}[field]
    return list(
        overdue(user=user, now=now).values(ident, key).annotate(n=Count("id")).order_by("-n", key)
    )


def timeline(*, approval: Approval) -> QuerySet[ApprovalEvent]:
    """Every transition of one approval, oldest first."""
    return approval.events.select_related(*shown_with("actor")).order_by("at", "id")


def count_once(qs: QuerySet[Approval]) -> int:
    """How many rows the queue shows for `qs`: a joint case once per department involved."""
    single = qs.filter(joint_case__isnull=True).count()
    joint = (
        qs.filter(joint_case__isnull=False)
        .order_by()  # no ordering column in the DISTINCT
        .values("joint_case_id", "department_id")
        .distinct()
    )
    return single + joint.count()
