"""The bridge from a project to the engine: its approvals become tasks, the result is stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval
from greenlight.catalog import calendars
from greenlight.catalog.choices import Stage
from greenlight.catalog.models import Bundle as BundleRow
from greenlight.catalog.models import Matter, TemplateLink
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
    tlinks = graph.template_links.get(project.template_id, {})
    tasks = []
    for mid, a in present.items():
        after = {}
        for pred in graph.prerequisites.get(mid, ()):
            if pred in present:
                after[pred] = Link(code[pred])
        for (pred, succ), (kind, lag) in tlinks.items():
            if succ == mid and pred in present:
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


def _local_date(moment) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def actuals_for(approvals: Iterable[Approval]) -> dict[str, Actual]:
    """Actual start (acceptance, or submission) and finish (approval) of each approval."""
    out = {}
    for a in approvals:
        begun = a.accepted_at or a.submitted_at
        if begun is None or a.status in (Status.REJECTED, Status.NOT_ACCEPTED, Status.WITHDRAWN):
            continue
        finish = _local_date(a.decided_at) if a.status == Status.APPROVED else None
        out[a.matter.code] = Actual(start=_local_date(begun), finish=finish)
    return out


def plan_start(project: Project, approvals: list[Approval], today: date) -> date:
    """The day approval work may begin: set on the project, else its first activity, else today."""
    if project.plan_start:
        return project.plan_start
    firsts = [
        _local_date(m)
        for a in approvals
        for m in (a.consulting_at, a.submitted_at, a.accepted_at)
        if m
    ]
    return min(firsts) if firsts else today


def compute(
    project: Project,
    approvals: list[Approval],
    *,
    graph: CatalogGraph,
    calendar: WorkCalendar,
    today: date,
) -> Schedule | None:
    """The project's schedule from its approvals, or None when it has none."""
    custom = selectors.custom_tasks(project)  # a coordinator's custom plan replaces the catalog's
    if not approvals and custom is None:
        return None
    tasks, bundles = custom or tasks_for(project, approvals, graph)
    actuals = actuals_for(approvals)
    if custom:
        ids = {t.id for t in tasks}
        actuals = {k: v for k, v in actuals.items() if k in ids}
    return schedule(
        tasks,
        start=plan_start(project, approvals, today),
        calendar=calendar,
        bundles=bundles,
        actuals=actuals or None,
        as_of=today if actuals else None,
    )


def apply(project: Project, approvals: list[Approval], result: Schedule | None) -> list[Approval]:
    """Copy planned/forecast dates and the critical flag onto approvals and the project;
    return the approvals whose stored values changed."""
    if result is None:
        project.forecast_start = None
        return []
    by_code = {t.id: t for t in result.tasks}
    last, changed = None, []
    for a in approvals:
        t = by_code.get(a.matter.code)
        if t is None:  # a matter the project's custom plan left out
            continue
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
        if a.matter.stage in BEFORE_START and (last is None or a.forecast_finish > last):
            last = a.forecast_finish
    project.forecast_start = project.actual_start or (last + timedelta(days=1) if last else None)
    return changed


def store(approvals: list[Approval]) -> None:
    """Write the plan fields of `approvals` with one executemany (bulk_update's CASE WHEN
    expressions cost ~25 ms a project; this costs well under one)."""
    if not approvals:
        return
    meta = Approval._meta
    fields = [meta.get_field(f) for f in UPDATED]
    cols = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    sql = f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {cols} WHERE id = %s"
    params = [
        [f.get_db_prep_value(getattr(a, f.attname), connection) for f in fields] + [a.pk]
        for a in approvals
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
    approvals = list(project.approvals.select_related("matter", "department"))
    result = compute(
        project,
        approvals,
        graph=graph or CatalogGraph.load(),
        calendar=calendar or calendars.current(),
        today=today or timezone.localdate(),
    )
    with transaction.atomic():
        store(apply(project, approvals, result))
        Project.objects.filter(pk=project.pk).update(forecast_start=project.forecast_start)
    return result


def replan_after_move(*, approval, action: str, at, actor) -> None:
    """Receiver of `approvals.hooks.approval_moved`: the project's plan follows its approvals."""
    replan(approval.project, today=timezone.localdate(at))


def replan_many(
    projects,
    *,
    graph: CatalogGraph,
    calendar: WorkCalendar,
    today: date,
    progress=None,
    chunk: int = 200,
) -> dict:
    """Recompute and store the plans of many projects, a chunk per transaction."""
    from django.db.models import Prefetch

    done = {"projects": 0, "approvals": 0}
    ids = list(projects.values_list("pk", flat=True))
    rows = Approval.objects.select_related("matter", "department")
    for i in range(0, len(ids), chunk):
        batch = list(
            Project.objects.filter(pk__in=ids[i : i + chunk]).prefetch_related(
                Prefetch("approvals", queryset=rows, to_attr="approval_rows")
            )
        )
        changed: list[Approval] = []
        for project in batch:
            project.stored_forecast_start = project.forecast_start
            result = compute(
                project, project.approval_rows, graph=graph, calendar=calendar, today=today
            )
            changed += apply(project, project.approval_rows, result)
            if progress:
                progress.advance()
        with transaction.atomic():
            store(changed)
            for project in batch:
                if project.forecast_start != project.stored_forecast_start:
                    Project.objects.filter(pk=project.pk).update(
                        forecast_start=project.forecast_start
                    )
        done["projects"] += len(batch)
        done["approvals"] += len(changed)
    if progress:
        progress.finish()
    return done
