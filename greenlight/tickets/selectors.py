"""Reads of tickets for pages, the API, exports and the joint review; always via `visible_to`."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from greenlight.accounts import regions
from greenlight.accounts.models import Department, shown_with
from greenlight.catalog.calendars import current as current_calendar
from greenlight.kernel.roles import Role

from . import clocks
from .choices import MILESTONES, OPEN_STATUSES, Category, Light, Status
from .models import Ticket, TicketEvent


@dataclass(frozen=True)
class TicketFilter:
    """The filters of the ticket list, shared by the page, the API and the Excel export."""

    q: str = ""
    light: str = ""
    state: str = ""  # "" all, "open", "escalated" (open), "done", or one Status value
    category: str = ""
    department: int | None = None
    project: int | None = None
    mine: bool = False  # an approver: tickets its department leads or cooperates on
    region: str = ""  # a division code: the tickets of that district's (or city's) projects


def open_for_projects(project_ids) -> QuerySet[Ticket]:
    """Open tickets of these projects (for a joint meeting's agenda); the caller scopes users."""
    return (
        Ticket.objects.filter(project_id__in=list(project_ids), status__in=OPEN_STATUSES)
        .select_related("project", "lead_department")
        .order_by("project_id", "reported_at", "id")
    )


def open_ticket(*, ticket_id: int, project_ids) -> Ticket | None:
    """The open ticket `ticket_id` when it is one of these projects', else None (one query)."""
    return open_for_projects(project_ids).filter(pk=ticket_id).first()


def _scoped(*, user, filters: TicketFilter) -> QuerySet[Ticket]:
    qs = Ticket.objects.visible_to(user)
    if filters.mine and user.department_id:
        qs = qs.filter(
            Q(lead_department_id=user.department_id)
            | Q(cooperating_departments__id=user.department_id)
        ).distinct()
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(project__name__icontains=filters.q)
            | Q(project__code__icontains=filters.q)
        )
    if filters.state == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.state == "escalated":
        qs = qs.filter(status__in=OPEN_STATUSES, escalated_at__isnull=False)
    elif filters.state == "done":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif filters.state in Status.values:
        qs = qs.filter(status=filters.state)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.region:
        qs = qs.filter(regions.within_q("project__region", filters.region))
    if filters.department:
        qs = qs.filter(lead_department_id=filters.department)
    if filters.project:
        qs = qs.filter(project_id=filters.project)
    return qs.annotate(next_due=clocks.next_due_expression())


def ticket_list(*, user, filters: TicketFilter, now: datetime) -> QuerySet[Ticket]:
    """The tickets `user` may see, filtered, most urgent first, with a light to show."""
    qs = _scoped(user=user, filters=filters)
    if filters.light:
        qs = qs.filter(clocks.light_q(filters.light, now=now))
    return qs.select_related("project__region", "lead_department", "reporter").order_by(
        "next_due", "-reported_at", "-id"
    )


LIGHTS = frozenset(Light.values)  # (`Light.values` builds its list on every read)


def with_lights(rows, *, now: datetime) -> list[Ticket]:
    """Each ticket with its light and next milestone set as attributes."""
    rows = list(rows)
    for t in rows:
        t.light = clocks.light(t, now=now)
        t.light_label = Light(t.light).label if t.light in LIGHTS else ""
        t.next_milestone = clocks.next_milestone(t)
    return rows


def light_counts(*, user, filters: TicketFilter, now: datetime) -> dict[str, int]:
    """Open tickets per light (before the light filter), in one query."""
    qs = _scoped(user=user, filters=filters)
    return qs.aggregate(
        **{light.value: Count("id", filter=clocks.light_q(light, now=now)) for light in Light},
        escalated=Count("id", filter=Q(status__in=OPEN_STATUSES, escalated_at__isnull=False)),
        done=Count("id", filter=~Q(status__in=OPEN_STATUSES)),
    )


def timeline(*, ticket: Ticket) -> QuerySet[TicketEvent]:
    """Every entry of a ticket's timeline, oldest first."""
    return ticket.events.select_related(*shown_with("actor")).order_by("at", "id")


# -- figures ----------------------------------------------------------------------------------


def _workdays_between(start: datetime, end: datetime, cal) -> int:
    """Working days after the report day up to the milestone's day (0: the same day)."""
    a, b = timezone.localtime(start).date(), timezone.localtime(end).date()
    return cal.count_workdays(date.fromordinal(a.toordinal() + 1), b) if b > a else 0


def department_figures(*, user, since: date | None = None) -> list[dict]:
    """Per lead department: tickets, open, on-time rate of each milestone (among those met or
    due), and median working days to feedback, path, progress and resolution."""
    qs = Ticket.objects.visible_to(user).filter(lead_department__isnull=False)
    if since:
        qs = qs.filter(reported_at__date__gte=since)
    fields = ["lead_department_id", "status", "reported_at", "resolved_at"]
    for m in MILESTONES:
        fields += [f"{m}_at", f"{m}_due"]
    rows = qs.values(*fields)
    now, cal = timezone.now(), current_calendar()
    acc: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for r in rows.iterator(chunk_size=2000):
        a = acc[r["lead_department_id"]]
        a["n"].append(1)
        a["open"].append(1 if r["status"] in OPEN_STATUSES else 0)
        for m in MILESTONES:
            at, due = r[f"{m}_at"], r[f"{m}_due"]
            if at is not None:
                a[f"{m}_ok"].append(at <= due)
                a[f"{m}_days"].append(_workdays_between(r["reported_at"], at, cal))
            elif due < now:
                a[f"{m}_ok"].append(False)
        if r["resolved_at"] is not None:
            a["resolved_days"].append(_workdays_between(r["reported_at"], r["resolved_at"], cal))
    names = dict(Department.objects.filter(pk__in=acc).values_list("pk", "short_name"))
    out = []
    for dept_id, a in acc.items():
        row = {
            "department_id": dept_id,
            "department": names.get(dept_id, ""),
            "tickets": len(a["n"]),
            "open": sum(a["open"]),
        }
        for m in MILESTONES:
            ok = a[f"{m}_ok"]
            row[f"{m}_rate"] = round(100 * sum(ok) / len(ok), 1) if ok else None
            row[f"{m}_median"] = _median(a[f"{m}_days"])
        row["resolved_median"] = _median(a["resolved_days"])
        row["rates"] = [row[f"{m}_rate"] for m in MILESTONES]
        row["medians"] = [row[f"{m}_median"] for m in MILESTONES]
        out.append(row)
    return sorted(out, key=lambda r: (-r["tickets"], r["department"]))


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def by_category_month(*, user, months: int = 12) -> tuple[list[date], list[dict]]:
    """Ticket counts per category (rows) and report month (columns), last `months` months."""
    today = timezone.localdate()
    y, m = divmod(today.year * 12 + today.month - 1 - (months - 1), 12)
    first = date(y, m + 1, 1)
    first_at = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    rows = (
        Ticket.objects.visible_to(user)
        .filter(reported_at__gte=first_at)
        .annotate(month=TruncMonth("reported_at", tzinfo=timezone.get_current_timezone()))
        .values("category", "month")
        .annotate(n=Count("id"))
    )
    cols = []
    for i in range(months):
        yy, mm = divmod(first.year * 12 + first.month - 1 + i, 12)
        cols.append(date(yy, mm + 1, 1))
    grid: dict[str, dict[date, int]] = defaultdict(dict)
    for r in rows:
        month = r["month"].date() if isinstance(r["month"], datetime) else r["month"]
        grid[r["category"]][month] = r["n"]
    table = []
    for c in Category:
        counts = [grid[c.value].get(col, 0) for col in cols]
        table.append({"category": c.label, "code": c.value, "counts": counts, "total": sum(counts)})
    return cols, table


def department_choices(user) -> QuerySet[Department]:
    """Departments a user may filter or assign by (their region's)."""
    return Department.objects.visible_to(user).order_by("region", "id")


def is_department_user(user) -> bool:
    return user.role == Role.APPROVER and user.department_id is not None


def lights_by_lead_department(*, user, now: datetime, region=None) -> list[dict]:
    """Open tickets with a milestone due by the end of today, per lead department: red, yellow
    (of the projects of `region` and below, when given)."""
    qs = Ticket.objects.visible_to(user)
    if region is not None:
        qs = qs.filter(project__region__code__startswith=region.prefix)
    return list(
        qs.filter(status__in=OPEN_STATUSES, lead_department__isnull=False)
        .annotate(next_due=clocks.next_due_expression())
        .filter(next_due__lt=clocks.end_of_today(now))
        .order_by()
        .values(
            "lead_department_id", "lead_department__short_name", "lead_department__region__name"
        )
        .annotate(
            red=Count("id", filter=Q(next_due__lt=now)),
            yellow=Count("id", filter=Q(next_due__gte=now)),
        )
        .filter(Q(red__gt=0) | Q(yellow__gt=0))
    )


def milestone_compliance(
    *, user, start: datetime, end: datetime, now: datetime
) -> dict[int, tuple[int, int]]:
    """Per lead department: (1-2-3 milestones met in time, milestones counted) due in [start, end)."""
    # a milestone counts once due, or reached, or the ticket resolved (which meets the rest)
    agg = {}
    for m in MILESTONES:
        due = F(f"{m}_due")
        counted = Q(**{f"{m}_due__gte": start, f"{m}_due__lt": end}) & (
            Q(**{f"{m}_due__lt": now})
            | Q(**{f"{m}_at__isnull": False})
            | Q(resolved_at__isnull=False)
        )
        agg[f"{m}_n"] = Count("id", filter=counted)
        agg[f"{m}_hit"] = Count("id", filter=counted & Q(**{f"{m}_reached__lte": due}))
    qs = Ticket.objects.visible_to(user).filter(lead_department__isnull=False).order_by()
    for m in MILESTONES:
        qs = qs.annotate(**{f"{m}_reached": Coalesce(F(f"{m}_at"), F("resolved_at"))})
    out = {}
    for r in qs.values("lead_department_id").annotate(**agg):
        total = sum(r[f"{m}_n"] for m in MILESTONES)
        if total:
            out[r["lead_department_id"]] = (sum(r[f"{m}_hit"] for m in MILESTONES), total)
    return out


def export_events(*, user, start: datetime, end: datetime) -> QuerySet:
    """Events of visible tickets in [start, end) for an event log: (id, kind, at, ticket,
    project, lead department, milestone) tuples in time order."""
    return (
        TicketEvent.objects.filter(
            ticket__in=Ticket.objects.visible_to(user), at__gte=start, at__lt=end
        )
        .order_by("at", "id")
        .values_list(
            "id",
            "kind",
            "at",
            "ticket_id",
            "ticket__project_id",
            "ticket__lead_department_id",
            "milestone",
        )
    )


def export_objects(*, user, ids) -> QuerySet:
    """Visible tickets among `ids` for an event log: (id, category, status, project, lead
    department) tuples."""
    return (
        Ticket.objects.visible_to(user)
        .filter(pk__in=ids)
        .values_list("id", "category", "status", "project_id", "lead_department_id")
    )


def overdue_by_region(*, user, now: datetime, regions: list[int]) -> dict[int, int]:
    """Open tickets past a 1-2-3 deadline, per project region (one grouped query)."""
    return dict(
        Ticket.objects.visible_to(user)
        .filter(project__region_id__in=regions)
        .annotate(next_due=clocks.next_due_expression())
        .filter(clocks.light_q(Light.OVERDUE, now=now))
        .order_by()
        .values_list("project__region_id")
        .annotate(n=Count("id"))
        .values_list("project__region_id", "n")
    )
