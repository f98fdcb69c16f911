"""Chart data of a project (or a catalog template) and its "3+1" views, 拿地即开工 and exports.

Reads only: the project's custom plan (if a coordinator saved one) or its template + catalog,
scheduled by the engine on the platform calendar, plus the catalog's facts per matter.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from greenlight.accounts.choices import DepartmentKind
from greenlight.approvals.choices import Status
from greenlight.catalog import calendars
from greenlight.catalog.choices import Stage
from greenlight.catalog.models import Matter, Template
from greenlight.charts import bpmn, coordination, draw, layout
from greenlight.charts import views as chart_views
from greenlight.engine.calendar import HOLIDAY_NAMES_ZH, WorkCalendar
from greenlight.engine.network import Actual, Bundle, ScheduleError, Target, Task
from greenlight.engine.schedule import Schedule, TargetResult, schedule
from greenlight.projects import selectors as project_selectors
from greenlight.projects.models import Project

from . import planning, selectors
from .models import PlanVersion

VIEWS = ("combined", "service", "push", "coordination")
BACKWARD = "backward"


def view_titles() -> dict[str, str]:
    """The four views' names, in the user's language."""
    return {
        "service": _("Approval service"),
        "push": _("Project push"),
        "coordination": _("Parallel coordination"),
        "combined": _("Combined chart"),
    }


@dataclass
class ChartData:
    """Everything the charts of one project or template are drawn from."""

    title: str
    subtitle: str
    tasks: list[Task]
    bundles: list[Bundle]
    result: Schedule
    calendar: WorkCalendar
    today: date
    info: dict[str, chart_views.MatterInfo] = field(default_factory=dict)
    actuals: dict[str, Actual] = field(default_factory=dict)
    version: PlanVersion | None = None
    land: date | None = None
    target_task: str = ""


def labels() -> layout.Labels:
    """The chart's words in the user's language."""
    return layout.Labels(
        summary=_("Serial {serial} days → parallel {parallel} days, {saved} days saved"),
        today=_("today"),
        workday=_(" workdays"),
        day=_(" days"),
        critical=_("critical path"),
        planned=_("planned"),
        forecast=_("actual / forecast"),
        slip=_("+{days} d"),
        weekend=_("weekend"),
        holiday=_("public holiday"),
        makeup=_("work"),
        bundle=_("bundle"),
        no_department=_("other"),
        plan_start=_("plan start"),
        finish=_("parallel finish"),
        forecast_finish=_("forecast finish"),
        target=_("target: {task} by {by}"),
        target_verdict=pgettext("chart", "{target}, {verdict}"),
        feasible=_("feasible"),
        late=_("{days} days short"),
        provisional=_("provisional holiday (no State Council notice yet)"),
        provisional_holiday=_("{name} (provisional)"),
        provisional_note=_("{year}: provisional calendar, no 调休"),
        holiday_names=holiday_names(),
        slipped=_("late against the plan"),
        done=_("finished (actual)"),
        makeup_day=_("makeup working day"),
    )


def holiday_names() -> dict[str, str]:
    """Public holidays as the calendar notes them (in Chinese) → in the user's language."""
    names = {
        "New Year's Day": _("New Year's Day"),
        "Spring Festival": _("Spring Festival"),
        "Tomb-sweeping Day": _("Tomb-sweeping Day"),
        "Labour Day": _("Labour Day"),
        "Dragon Boat Festival": _("Dragon Boat Festival"),
        "National Day": _("National Day"),
        "Mid-autumn Festival": _("Mid-autumn Festival"),
        "Anti-Fascist 70th Day": _("Anti-Fascist 70th Day"),
    }
    return {HOLIDAY_NAMES_ZH[key]: name for key, name in names.items() if key in HOLIDAY_NAMES_ZH}


def view_labels() -> chart_views.ViewLabels:
    """The three views' words in the user's language."""
    t = view_titles()
    return chart_views.ViewLabels(
        service=t["service"],
        push=t["push"],
        coordination=t["coordination"],
        committed=_("committed"),
        statutory=_("statutory"),
        materials=_("materials"),
        prerequisites=_("prerequisites"),
        department=_("Department"),
        none=_("none"),
        date=pgettext("chart column", "By"),
        latest=_("Latest"),
        action=_("Step"),
        to_whom=_("To whom"),
        early=_("Early intervention: meet {dept} on “{name}”"),
        submit=_("Prepare the materials and apply for “{name}”"),
        done=_("done"),
        parallel=_("{n} matters"),
        departments_at_once=_("departments at work"),
        peak=pgettext("chart", "max {n}"),
        meeting=_("joint review meeting"),
        bundle=_("bundle"),
        start_to_start=pgettext("chart", "SS+{lag}"),
        field=pgettext("chart", "{label}: {value}"),
        aside=pgettext("chart", "{text} ({note})"),
        list_sep=pgettext("chart list separator", ", "),
    )


def bpmn_labels() -> bpmn.BpmnLabels:
    """The words of a BPMN export in the user's language."""
    return bpmn.BpmnLabels(
        no_department="—",
        workday=_(" workdays"),
        day=_(" days"),
        critical=_("critical path"),
        bundle=pgettext("bpmn", "bundle {name}"),
        start_to_start=pgettext("chart", "SS+{lag}"),
    )


def stages() -> list[tuple[str, str]]:
    """The national approval stages as (key, label), in the user's language."""
    return [(key, str(label)) for key, label in Stage.choices]


def _unit_text(limit: int, unit: str) -> str:
    return f"{limit}{_(' workdays') if unit == 'workday' else _(' days')}"


def _info(codes, done: set[str]) -> dict[str, chart_views.MatterInfo]:
    rows = Matter.objects.filter(code__in=list(codes)).only(
        "code", "stage", "statutory_limit", "statutory_unit", "materials"
    )
    return {
        m.code: chart_views.MatterInfo(
            stage=m.stage,
            statutory=_unit_text(m.statutory_limit, m.statutory_unit),
            materials=tuple(str(x) for x in (m.materials or ())),
            done=m.code in done,
        )
        for m in rows
    }


def _target_task(tasks: list[Task], info: dict, result: Schedule) -> str:
    """The matter construction waits for: the construction-permit matter that finishes last."""
    permits = [
        t for t in result.tasks if info.get(t.id) and info[t.id].stage == Stage.CONSTRUCTION_PERMIT
    ]
    rows = permits or list(result.tasks)
    return max(rows, key=lambda t: (t.early_finish, t.id)).id


def project_data(
    project: Project, *, user, today: date, land: date | None = None
) -> ChartData | None:
    """The project's plan (custom or catalog) scheduled; with `land`, planned back from it."""
    approvals = project_selectors.project_approvals(project=project, user=user)
    custom = selectors.custom_tasks(project)
    if custom is None and not approvals:
        return None
    graph = planning.CatalogGraph.load() if custom is None else None
    tasks, bundles = custom or planning.tasks_for(project, approvals, graph)
    ids = {t.id for t in tasks}
    calendar = calendars.current()
    found = planning.actuals_for(approvals, today=today, calendar=calendar)
    actuals = {k: v for k, v in found.items() if k in ids}
    done = {a.matter.code for a in approvals if a.status == Status.APPROVED}
    start = planning.plan_start(project, approvals, today)
    data = ChartData(
        title=project.name,
        subtitle=project.code,
        tasks=list(tasks),
        bundles=list(bundles),
        result=None,
        calendar=calendar,
        today=today,
        info=_info(ids, done),
        actuals=actuals,
        version=selectors.latest_version(project) if project.is_major else None,
        land=land,
    )
    data.result = _schedule(data, start, actuals, today)
    if land is not None:
        data.target_task = _target_task(data.tasks, data.info, data.result)
        data.result = _with_forecast_verdict(
            _schedule(data, start, actuals, today, Target(data.target_task, land))
        )
    return data


def _with_forecast_verdict(result: Schedule) -> Schedule:
    """Judge the land date against today's forecast (work not done starts no earlier than
    today), not against the baseline."""
    t = result.target
    row = next((r for r in result.tasks if r.id == t.task), None)
    if row is None or row.forecast_finish is None:
        return result
    late = max(0, (row.forecast_finish - t.by).days)
    return dataclasses.replace(result, target=TargetResult(t.task, t.by, late == 0, late))


def _schedule(data: ChartData, start, actuals, today, target=None) -> Schedule:
    return schedule(
        data.tasks,
        start=start,
        calendar=data.calendar,
        bundles=data.bundles,
        target=target,
        actuals=actuals or None,
        as_of=planning.forecast_date(actuals, today),  # today's forecast, as the stored plan
    )


def template_data(template: Template, *, region, today: date) -> ChartData:
    """A template scheduled from the next working day, with the region's department names."""
    graph = planning.CatalogGraph.load()
    short = {}
    if region is not None:
        short = dict(region.departments.values_list("kind", "short_name"))
    items = template.items.select_related("matter").order_by("position")
    fake = [
        SimpleNamespace(
            matter_id=i.matter_id,
            matter=i.matter,
            department=SimpleNamespace(
                short_name=short.get(i.matter.department_kind)
                or str(DepartmentKind(i.matter.department_kind).label)
            ),
        )
        for i in items
    ]
    tasks, bundles = planning.tasks_for(SimpleNamespace(template_id=template.id), fake, graph)
    calendar = calendars.current()
    start = calendar.add_workdays(today, 1)
    result = schedule(tasks, start=start, calendar=calendar, bundles=bundles)
    return ChartData(
        title=template.name,
        subtitle=str(template.get_category_display()),
        tasks=tasks,
        bundles=bundles,
        result=result,
        calendar=calendar,
        today=today,
        info=_info({t.id for t in tasks}, set()),
    )


def svg(view: str, data: ChartData) -> str:
    """One of the "3+1" views (or the backward plan) of `data` as an SVG document."""
    common = {"title": data.title, "subtitle": data.subtitle, "labels": labels()}
    if view in ("combined", BACKWARD):
        return draw.render(
            data.tasks, data.result, calendar=data.calendar, today=data.today,
            actuals=data.actuals, **common,
        )  # fmt: skip
    if view == "service":
        return chart_views.service_svg(
            data.tasks, data.result, data.info, stages=stages(), words=view_labels(), **common
        )
    if view == "push":
        return chart_views.push_svg(
            data.tasks, data.result, data.info, calendar=data.calendar, words=view_labels(),
            **common,
        )  # fmt: skip
    bundles = [(b.id, b.name or b.id, b.tasks) for b in data.bundles]
    return coordination.coordination_svg(
        data.tasks, data.result, data.info, calendar=data.calendar, stages=stages(),
        bundles=bundles, today=data.today, words=view_labels(), **common,
    )  # fmt: skip


def bpmn_document(data: ChartData, *, name: str) -> str:
    """The plan of `data` as BPMN 2.0 XML, with words in the user's language."""
    return bpmn.to_bpmn(
        data.tasks, data.result, name=name, labels=bpmn_labels(), bundles=data.bundles
    )


@dataclass(frozen=True)
class BackwardRow:
    """One matter of the 拿地即开工 plan: latest start, and whether it must begin before the deal."""

    id: str
    name: str
    department: str
    duration: str
    early_start: date
    late_start: date
    late_finish: date
    before_land: bool
    critical: bool


def backward_rows(data: ChartData) -> list[BackwardRow]:
    """Matters in latest-start order, for the 拿地即开工 table."""
    rows = [
        BackwardRow(
            t.id,
            t.name,
            t.department,
            _unit_text(t.duration, str(t.unit)),
            t.early_start,
            t.late_start,
            t.late_finish,
            t.late_start < data.land,
            t.critical,
        )  # fmt: skip
        for t in data.result.tasks
    ]
    return sorted(rows, key=lambda r: (r.late_start, r.id))


def verdict(project: Project, *, user, today: date) -> dict | None:
    """The 拿地即开工 verdict for the project page, when a land date is set."""
    if project.land_acquired_on is None:
        return None
    try:
        data = project_data(project, user=user, today=today, land=project.land_acquired_on)
    except ScheduleError:
        return None
    if data is None or data.result.target is None:
        return None
    t = data.result.target
    return {"land": t.by, "feasible": t.feasible, "days_late": t.days_late, "task": t.task}


def land_default(project: Project, today: date) -> date:
    """The land date to show when none is set: three months from today."""
    return project.land_acquired_on or today + timedelta(days=90)
