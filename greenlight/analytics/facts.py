"""Per-case facts of decided approvals (办件) and their aggregation: the bottleneck arithmetic.

Definitions (pinned by hand-computed tests in `tests/test_facts.py`):

* **Handling time** of a case: from acceptance to decision, paused spans excluded, counted like
  the SLA clock (`engine.clocks.due`): the eligible days after the acceptance day up to and
  including the decision day, minus, for each pause, the eligible days after its first day up to
  and including its last day (clipped at the decision day). Eligible days are working days when
  the limit is in working days and every day when it is in calendar days; the time is measured in
  the unit of the committed limit (and again in the statutory limit's unit to compare with it).
* **Overdue**: handling time above the committed limit. **Overrun**: the days above it.
* **Supplement (补正) loops**: pauses with reason `supplement`; the rate is the share of cases with
  at least one, the loops the mean number among those cases.
* **Idle time**: from "all prerequisites done" (the latest decision of the case's prerequisites in
  the project's plan graph: the catalog's prerequisites and the template's links, as
  `projects.planning.tasks_for` builds them) to "submitted", in the committed limit's unit,
  counted after the prerequisites' day up to and including the submission day, never below 0.
  Undefined (left out) when the case has no prerequisite or one of them is not approved, and
  for completion-stage (竣工验收) matters, whose wait after the construction permit is the
  construction itself.
* **Delay** of a case: overrun + idle time, the days the case lost against its plan.
* **Critical-path attribution**: a case counts when its approval is on the project's critical path
  (`Approval.critical`, set by the engine); the days it adds are its delay (on the critical path
  each day of delay moves the project's finish by a day, since its float is 0).

Percentiles interpolate linearly (PostgreSQL's `percentile_cont`), so both databases agree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from greenlight.approvals.choices import PauseReason, Status
from greenlight.approvals.models import Approval, Pause
from greenlight.catalog import calendars
from greenlight.catalog.choices import Stage, Unit
from greenlight.plans import planning

COMPLETION = Stage.COMPLETION.value
DECIDED = (Status.APPROVED, Status.REJECTED)
GROUPS = ("matter", "department", "stage", "department_month")
CASE_FIELDS = (
    "id",
    "project_id",
    "project__template_id",
    "matter_id",
    "department_id",
    "matter__stage",
    "matter__committed_unit",
    "matter__committed_limit",
    "matter__statutory_limit",
    "matter__statutory_unit",
    "critical",
    "acc",
    "dec",
    "sub",
    "mon",
)


@dataclass(frozen=True)
class Period:
    """Decisions from `start` (included) to `end` (excluded), local days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def bounds(self):
        """Aware datetimes of the two ends, in the platform's time zone."""
        tz = timezone.get_current_timezone()
        return (
            timezone.make_aware(_midnight(self.start), tz),
            timezone.make_aware(_midnight(self.end), tz),
        )


def _midnight(d: date):
    from datetime import datetime, time

    return datetime.combine(d, time.min)


class DayCounter:
    """Cumulative working days over a span of dates: eligible days in (a, b] in O(1)."""

    _cache: dict = {}

    def __init__(self, calendar, lo: date, hi: date):
        self.lo, self.hi = lo, hi
        cum, n = [], 0
        for i in range((hi - lo).days + 1):
            n += calendar.is_workday(lo + timedelta(days=i))
            cum.append(n)
        self.cum = cum

    @classmethod
    def for_span(cls, calendar, lo: date, hi: date) -> DayCounter:
        key = (id(calendar), lo, hi)
        if key not in cls._cache:
            cls._cache.clear()
            cls._cache[key] = cls(calendar, lo, hi)
        return cls._cache[key]

    def workdays(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b` (negative when b < a)."""
        return self.cum[(b - self.lo).days] - self.cum[(a - self.lo).days]

    def count(self, a: date, b: date, unit: str) -> int:
        """Eligible days in (a, b] in `unit`."""
        return self.workdays(a, b) if unit == Unit.WORKDAY else (b - a).days

    def arrays(self) -> tuple[list[date], list[int]]:
        """(dates, cumulative counts), for a SQL join."""
        return [self.lo + timedelta(days=i) for i in range(len(self.cum))], self.cum


def counter_for(period: Period) -> DayCounter:
    """A day counter wide enough for the cases of `period` and their prerequisites."""
    lo = date(min(period.start.year - 6, 2015), 1, 1)
    return DayCounter.for_span(calendars.current(), lo, date(period.end.year + 1, 12, 31))


def cases(*, user, period: Period, matter=None, department=None, stage=None, ids=None):
    """The decided cases of `period` that `user` may see, with what the facts need annotated."""
    start, end = period.bounds()
    qs = Approval.objects.visible_to(user).filter(
        status__in=DECIDED,
        accepted_at__isnull=False,
        decided_at__gte=start,
        decided_at__lt=end,
    )
    if matter:
        qs = qs.filter(matter_id=matter)
    if department:
        qs = qs.filter(department_id=department)
    if stage:
        qs = qs.filter(matter__stage=stage)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return annotated(qs)


def annotated(qs):
    """Approvals with the local days the facts need (acceptance, decision, submission, month)."""
    tz = timezone.get_current_timezone()
    return qs.annotate(
        acc=TruncDate("accepted_at", tzinfo=tz),
        dec=TruncDate("decided_at", tzinfo=tz),
        sub=TruncDate("submitted_at", tzinfo=tz),
        mon=TruncMonth("decided_at", tzinfo=tz),
    ).order_by()


# -- the Python path (SQLite, drill-down lists) --------------------------------------------------


@dataclass
class Fact:
    """One decided case with its figures (units: the committed limit's)."""

    id: int
    project_id: int
    matter_id: int
    department_id: int
    stage: str
    month: date
    unit: str
    committed_limit: int
    statutory_limit: int
    handling: int
    handling_statutory: int
    supplements: int
    idle: int | None
    critical: bool

    @property
    def overrun(self) -> int:
        return max(0, self.handling - self.committed_limit)

    @property
    def delay(self) -> int:
        return self.overrun + (self.idle or 0)


def _local_day(moment) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _as_date(value) -> date | None:
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def prerequisites_of(graph, template_id, matter_id, present: Iterable[int]) -> set[int]:
    """The matters a case waits for, as `planning.tasks_for` links them."""
    present = set(present)
    preds = {p for p in graph.prerequisites.get(matter_id, ()) if p in present}
    for pred, succ in graph.template_links.get(template_id, {}):
        if succ == matter_id and pred in present:
            preds.add(pred)
    return preds


def facts(qs, *, period: Period, graph=None) -> list[Fact]:
    """Per-case facts of an annotated `cases()` queryset (three queries plus the graph's)."""
    rows = list(qs.values_list(*CASE_FIELDS))
    if not rows:
        return []
    counter = counter_for(period)
    ids = [r[0] for r in rows]
    pauses: dict[int, list] = defaultdict(list)
    for chunk in _chunks(ids, 5000):
        for aid, reason, begin, end in Pause.objects.filter(approval_id__in=chunk).values_list(
            "approval_id", "reason", "started_at", "ended_at"
        ):
            pauses[aid].append((reason, _local_day(begin), _local_day(end)))
    graph = graph or planning.CatalogGraph.load()
    siblings: dict[int, dict[int, tuple]] = defaultdict(dict)
    project_ids = sorted({r[1] for r in rows})
    for chunk in _chunks(project_ids, 5000):
        for pid, mid, status, decided in Approval.objects.filter(project_id__in=chunk).values_list(
            "project_id", "matter_id", "status", "decided_at"
        ):
            siblings[pid][mid] = (status, decided)
    return [_fact(r, pauses.get(r[0], ()), siblings[r[1]], graph, counter) for r in rows]


def _fact(r, pauses, siblings, graph, counter: DayCounter) -> Fact:
    aid, pid, tid, mid, did, stage, unit, climit, slimit, sunit, critical = r[:11]
    acc, dec, sub, mon = (_as_date(v) for v in r[11:15])
    lost = {Unit.WORKDAY: 0, Unit.DAY: 0}
    supplements = 0
    for reason, begin, end in pauses:
        supplements += reason == PauseReason.SUPPLEMENT
        last = min(end or dec, dec)
        if begin < last:
            for u in lost:
                lost[u] += counter.count(begin, last, u)
    handling = {u: max(0, counter.count(acc, dec, u) - lost[u]) for u in lost}
    idle = None
    preds = prerequisites_of(graph, tid, mid, siblings)
    # A completion-stage case waits for the building itself, not for anyone: no idle time.
    if (
        stage != COMPLETION
        and preds
        and sub
        and all(siblings[p][0] == Status.APPROVED for p in preds)
    ):
        done = max(_local_day(siblings[p][1]) for p in preds)
        idle = max(0, counter.count(done, sub, unit))
    return Fact(
        id=aid,
        project_id=pid,
        matter_id=mid,
        department_id=did,
        stage=stage,
        month=mon,
        unit=unit,
        committed_limit=climit,
        statutory_limit=slimit,
        handling=handling[unit],
        handling_statutory=handling[sunit],
        supplements=supplements,
        idle=idle,
        critical=critical,
    )


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def percentile(values: list[float], p: float) -> float | None:
    """Linear-interpolated percentile of `values` (PostgreSQL's percentile_cont)."""
    if not values:
        return None
    s = sorted(values)
    pos = p * (len(s) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return float(s[lo] + (s[hi] - s[lo]) * (pos - lo))


def group_key(fact: Fact, by: str):
    """The group a fact belongs to."""
    if by == "matter":
        return fact.matter_id
    if by == "department":
        return fact.department_id
    if by == "stage":
        return fact.stage
    return (fact.department_id, fact.month)


@dataclass
class _Acc:
    handling: list = field(default_factory=list)
    ratios: list = field(default_factory=list)
    idle: list = field(default_factory=list)
    over: int = 0
    over_statutory: int = 0
    supplemented: int = 0
    loops: int = 0
    critical: int = 0
    critical_days: int = 0
    delay: int = 0


def aggregate(items: Iterable[Fact], *, by: str) -> dict:
    """Figures per group, the same dict shape as the SQL path's."""
    accs: dict = defaultdict(_Acc)
    for f in items:
        a = accs[group_key(f, by)]
        a.handling.append(f.handling)
        if f.committed_limit:
            a.ratios.append(f.handling / f.committed_limit)
        a.over += f.handling > f.committed_limit
        a.over_statutory += f.handling_statutory > f.statutory_limit
        a.supplemented += f.supplements > 0
        a.loops += f.supplements
        if f.idle is not None:
            a.idle.append(f.idle)
        a.delay += f.delay
        if f.critical:
            a.critical += 1
            a.critical_days += f.delay
    return {k: _row(a) for k, a in accs.items()}


def _row(a: _Acc) -> dict:
    return figures(
        n=len(a.handling),
        median=percentile(a.handling, 0.5),
        p90=percentile(a.handling, 0.9),
        ratio=sum(a.ratios) / len(a.ratios) if a.ratios else None,
        over=a.over,
        over_statutory=a.over_statutory,
        supplemented=a.supplemented,
        loops=a.loops,
        idle_n=len(a.idle),
        idle_median=percentile(a.idle, 0.5),
        idle_total=sum(a.idle),
        critical=a.critical,
        critical_days=a.critical_days,
        delay=a.delay,
    )


def figures(**v) -> dict:
    """Rates derived from the raw sums, shared by both paths."""
    n = v["n"]
    v["overdue_rate"] = v["over"] / n if n else None
    v["on_time_rate"] = 1 - v["over"] / n if n else None
    v["supplement_rate"] = v["supplemented"] / n if n else None
    v["avg_loops"] = v["loops"] / v["supplemented"] if v["supplemented"] else None
    v["critical_share"] = v["critical"] / n if n else None
    return v


def stats(*, user, period: Period, by: str, **filters) -> dict:
    """Figures per group of the decided cases of `period` visible to `user`, read from the fact
    table (`casefacts`; cases without facts yet are computed and stored first)."""
    if by not in GROUPS:
        raise ValueError(by)
    from . import casefacts

    return casefacts.stats(user=user, period=period, by=by, **filters)


def live_stats(*, user, period: Period, by: str, **filters) -> dict:
    """`stats` computed from the approvals themselves, without the fact table.

    PostgreSQL computes them in one SQL statement; other databases in Python (same results)."""
    if by not in GROUPS:
        raise ValueError(by)
    qs = cases(user=user, period=period, **filters)
    if connection.vendor == "postgresql":
        from . import facts_pg

        return facts_pg.stats(qs, period=period, by=by)
    return aggregate(facts(qs, period=period), by=by)
