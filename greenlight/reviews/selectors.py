"""Reads of the joint review for pages and the API, always through `visible_to`."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from greenlight.accounts.models import Department, shown_with
from greenlight.approvals import clocks
from greenlight.approvals.models import Approval
from greenlight.projects.models import Project
from greenlight.tickets import selectors as ticket_selectors

from .choices import FeedbackState, OpinionKind
from .models import ActionItem, Batch, Decision, Meeting, Opinion


def batches(*, user) -> QuerySet[Batch]:
    """Batches the user may see, with their counts for the list."""
    return (
        Batch.objects.visible_to(user)
        .select_related("region", *shown_with("issued_by"))
        .annotate(
            n_projects=Count("items", distinct=True),
            n_departments=Count("departments", distinct=True),
        )
        .order_by("-issued_at", "-id")
    )


@dataclass(frozen=True)
class Starts:
    """How many of a batch's projects started construction, how fast, and their share."""

    started: int
    days: int | None
    year: int
    year_total: int
    share: float | None  # percent of the year's new starts in the region


def starts(batch: Batch) -> Starts:
    """Projects of the batch that started on or after its issue day, the days from the issue to
    the latest of those starts, and their share of the region's new starts that year."""
    issued = timezone.localdate(batch.issued_at)
    mine = Project.objects.filter(review_batches=batch, actual_start__gte=issued)
    agg = mine.aggregate(
        n=Count("id"),
        last=Max("actual_start"),
        in_year=Count("id", filter=Q(actual_start__year=issued.year)),
    )
    year_total = Project.objects.filter(
        region__code__startswith=batch.region.prefix, actual_start__year=issued.year
    ).count()
    share = round(100 * agg["in_year"] / year_total, 1) if year_total else None
    days = (agg["last"] - issued).days if agg["last"] else None
    return Starts(agg["n"], days, issued.year, year_total, share)


@dataclass
class DepartmentTally:
    department: Department
    total: int = 0
    pending: int = 0
    items: int = 0
    items_overdue: int = 0
    items_done: int = 0


def department_tallies(batch: Batch, *, today: date) -> list[DepartmentTally]:
    """Per involved department: opinions total and not yet in, action items and overdue ones."""
    depts = Department.objects.filter(pk__in=batch.departments.values("department_id"))
    tallies = {d.pk: DepartmentTally(d) for d in depts}
    for row in (
        batch.opinions.values("department_id")
        .annotate(total=Count("id"), pending=Count("id", filter=Q(kind=OpinionKind.PENDING)))
        .order_by()
    ):
        t = tallies.get(row["department_id"])
        if t:
            t.total, t.pending = row["total"], row["pending"]
    for item in ActionItem.objects.filter(meeting__batch=batch).only(
        "department_id", "due", "feedback_at"
    ):
        t = tallies.get(item.department_id)
        if t:
            t.items += 1
            state = feedback_state(item, today=today)
            t.items_overdue += state == FeedbackState.OVERDUE
            t.items_done += state in (FeedbackState.DONE, FeedbackState.LATE)
    return sorted(tallies.values(), key=lambda t: (-t.pending, t.department.pk))


@dataclass(frozen=True)
class OpinionFilter:
    department: int | None = None
    project: int | None = None
    pending: bool = False


def opinions(*, batch: Batch, filters: OpinionFilter) -> QuerySet[Opinion]:
    """A batch's opinions (project × matter × department), filtered."""
    qs = batch.opinions.select_related("project", "matter", "department", "recorded_by")
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    if filters.project:
        qs = qs.filter(project_id=filters.project)
    if filters.pending:
        qs = qs.filter(kind=OpinionKind.PENDING)
    return qs.order_by("project_id", "department_id", "matter__code")


@dataclass
class AgendaItem:
    """One project on the meeting's agenda: its matters by department and what is open."""

    project: Project
    opinions: list[Opinion]
    open_opinions: list[Opinion]
    tickets: list
    decision: Decision | None = None

    @property
    def departments(self) -> list[str]:
        return sorted({o.department.short_name or o.department.name for o in self.opinions})


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """The agenda built from the batch: projects × matters × departments, the opinions still
    open (not in, guidance, materials missing) and the projects' open problem tickets."""
    rows = meeting.batch.opinions.select_related("project", "matter", "department").order_by(
        "project_id", "department_id", "matter__code"
    )
    by_project: dict[int, list[Opinion]] = defaultdict(list)
    projects: dict[int, Project] = {}
    for o in rows:
        by_project[o.project_id].append(o)
        projects[o.project_id] = o.project
    for p in Project.objects.filter(review_batches=meeting.batch).exclude(pk__in=projects):
        projects[p.pk] = p
    tickets: dict[int, list] = defaultdict(list)
    for t in ticket_selectors.open_for_projects(projects):
        tickets[t.project_id].append(t)
    decisions = {d.project_id: d for d in meeting.decisions.all()}
    return [
        AgendaItem(
            project=projects[pid],
            opinions=by_project[pid],
            open_opinions=[o for o in by_project[pid] if o.kind != OpinionKind.NO_OBJECTION],
            tickets=tickets[pid],
            decision=decisions.get(pid),
        )
        for pid in sorted(projects)
    ]


@dataclass
class BoardRow:
    project: Project
    cells: dict[int, list[Approval]]
    lights: Counter


BOARD_PAGE_FIELDS = (
    "id", "project_id", "department_id", "status", "due_at", "matter__code", "matter__name",
)  # fmt: skip


def board(
    *, batch: Batch, user, now: datetime, fields: tuple[str, ...] = ()
) -> tuple[list[Department], list[BoardRow], Counter]:
    """Each batch project's approvals by involved department with their light (synchronous
    handling, step 4), and the count per light over the whole batch. `fields` loads only those
    of each approval (the page's BOARD_PAGE_FIELDS: thousands of rows in a large batch)."""
    departments = list(
        Department.objects.filter(pk__in=batch.departments.values("department_id")).order_by("pk")
    )
    wanted = {d.pk for d in departments}
    yellow = clocks.yellow_threshold(batch.region)
    approvals = (
        Approval.objects.visible_to(user)
        .filter(project__review_batches=batch, department_id__in=wanted)
        .select_related("matter")
        .order_by("project_id", "matter__code")
    )
    if fields:
        approvals = approvals.only(*fields)
    rows: dict[int, BoardRow] = {}
    for p in Project.objects.filter(review_batches=batch).order_by("pk"):
        rows[p.pk] = BoardRow(p, defaultdict(list), Counter())
    total: Counter = Counter()
    for a in approvals:
        a.light = clocks.light(a, now=now, yellow_workdays=yellow) or (
            "done" if a.status == "approved" else "waiting"
        )
        row = rows[a.project_id]
        row.cells[a.department_id].append(a)
        row.lights[a.light] += 1
        total[a.light] += 1
    for row in rows.values():
        row.cells = [row.cells.get(d.pk, []) for d in departments]
    return departments, list(rows.values()), total


def feedback_state(item: ActionItem, *, today: date) -> str:
    """open / done (in time) / late (fed back after the deadline) / overdue (none, past due)."""
    if item.feedback_at is not None:
        return (
            FeedbackState.LATE
            if timezone.localdate(item.feedback_at) > item.due
            else FeedbackState.DONE
        )
    return FeedbackState.OVERDUE if today > item.due else FeedbackState.OPEN


def action_items(*, batch: Batch, today: date, department: int | None = None) -> list[ActionItem]:
    """A batch's action items with their feedback state, by deadline."""
    qs = ActionItem.objects.filter(meeting__batch=batch).select_related(
        "department", "project", "feedback_by", "meeting"
    )
    if department:
        qs = qs.filter(department_id=department)
    items = list(qs.order_by("due", "id"))
    for item in items:
        item.state = feedback_state(item, today=today)
        item.state_label = FeedbackState(item.state).label
    return items


def decisions(*, user) -> QuerySet[Decision]:
    """Meeting decisions the user may read (a company: on its own projects only)."""
    return (
        Decision.objects.visible_to(user)
        .select_related("project", "meeting", "meeting__batch")
        .order_by("-meeting__starts_at", "project_id")
    )


def opinion_timeliness(*, user, start: date, end: date, today: date) -> dict[int, tuple[int, int]]:
    """Per department: (early-intervention opinions in by their due day, opinions counted)."""
    # counted: due in [start, end), and already due or recorded
    rows = (
        Opinion.objects.visible_to(user)
        .filter(batch__opinion_due__gte=start, batch__opinion_due__lt=end)
        .filter(Q(batch__opinion_due__lt=today) | Q(recorded_at__isnull=False))
        .order_by()
        .values("department_id")
        .annotate(
            n=Count("id"),
            ok=Count("id", filter=Q(recorded_at__date__lte=F("batch__opinion_due"))),
        )
    )
    return {r["department_id"]: (r["ok"], r["n"]) for r in rows}


def feedback_timeliness(*, user, start: date, end: date, today: date) -> dict[int, tuple[int, int]]:
    """Per department: (meeting action items fed back by their due day, items counted)."""
    # counted: due in [start, end), and already due or fed back
    rows = (
        ActionItem.objects.visible_to(user)
        .filter(due__gte=start, due__lt=end)
        .filter(Q(due__lt=today) | Q(feedback_at__isnull=False))
        .order_by()
        .values("department_id")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(feedback_at__date__lte=F("due"))))
    )
    return {r["department_id"]: (r["ok"], r["n"]) for r in rows}
