"""The bottleneck rules: what every figure of a decided case (办件) and of a group of cases is.

Defined here once. `casefacts` loads each decided case and stores the result of `case_fact` as
a `CaseFact` row; the readers (`bottlenecks`, `scorecards`) aggregate the stored rows with
`group_figures` and `rates`. Pinned by hand-computed tests in `tests/test_facts.py`, and checked
against an independent SQL statement on PostgreSQL (`bench/analytics_oracle.py`).

Per case (`case_fact`, in the committed limit's unit unless said otherwise):

* **Handling time**: from acceptance to decision, paused spans excluded, counted like the SLA
  clock (`approvals.clocks`): the eligible days after the acceptance day up to and including the
  decision day, minus, for each pause, the eligible days after its first day up to and including
  its last day (clipped at the decision day), never below 0. Eligible days are working days when
  the limit is in working days and every day when it is in calendar days; measured again in the
  statutory limit's unit to compare with that limit.
* **Overdue**: handling time above the committed limit (**over the statutory limit**: the
  statutory handling time above it). **Overrun**: the days above the committed limit.
* **Supplement (补正) loops**: the case's pauses with reason `supplement`.
* **Idle time**: from "all prerequisites done" (the latest decision of the case's prerequisites in
  the project's plan graph: the catalog's prerequisites and the template's links, as
  `plans.planning.tasks_for` builds them) to "submitted", counted after the prerequisites' day up
  to and including the submission day, never below 0. Undefined (None) when the case has no
  prerequisite or one of them is not approved, or was not submitted, and for completion-stage
  (竣工验收) matters, whose wait after the construction permit is the construction itself.
* **Delay**: overrun + idle time, the days the case lost against its plan.
* **Critical**: the approval is on the project's critical path (`Approval.critical`, set by the
  planner); on it each day of delay moves the project's finish by a day (its float is 0).

Per group of cases (`group_figures`, aggregates the database computes over the stored facts):
the number of cases; median and 90th percentile of the handling time; the mean ratio of
handling time to committed limit (cases with a limit); cases overdue, over the statutory limit,
with at least one supplement loop; the loops in all; idle time: cases with one, its median and
total; critical cases and **critical days** (the delay of the critical cases); the delay in all.
`rates` derives overdue, on-time, supplement and critical shares and the mean loops of the
supplemented cases. Percentiles interpolate linearly (PostgreSQL's `percentile_cont`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db.models import Avg, Count, FloatField, Q, Sum, Value
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from greenlight.approvals.choices import PauseReason, Status
from greenlight.catalog import calendars
from greenlight.catalog.choices import Stage, Unit

from .aggregates import PercentileCont

COMPLETION = Stage.COMPLETION.value
DECIDED = (Status.APPROVED, Status.REJECTED)
# the fact columns each grouping groups by
GROUP_KEYS = {
    "matter": ("matter_id",),
    "department": ("department_id",),
    "stage": ("stage",),
    "department_month": ("department_id", "month"),
}
GROUPS = tuple(GROUP_KEYS)


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
            timezone.make_aware(datetime.combine(self.start, time.min), tz),
            timezone.make_aware(datetime.combine(self.end, time.min), tz),
        )


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
        """(dates, cumulative counts), for a SQL lookup."""
        return [self.lo + timedelta(days=i) for i in range(len(self.cum))], self.cum


def counter_for(period: Period) -> DayCounter:
    """A day counter wide enough for the cases of `period` and their prerequisites."""
    lo = date(min(period.start.year - 6, 2015), 1, 1)
    return DayCounter.for_span(calendars.current(), lo, date(period.end.year + 1, 12, 31))


class Case(NamedTuple):
    """What the rules read of one decided approval (days are local dates)."""

    id: int
    project_id: int
    template_id: int | None
    matter_id: int
    department_id: int
    stage: str
    unit: str  # the committed limit's
    committed_limit: int
    statutory_limit: int
    statutory_unit: str
    critical: bool
    accepted: date
    decided: date
    submitted: date | None
    month: date  # first day of the decision's month


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
    def overdue(self) -> bool:
        return self.handling > self.committed_limit

    @property
    def overdue_statutory(self) -> bool:
        return self.handling_statutory > self.statutory_limit

    @property
    def overrun(self) -> int:
        return max(0, self.handling - self.committed_limit)

    @property
    def delay(self) -> int:
        return self.overrun + (self.idle or 0)


def local_day(moment: datetime | None) -> date | None:
    """The local date of an aware datetime."""
    return timezone.localtime(moment).date() if moment else None


def prerequisites_of(graph, template_id, matter_id, present: Iterable[int]) -> set[int]:
    """The matters a case waits for, as `planning.tasks_for` links them."""
    present = set(present)
    preds = {p for p in graph.prerequisites.get(matter_id, ()) if p in present}
    for pred, succ in graph.template_links.get(template_id, {}):
        if succ == matter_id and pred in present:
            preds.add(pred)
    return preds


def case_fact(case: Case, pauses, siblings: dict, graph, counter: DayCounter) -> Fact:
    """The figures of one case. `pauses`: (reason, first day, last day or None) of its pauses;
    `siblings`: matter -> (status, decided_at) of every approval of its project; `graph`: the
    catalog's plan graph (`planning.CatalogGraph`)."""
    c = case
    lost = {Unit.WORKDAY: 0, Unit.DAY: 0}
    supplements = 0
    for reason, begin, end in pauses:
        supplements += reason == PauseReason.SUPPLEMENT
        last = min(end or c.decided, c.decided)
        if begin < last:
            for u in lost:
                lost[u] += counter.count(begin, last, u)
    handling = {u: max(0, counter.count(c.accepted, c.decided, u) - lost[u]) for u in lost}
    return Fact(
        id=c.id,
        project_id=c.project_id,
        matter_id=c.matter_id,
        department_id=c.department_id,
        stage=c.stage,
        month=c.month,
        unit=c.unit,
        committed_limit=c.committed_limit,
        statutory_limit=c.statutory_limit,
        handling=handling[c.unit],
        handling_statutory=handling[c.statutory_unit],
        supplements=supplements,
        idle=idle_days(c, siblings, graph, counter),
        critical=c.critical,
    )


def idle_days(case: Case, siblings: dict, graph, counter: DayCounter) -> int | None:
    """Days from all prerequisites done to submitted, or None (see the module's rules)."""
    # A completion-stage case waits for the building itself, not for anyone: no idle time.
    if case.stage == COMPLETION or not case.submitted:
        return None
    preds = prerequisites_of(graph, case.template_id, case.matter_id, siblings)
    if not preds or any(siblings[p][0] != Status.APPROVED for p in preds):
        return None
    done = max(local_day(siblings[p][1]) for p in preds)
    return max(0, counter.count(done, case.submitted, case.unit))


def group_figures() -> dict:
    """The group figures as ORM aggregates over `CaseFact` rows (names: see `FIGURES`)."""
    ratio = Cast("handling", FloatField()) / NullIf("committed_limit", Value(0))
    return {
        "n": Count("pk"),
        "median": PercentileCont("handling", 0.5),
        "p90": PercentileCont("handling", 0.9),
        "ratio": Avg(ratio, output_field=FloatField()),
        "over": Count("pk", filter=Q(overdue=True)),
        "over_statutory": Count("pk", filter=Q(overdue_statutory=True)),
        "supplemented": Count("pk", filter=Q(supplements__gt=0)),
        "loops": Sum("supplements", default=0),
        "idle_n": Count("idle"),
        "idle_median": PercentileCont("idle", 0.5),
        "idle_total": Sum("idle", default=0),
        "critical": Count("pk", filter=Q(critical=True)),
        "critical_days": Sum("delay", filter=Q(critical=True), default=0),
        "delay": Sum("delay", default=0),
    }


FIGURES = tuple(group_figures())


def rates(**v) -> dict:
    """The group figures with the shares derived from them."""
    n = v["n"]
    v["overdue_rate"] = v["over"] / n if n else None
    v["on_time_rate"] = 1 - v["over"] / n if n else None
    v["supplement_rate"] = v["supplemented"] / n if n else None
    v["avg_loops"] = v["loops"] / v["supplemented"] if v["supplemented"] else None
    v["critical_share"] = v["critical"] / n if n else None
    return v
