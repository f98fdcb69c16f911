"""The blockers in the demo's simulated approvals that a 1-2-3 problem ticket arises from.

Three kinds, each read from the rows the approval histories wrote (never drawn at random):

* ``overrun``: an accepted approval still not decided on the `OVERRUN_GRACE`-th working day
  after the day its committed limit ran out (and not paused then). It ends when it is decided.
  The matters of the project's template that wait for its result (their links) and are not
  filed yet belong to other departments: they cooperate.
* ``pause``: a pause (补正 / 专家评审 / 现场勘查 …) still running `LONG_PAUSE` working days after
  it began. It ends when the approval resumes.
* ``gap``: the 容缺 materials of an approval due on one day, not all supplied by then, seen the
  next working day. It ends when the last of them is supplied. The departments of the matter's prerequisites not decided by then
  cooperate (the missing material is usually their result).

A blocker is visible (reported) on a working day from `MECHANISM_START` to the day before today,
and only if it still runs through that day (it ends on a later day, or not by today).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F, Q

from greenlight.accounts.models import Department
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval, MissingMaterial, Pause
from greenlight.catalog.models import Matter
from greenlight.plans import planning

TZ = ZoneInfo("Asia/Shanghai")
# The district's 1-2-3 mechanism for problems came with its task force on approvals
# (history.TASK_FORCE): no ticket arises from a blocker seen before that day.
MECHANISM_START = date(2021, 11, 1)
OVERRUN_GRACE = 3  # working days past the due day after which an owner raises an overrun
LONG_PAUSE = 10  # working days of a pause after which it is raised as a problem
OVERRUN, PAUSE, GAP = "overrun", "pause", "gap"


@dataclass(eq=False)
class Blocker:
    kind: str
    approval: Approval
    day: date  # the working day it becomes visible (is reported)
    end: datetime | None  # when it ended in the data; None while it still runs at today
    source: object  # the row it is read from: the approval, the pause or the missing material
    # the other departments' matters it holds up, as (matter, department)
    others: list[tuple[Matter, Department]] = field(default_factory=list)
    gaps: list[MissingMaterial] = field(default_factory=list)  # a gap's materials due that day

    @property
    def key(self) -> tuple:
        return (self.day, self.approval.pk, self.kind, self.source.pk)


def local_day(moment: datetime) -> date:
    return moment.astimezone(TZ).date()


RELATED = ("project__owner", "project__region", "matter", "department", "handler")


def find(regions, *, cal, today: date) -> list[Blocker]:
    """The blockers of the projects of `regions` seen from `MECHANISM_START` to yesterday, in
    the order they became visible (ties by approval). Each kind is read in two steps: the
    moments of the candidates, then the rows of those that are blockers."""
    found = _overruns(regions, cal, today) + _pauses(regions, cal) + _gaps(regions, cal)
    found = [b for b in found if MECHANISM_START <= b.day < today]
    _involve(found)
    return sorted(found, key=lambda b: b.key)


def _overruns(regions, cal, today: date) -> list[Blocker]:
    now = datetime.combine(today, time.min, tzinfo=TZ)
    start = datetime.combine(MECHANISM_START, time.min, tzinfo=TZ)
    # decided at least `OVERRUN_GRACE` calendar days late (or not yet): a first cut in SQL; a
    # joint case's members run on the case's clock, not their own: left out
    late = F("due_at") + timedelta(days=OVERRUN_GRACE)
    overdue = Approval.objects.filter(
        project__region__in=regions,
        accepted_at__isnull=False,
        due_at__gte=start,
        joint_case__isnull=True,
    ).filter(Q(decided_at__isnull=True, due_at__lt=now) | Q(decided_at__gt=late))
    days = {}
    for pk, due, decided in overdue.values_list("pk", "due_at", "decided_at"):
        day = cal.add_workdays(local_day(due), OVERRUN_GRACE)
        if _after(decided, day):
            days[pk] = day
    found = []
    rows = Approval.objects.filter(pk__in=days).select_related(*RELATED)
    for a in rows.prefetch_related("pauses").order_by("pk"):
        visible = datetime.combine(days[a.pk], time(9), tzinfo=TZ)
        if not any(_running(p.started_at, p.ended_at, visible) for p in a.pauses.all()):
            found.append(Blocker(OVERRUN, a, days[a.pk], a.decided_at, a))
    return found


def _pauses(regions, cal) -> list[Blocker]:
    start = datetime.combine(MECHANISM_START, time.min, tzinfo=TZ)
    long = Pause.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=F("started_at") + timedelta(days=LONG_PAUSE)),
        approval__project__region__in=regions,
        started_at__gte=start,
    )
    days = {}
    for pk, begin, end in long.values_list("pk", "started_at", "ended_at"):
        day = cal.add_workdays(local_day(begin), LONG_PAUSE)
        if _after(end, day):
            days[pk] = day
    rows = Pause.objects.filter(pk__in=days).select_related(*(f"approval__{r}" for r in RELATED))
    return [Blocker(PAUSE, p.approval, days[p.pk], p.ended_at, p) for p in rows.order_by("pk")]


def _gaps(regions, cal) -> list[Blocker]:
    gaps: dict[tuple[int, date], list[MissingMaterial]] = {}
    for g in MissingMaterial.objects.filter(
        approval__project__region__in=regions, due_on__gte=MECHANISM_START
    ).select_related(*(f"approval__{r}" for r in RELATED)):
        gaps.setdefault((g.approval_id, g.due_on), []).append(g)
    found = []
    for (_a, due_on), group in gaps.items():  # the materials due on one day: one problem
        day = cal.add_workdays(due_on, 1)
        supplied = [g.supplied_at for g in group]
        end = None if None in supplied else max(supplied)
        if _after(end, day):
            found.append(Blocker(GAP, group[0].approval, day, end, group[0], gaps=group))
    return found


def _after(end: datetime | None, day: date) -> bool:
    """The blocker still runs through `day` (it ends on a later day, or not by today)."""
    return end is None or local_day(end) > day


def _running(begin: datetime, end: datetime | None, moment: datetime) -> bool:
    return begin <= moment and (end is None or end > moment)


def _involve(blockers: list[Blocker]) -> None:
    """The other departments' matters each blocker holds up: for an overrun, the template's
    successors of the matter not filed by the day; for a gap, the matter's prerequisites not
    decided by then."""
    if not blockers:
        return
    graph = planning.CatalogGraph.load()
    wanted: dict[Blocker, list[int]] = {}
    for b in blockers:
        a = b.approval
        if b.kind == OVERRUN:  # the matters its result lets file
            links = graph.template_links.get(a.project.template_id, {})
            wanted[b] = sorted(s for (p, s) in links if p == a.matter_id)
        elif b.kind == GAP:  # the matters whose results it needs
            wanted[b] = sorted(graph.prerequisites.get(a.matter_id, ()))
    rows: dict[int, dict[int, Approval]] = {}
    fields = ("pk", "project_id", "matter_id", "department_id", "status", "submitted_at")
    for a in Approval.objects.filter(
        project_id__in={b.approval.project_id for b in wanted},
        matter_id__in={m for ids in wanted.values() for m in ids},
    ).only(*fields, "decided_at"):
        rows.setdefault(a.project_id, {})[a.matter_id] = a
    matters = Matter.objects.in_bulk()
    departments = Department.objects.in_bulk()
    for b in blockers:
        a, mine = b.approval, rows.get(b.approval.project_id, {})
        moment = datetime.combine(b.day, time(9), tzinfo=TZ)
        held = _filed if b.kind == OVERRUN else _decided  # what it would take to move on
        involved = [mine[i] for i in wanted.get(b, ()) if i in mine and not held(mine[i], moment)]
        seen = {a.department_id}
        for o in involved:
            if o.department_id not in seen:
                seen.add(o.department_id)
                b.others.append((matters[o.matter_id], departments[o.department_id]))


def _filed(a: Approval, moment: datetime) -> bool:
    return a.submitted_at is not None and a.submitted_at <= moment


def _decided(a: Approval, moment: datetime) -> bool:
    return a.decided_at is not None and a.decided_at <= moment and a.status == Status.APPROVED
