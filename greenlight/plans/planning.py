"""The bridge from a project to the engine: its approvals become tasks, the result is stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from greenlight.accounts.models import Department
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval, Pause
from greenlight.catalog import calendars
from greenlight.catalog.choices import Stage
from greenlight.catalog.models import Bundle as BundleRow
from greenlight.catalog.models import Matter, TemplateLink
from greenlight.engine import clocks as engine_clocks
from greenlight.engine.calendar import WorkCalendar
from greenlight.engine.network import Actual, Bundle, Link, LinkType, Task, Unit
from greenlight.engine.schedule import Schedule, schedule
from greenlight.projects.models import Project

from . import selectors

BEFORE_START = (Stage.LAND_PLANNING, Stage.ENGINEERING_PERMIT, Stage.CONSTRUCTION_PERMIT)
UPDATED = (
    "planned_start",
    "planned_finish",
    "forecast_start",
    "forecast_finish",
    "float_days",
    "critical",
)


@dataclass
class CatalogGraph:
    """Links of every template and the catalog's prerequisites and bundles, loaded once."""

    template_links: dict[int, dict[tuple[int, int], tuple[str, int]]]
    prerequisites: dict[int, set[int]]
    bundles: list[tuple[str, str, tuple[int, ...], int, str]]
    # template -> successor -> [(predecessor, type, lag)]: a task's links without a scan
    links_into: dict[int, dict[int, list[tuple[int, str, int]]]] = field(init=False)

    def __post_init__(self):
        self.links_into = {}
        for template, links in self.template_links.items():
            into = self.links_into.setdefault(template, {})
            for (pred, succ), (kind, lag) in links.items():
                into.setdefault(succ, []).append((pred, kind, lag))

    @classmethod
    def load(cls) -> CatalogGraph:
        """Read the graph from the catalog tables (three queries)."""
        links: dict[int, dict[tuple[int, int], tuple[str, int]]] = {}
        for row in TemplateLink.objects.values_list(
            "template_id", "predecessor_id", "successor_id", "type", "lag"
        ):
            links.setdefault(row[0], {})[(row[1], row[2])] = (row[3], row[4])
        prereqs: dict[int, set[int]] = {}
        for m, p in Matter.prerequisites.through.objects.values_list(
            "from_matter_id", "to_matter_id"
        ):
            prereqs.setdefault(m, set()).add(p)
        bundles = [
            (b.code, b.name, tuple(m.id for m in b.matters.all()), b.limit, b.unit)
            for b in BundleRow.objects.prefetch_related("matters")
        ]
        return cls(links, prereqs, bundles)


def tasks_for(
    project: Project, approvals: Iterable[Approval], graph: CatalogGraph
) -> tuple[list[Task], list[Bundle]]:
    """Engine tasks (committed limits) and applicable bundles for a project's approvals."""
    present = {a.matter_id: a for a in approvals}
    code = {mid: a.matter.code for mid, a in present.items()}
    into = graph.links_into.get(project.template_id, {})
    tasks = []
    for mid, a in present.items():
        after = {}
        for pred in graph.prerequisites.get(mid, ()):
            if pred in present:
                after[pred] = Link(code[pred])
        for pred, kind, lag in into.get(mid, ()):
            if pred in present:
                after[pred] = Link(code[pred], LinkType(kind), lag)
        m = a.matter
        tasks.append(
            Task(
                id=m.code,
                duration=m.committed_limit,
                unit=Unit(m.committed_unit),
                after=tuple(after[p] for p in sorted(after)),
                name=m.name,
                department=a.department.short_name,
                legal=True,  # a catalog limit is a legal period (民法典 203 for day limits)
            )
        )
    bundles = [
        Bundle(
            id=bc,
            tasks=tuple(code[m] for m in members),
            duration=limit,
            unit=Unit(unit),
            name=name,
            legal=True,
        )
        for bc, name, members, limit, unit in graph.bundles
        if members and all(m in present for m in members)
    ]
    return tasks, bundles


def _local_date(moment, tz=None) -> date | None:
    """The local day of an aware moment, or a day as it is (`PlanRow`'s); `tz`: the current
    time zone, passed by a caller that converts many."""
    if moment is None or type(moment) is date:
        return moment
    return moment.astimezone(tz or timezone.get_current_timezone()).date()


def actuals_for(
    approvals: Iterable[Approval],
    *,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> dict[str, Actual]:
    """Actual start (acceptance, or submission) and finish (approval) of each approval; with
    `today` and `calendar`, the due day of each running clock (`clock_due`)."""
    out, tz = {}, timezone.get_current_timezone()
    for a in approvals:
        begun = a.accepted_at or a.submitted_at
        if begun is None or a.status in (Status.REJECTED, Status.NOT_ACCEPTED, Status.WITHDRAWN):
            continue
        finish = _local_date(a.decided_at, tz) if a.status == Status.APPROVED else None
        due = clock_due(a, today=today, calendar=calendar) if today and calendar else None
        out[a.matter.code] = Actual(start=_local_date(begun, tz), finish=finish, due=due)
    return out


def clock_due(a: Approval, *, today: date, calendar: WorkCalendar) -> date | None:
    """The day a running clock leaves its approval until: an accepted approval's due day; a
    paused one's due day were it resumed today (the working days it had left, from today)."""
    if a.status == Status.ACCEPTED:
        return _local_date(a.due_at)
    if a.status != Status.PAUSED or a.accepted_at is None:
        return None
    rows = getattr(a, "pause_rows", None)  # prefetched by replan_many
    if rows is None:
        rows = list(a.pauses.all())
    resumed = datetime.combine(today, time(12), tzinfo=timezone.get_current_timezone())
    spans = []
    for p in rows:
        begin = timezone.localtime(p.started_at)
        spans.append((begin, timezone.localtime(p.ended_at) if p.ended_at else max(begin, resumed)))
    due = engine_clocks.due(
        timezone.localtime(a.accepted_at),
        a.matter.committed_limit,
        a.matter.committed_unit,
        calendar=calendar,
        pauses=spans,
    )
    return due.date() if due else None


def forecast_date(actuals: dict[str, Actual], today: date) -> date:
    """The engine's `as_of`: today, or the latest recorded event if one lies ahead of it."""
    latest = [max(a.start, a.finish or a.start) for a in actuals.values()]
    return max([today, *latest])


def plan_start(project: Project, approvals: list[Approval], today: date) -> date:
    """The day approval work may begin: set on the project, else the earlier of its first
    activity and the start of the plan already stored (so the baseline stays put while the
    forecast moves), else today."""
    if project.plan_start:
        return project.plan_start
    tz = timezone.get_current_timezone()
    firsts = [
        _local_date(m, tz)
        for a in approvals
        for m in (a.consulting_at, a.submitted_at, a.accepted_at)
        if m
    ]
    firsts += [a.planned_start for a in approvals if a.planned_start]
    return min(firsts) if firsts else today


def compute(
    project: Project,
    approvals: list[Approval],
    *,
    graph: CatalogGraph,
    calendar: WorkCalendar,
    today: date,
    catalog_tasks: tuple[list[Task], list[Bundle]] | None = None,
) -> Schedule | None:
    """The project's schedule from its approvals, or None when it has none."""
    custom = selectors.custom_tasks(project)  # a coordinator's custom plan replaces the catalog's
    if not approvals and custom is None:
        return None
    tasks, bundles = custom or catalog_tasks or tasks_for(project, approvals, graph)
    actuals = actuals_for(approvals, today=today, calendar=calendar)
    if custom:
        ids = {t.id for t in tasks}
        actuals = {k: v for k, v in actuals.items() if k in ids}
    return schedule(
        tasks,
        start=plan_start(project, approvals, today),
        calendar=calendar,
        bundles=bundles,
        actuals=actuals or None,
        as_of=forecast_date(actuals, today),  # always: nothing unfinished is forecast before it
    )


def apply(
    project: Project, approvals: list[Approval], result: Schedule | None, *, today: date
) -> list[Approval]:
    """Copy planned/forecast dates and the critical flag onto approvals and the project;
    return the approvals whose stored values changed.

    The project's forecast start is its actual start, else the day after its last pre-start
    matter is forecast to finish, and never before `today`."""
    if result is None:
        project.forecast_start = project.actual_start
        return []
    by_code = {t.id: t for t in result.tasks}
    last, changed = None, []
    for a in approvals:
        t = by_code.get(a.matter.code)
        if t is None:  # a matter the custom plan left out: its old baseline, no forecast
            values = (a.planned_start, a.planned_finish, None, None, None, False)
        else:
            values = (
                t.early_start,
                t.early_finish,
                t.forecast_start or t.early_start,
                t.forecast_finish or t.early_finish,
                t.float_days,
                t.critical,
            )
        if values != tuple(getattr(a, f) for f in UPDATED):
            for f, v in zip(UPDATED, values, strict=True):
                setattr(a, f, v)
            changed.append(a)
        if t and a.matter.stage in BEFORE_START and (last is None or a.forecast_finish > last):
            last = a.forecast_finish
    if project.actual_start or last is None:
        project.forecast_start = project.actual_start
    else:
        project.forecast_start = max(last + timedelta(days=1), today)
    return changed


def store(approvals: list[Approval]) -> None:
    """Write the plan fields of `approvals` with one executemany (bulk_update's CASE WHEN
    expressions cost ~25 ms a project; this costs well under one)."""
    _write(Approval, approvals, UPDATED)


def store_projects(projects: list[Project], today: date) -> None:
    """Write each project's forecast start, and `today` as the day it was forecast."""
    for p in projects:
        p.forecast_on = today
    _write(Project, projects, ("forecast_start", "forecast_on"))


def _write(model, rows: list, names: Iterable[str]) -> None:
    """UPDATE the fields `names` of `rows` by primary key, in one executemany."""
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(f) for f in names]
    cols = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    sql = f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {cols} WHERE id = %s"
    params = [
        [f.get_db_prep_value(getattr(r, f.attname), connection) for f in fields] + [r.pk]
        for r in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def replan(
    project: Project,
    *,
    graph: CatalogGraph | None = None,
    calendar: WorkCalendar | None = None,
    today: date | None = None,
) -> Schedule | None:
    """Recompute and store one project's plan (after an approval or the project changed)."""
    today = today or timezone.localdate()
    approvals = list(project.approvals.select_related("matter", "department"))
    result = compute(
        project,
        approvals,
        graph=graph or CatalogGraph.load(),
        calendar=calendar or calendars.current(),
        today=today,
    )
    with transaction.atomic():
        store(apply(project, approvals, result, today=today))
        store_projects([project], today)
    return result


def replan_after_move(*, approval, action: str, at, actor) -> None:
    """Receiver of `approvals.hooks.approval_moved`: the project's plan follows its approvals,
    forecast as of today (or the event's day when that lies ahead, as in a simulation)."""
    replan(approval.project, today=max(timezone.localdate(at), timezone.localdate()))


class PlanRow:
    """An approval as `replan_many` reads it: the columns planning uses, as plain attributes
    (`compute`, `apply` and `store` take it where they take an `Approval`), without building a
    model instance per row. Its moments are local days (the database converts them: loading
    44,000 timestamps in Python was a third of `replan --all`), except a paused clock's
    acceptance, which `clock_due` needs to the minute."""

    COLUMNS = ("id", "project_id", "matter_id", "department_id", "status", *UPDATED)
    DAYS = ("consulting_at", "submitted_at", "accepted_at", "decided_at", "due_at")
    __slots__ = (*COLUMNS, *DAYS, "matter", "department", "pause_rows")

    @property
    def pk(self) -> int:
        return self.id


def _plan_rows(project_ids: list[int], matters: dict, departments: dict) -> dict[int, list]:
    """Each project's approvals as `PlanRow`s (in the model's order), with matter, department
    and, for a paused clock, its acceptance moment and pauses: three queries."""
    from django.db.models.functions import TruncDate

    by_project: dict[int, list[PlanRow]] = {pid: [] for pid in project_ids}
    paused: dict[int, PlanRow] = {}
    days = {f"day_{name}": TruncDate(name) for name in PlanRow.DAYS}
    names = (*PlanRow.COLUMNS, *PlanRow.DAYS)
    query = Approval.objects.filter(project_id__in=project_ids).annotate(**days)
    for values in query.values_list(*PlanRow.COLUMNS, *days):
        row = PlanRow()
        for name, value in zip(names, values, strict=True):
            setattr(row, name, value)
        row.matter, row.department = matters[row.matter_id], departments[row.department_id]
        row.pause_rows = []
        if row.status == Status.PAUSED:
            paused[row.id] = row
        by_project[row.project_id].append(row)
    if paused:
        moments = Approval.objects.filter(pk__in=list(paused)).values_list("pk", "accepted_at")
        for pk, accepted_at in moments:
            paused[pk].accepted_at = accepted_at
        for pause in Pause.objects.filter(approval_id__in=list(paused)):
            paused[pause.approval_id].pause_rows.append(pause)
    return by_project


def replan_many(
    projects,
    *,
    graph: CatalogGraph,
    calendar: WorkCalendar,
    today: date,
    progress=None,
    chunk: int = 500,
) -> dict:
    """Recompute and store the plans of many projects as of `today`, a chunk per transaction;
    each project's `forecast_on` becomes `today`.

    Approvals are read as plain rows (`PlanRow`); projects with the same template, matters and
    departments share their engine tasks (immutable); a project whose forecast start and
    forecast day hold already is not written again."""
    done = {"projects": 0, "approvals": 0}
    ids = list(projects.values_list("pk", flat=True))
    matters = {m.pk: m for m in Matter.objects.all()}
    departments = {d.pk: d for d in Department.objects.all()}
    shapes: dict[tuple, tuple[list[Task], list[Bundle]]] = {}
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        batch = list(Project.objects.filter(pk__in=part))
        rows = _plan_rows(part, matters, departments)
        stored = {p.pk: (p.forecast_start, p.forecast_on) for p in batch}
        changed: list = []
        for project in batch:
            approvals = rows[project.pk]
            shared = None
            if not project.is_major:  # a major project may have its own plan
                shape = (project.template_id, *((a.matter_id, a.department_id) for a in approvals))
                if shape not in shapes:
                    shapes[shape] = tasks_for(project, approvals, graph)
                shared = shapes[shape]
            result = compute(
                project,
                approvals,
                graph=graph,
                calendar=calendar,
                today=today,
                catalog_tasks=shared,
            )
            changed += apply(project, approvals, result, today=today)
            if progress:
                progress.advance()
        moved = [p for p in batch if (p.forecast_start, today) != stored[p.pk]]
        with transaction.atomic():
            store(changed)
            store_projects(moved, today)  # the others hold these values already
        done["projects"] += len(batch)
        done["approvals"] += len(changed)
    if progress:
        progress.finish()
    return done
