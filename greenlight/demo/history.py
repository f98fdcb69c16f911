"""Plausible approval histories for the demo district, by lifecycle stage, cut at "today"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from greenlight.approvals.choices import PauseReason, Status
from greenlight.approvals.models import Approval
from greenlight.plans import planning
from greenlight.projects.models import Project

from . import data as D

PAUSE_NOTES = {
    PauseReason.SUPPLEMENT: "申请材料不齐，一次性告知补正",
    PauseReason.EXPERT_REVIEW: "组织专家评审，不计入办理时限",
    PauseReason.SITE_INSPECTION: "现场勘查，不计入办理时限",
}

TZ = ZoneInfo("Asia/Shanghai")
# The district's task force on approvals began on this day: before it, a project's matters ran one
# after another (each department waited for the previous one's result); from it on, in parallel as
# the templates allow.
TASK_FORCE = date(2021, 11, 1)
BEFORE_START = {s.value for s in planning.BEFORE_START}
# The five-step joint review (联审联批五步法) of Oct–Dec 2022 in 宝安: a batch issued on each of these
# days lists the projects then waiting on a pre-start matter; opinions are due 5 working days
# after, the meeting is 2 working days after that (reviews.services.opinion_deadline).
FIVE_STEP_BATCHES = (date(2022, 10, 10), date(2022, 11, 7), date(2022, 12, 5))
FIVE_STEP_REGION = "440306"
OPINION_WORKDAYS, MEETING_AFTER = 5, 2


@dataclass
class Sim:
    """The events of one simulated approval, cut at `today`."""

    status: str = Status.NOT_STARTED
    moments: dict[str, datetime] = field(default_factory=dict)
    events: list[tuple[str, str, str, datetime, str]] = field(default_factory=list)
    pauses: list[tuple[str, datetime, datetime | None]] = field(default_factory=list)
    start: date | None = None
    finish: date | None = None
    reason: str = ""
    batch: date | None = None  # the five-step batch that listed it while it was pending


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware local moment on `day`."""
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


class History:
    """The simulation half of the demo builder: needs `rng`, `cal`, `today` and `now`."""

    _listed: set[str] = set()  # the current project's matters a five-step batch may list

    # -- simulation ---------------------------------------------------------------------------

    def simulate(self, p: Project, rows: list[Approval], graph: planning.CatalogGraph) -> list[Sim]:
        """The project's history from its arrival (`p.arrived_on`), cut at today: 谋划, then
        前期 (pre-consultations), then its owner files the pre-start matters as their
        prerequisites allow (in series before the task force, in parallel after); once all are
        approved it starts after a lag, then files the completion matters at the end of the
        works. Its stage is whatever this reached by today."""
        rng, today = self.rng, self.today
        lo, hi = D.PLANNING_DAYS.get(p.category, (30, 180))
        prepared = p.arrived_on + timedelta(days=rng.randint(lo, hi))
        lo, hi = D.PREPARATION_DAYS.get(p.category, (20, 90))
        filing = prepared + timedelta(days=rng.randint(lo, hi))
        p.plan_start = filing
        p.planned_start = filing + timedelta(days=rng.randint(120, 300))
        stage_of = {r.matter.code: r.matter.stage for r in rows}
        sims: dict[str, Sim] = {c: Sim() for c in stage_of}
        before = {c for c, s in stage_of.items() if s in BEFORE_START}
        # the five-step batches list this project's pending pre-start matters (宝安 only)
        self._listed = before if p.region.code == FIVE_STEP_REGION else set()
        p.stage = "planning" if today < prepared else "preparation"
        if not rows or today < prepared:
            return [sims[r.matter.code] for r in rows]
        tasks, _ = planning.tasks_for(p, rows, graph)
        order = self._order(tasks)
        if today < filing:
            self._consult(order, before, sims, since=prepared)
            return [sims[r.matter.code] for r in rows]
        p.stage = "approval"
        done = self._run(order, before, filing, sims)
        last = max((s.finish for c, s in sims.items() if c in before and s.finish), default=None)
        if not (done and last):
            return [sims[r.matter.code] for r in rows]
        start = last + timedelta(days=self._start_lag())
        if start > today:
            return [sims[r.matter.code] for r in rows]
        p.stage, p.actual_start = "construction", start
        p.land_acquired_on = min(filing + timedelta(days=rng.randint(20, 90)), start)
        lo, hi = D.BUILD_DAYS.get(p.category, (300, 900))
        works_done = start + timedelta(days=rng.randint(lo, hi))
        after = set(stage_of) - before
        if works_done <= today and self._run(order, after, works_done, sims):
            ends = [s.finish for c, s in sims.items() if c in after and s.finish]
            completed = max(ends, default=works_done) + timedelta(days=rng.randint(1, 10))
            if completed <= today:
                p.stage, p.completed_on = "completed", completed
        return [sims[r.matter.code] for r in rows]

    def arrival(self, category: str) -> date:
        """The day a project is registered, from 2020 to today: its year, then its month by
        season and category (data.ARRIVALS_BY_*), then a day of that month."""
        rng, today = self.rng, self.today
        years = {y: w for y, w in D.ARRIVALS_BY_YEAR.items() if y <= today.year}
        year = rng.choices(list(years), weights=list(years.values()))[0]
        bias = D.ARRIVALS_BY_CATEGORY.get(category, {})
        months = [m for m in range(1, 13) if date(year, m, 1) <= today]
        weights = [D.ARRIVALS_BY_MONTH[m] * bias.get(m, 1) for m in months]
        month = rng.choices(months, weights=weights)[0]
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        return min(date(year, month, rng.randint(1, last)), today - timedelta(days=1))

    def _start_lag(self) -> int:
        """Calendar days from the last pre-start approval (施工许可) to the actual start: most
        sites open within weeks, some wait for the contractor or the season."""
        r = self.rng.random()
        if r < 0.6:
            return self.rng.randint(1, 20)
        return self.rng.randint(21, 60) if r < 0.9 else self.rng.randint(61, 150)

    def _order(self, tasks):
        from greenlight.engine.schedule import schedule

        result = schedule(tasks, start=self.today, calendar=self.cal)
        rank = {t.id: (t.early_start, i) for i, t in enumerate(result.tasks)}
        return sorted(tasks, key=lambda t: rank[t.id])

    def _consult(self, order, include: set[str], sims: dict[str, Sim], *, since: date) -> None:
        for t in order:
            if t.id in include and not t.after and self.rng.random() < 0.5:
                moment = at(max(since, self.today - timedelta(days=self.rng.randint(1, 25))), 10)
                sims[t.id] = Sim(
                    status=Status.CONSULTING,
                    moments={"consulting": moment},
                    events=[
                        ("consulting_started", Status.NOT_STARTED, Status.CONSULTING, moment, "")
                    ],
                )

    def _run(self, order, include: set[str], start: date, sims: dict[str, Sim]) -> bool:
        """Simulate the tasks in `include` from `start`; True when all were decided by today."""
        all_done = True
        serial_end: date | None = None  # the last result while matters run in series
        blocked = False  # a matter in series is not decided yet: the next ones wait for it
        for t in order:
            if t.id not in include:
                continue
            ready = start
            if start < TASK_FORCE and serial_end is not None:
                ready = max(ready, serial_end + timedelta(days=1))
            for link in t.after:
                pred = sims.get(link.task)
                if link.type == "SS":
                    if pred is None or pred.start is None:
                        ready = None
                        break
                    ready = max(ready, pred.start + timedelta(days=link.lag))
                else:
                    if pred is None or pred.finish is None:
                        ready = None
                        break
                    ready = max(ready, pred.finish + timedelta(days=1 + link.lag))
            serial = ready is not None and ready < TASK_FORCE
            if ready is None or ready > self.today or (serial and blocked):
                all_done = False
                continue
            sims[t.id] = self._one(t, ready)
            if serial:
                serial_end = sims[t.id].finish or serial_end
                blocked = sims[t.id].finish is None
            all_done = all_done and sims[t.id].finish is not None
        return all_done

    def _workday_on_or_after(self, d: date) -> date:
        return d if self.cal.is_workday(d) else self.cal.add_workdays(d, 1)

    def _advance(self, d: date, n: int, unit: str) -> date:
        if unit == "day":
            return self._workday_on_or_after(d + timedelta(days=n))
        return self.cal.add_workdays(d, n)

    def _one(self, t, ready: date) -> Sim:
        rng = self.rng
        r = rng.random()
        idle = (
            rng.randint(0, 3) if r < 0.7 else rng.randint(4, 12) if r < 0.9 else rng.randint(13, 40)
        )
        submit = self._workday_on_or_after(ready + timedelta(days=idle))
        accept = submit if rng.random() < 0.6 else self.cal.add_workdays(submit, 1)
        plan: list[tuple[str, str, str, datetime, str]] = []
        if rng.random() < 0.25:
            plan.append(
                (
                    "consulting_started",
                    Status.NOT_STARTED,
                    Status.CONSULTING,
                    at(submit - timedelta(days=rng.randint(5, 20)), 10),
                    "",
                )
            )
        plan.append(
            (
                "submitted",
                plan[-1][2] if plan else Status.NOT_STARTED,
                Status.SUBMITTED,
                at(submit, 9, rng.randint(0, 59)),
                "",
            )
        )
        if rng.random() < 0.005:  # refused at the counter: the owner files it anew some day
            plan.append(
                (
                    "not_accepted",
                    Status.SUBMITTED,
                    Status.NOT_ACCEPTED,
                    at(accept, 11),
                    "申请材料不齐全，不予受理",
                )
            )
            return self._cut(plan, [], start=None, finish=None)
        plan.append(("accepted", Status.SUBMITTED, Status.ACCEPTED, at(accept, 10, 30), ""))
        # the committed limit in force on the day of acceptance (the register cuts limits)
        limit, unit = self.register.limit_on(t.id, accept, t.duration), str(t.unit)
        s = rng.random()
        if limit == 0:
            days, pauses = 0, []
        elif s < 0.72:
            days, pauses = max(1, round(limit * rng.uniform(0.35, 1.0))), []
        elif s < 0.86:
            days, pauses = limit + rng.randint(1, max(2, limit // 2)), []
        else:
            days = max(1, round(limit * rng.uniform(0.5, 1.0)))
            begin = self._advance(accept, rng.randint(1, max(1, days // 2)), unit)
            end = self._workday_on_or_after(begin + timedelta(days=rng.randint(3, 15)))
            reason = rng.choice(
                [PauseReason.SUPPLEMENT] * 3
                + [PauseReason.EXPERT_REVIEW, PauseReason.SITE_INSPECTION]
            )
            pauses = [(reason, at(begin, 15), at(end, 9))]
            note = PAUSE_NOTES[reason]  # what the handler writes, not the reason's code
            plan.append(("paused", Status.ACCEPTED, Status.PAUSED, at(begin, 15), note))
            plan.append(("resumed", Status.PAUSED, Status.ACCEPTED, at(end, 9), ""))
        decide = self._advance(accept, days, unit)
        if pauses:
            decide = self._workday_on_or_after(decide + (pauses[0][2].date() - pauses[0][1].date()))
        batch = None
        if t.id in self._listed:
            batch, decide, pauses, plan = self._five_step(submit, decide, pauses, plan)
        plan.append(("approved", Status.ACCEPTED, Status.APPROVED, at(decide, 16), ""))
        sim = self._cut(plan, pauses, start=accept, finish=decide)
        sim.batch = batch
        return sim

    def _five_step(self, submit: date, decide: date, pauses: list, plan: list):
        """A pre-start matter pending on a batch's issue day (submitted by then, not decided):
        the batch lists it; its department intervenes early (an opinion within 5 working days)
        and the meeting clears what blocks it, so it is decided some working days after the
        meeting, unless it would have been sooner anyway. A pause still running at the meeting
        ends with it; one not begun by the new decision day does not happen."""
        for day in FIVE_STEP_BATCHES:
            if not submit <= day < decide:
                continue
            meeting = self.cal.add_workdays(day, OPINION_WORKDAYS + MEETING_AFTER)
            sooner = self.cal.add_workdays(meeting, self.rng.randint(1, 12))
            if sooner >= decide:
                return day, decide, pauses, plan
            if pauses:
                reason, begin, end = pauses[0]
                if begin.date() >= sooner:  # not begun by then: it does not happen
                    pauses, plan = [], [e for e in plan if e[0] not in ("paused", "resumed")]
                elif end.date() > meeting:  # the meeting clears it
                    cleared = at(self._workday_on_or_after(max(meeting, begin.date())), 17)
                    pauses = [(reason, begin, cleared)]
                    plan = [
                        (k, f, to, cleared if k == "resumed" else m, n) for k, f, to, m, n in plan
                    ]
                    sooner = max(sooner, self.cal.add_workdays(cleared.date(), 1))
            return day, min(sooner, decide), pauses, plan
        return None, decide, pauses, plan

    def _cut(self, plan, pauses, *, start, finish) -> Sim:
        """Keep what happened by now; the status is the last transition's."""
        sim = Sim()
        for kind, frm, to, moment, note in plan:
            if moment > self.now:
                break
            sim.events.append((kind, frm, to, moment, note))
            sim.status = to
            key = {
                "consulting_started": "consulting",
                "approved": "decided",
                "not_accepted": "decided",
            }.get(kind, kind)
            if key in ("consulting", "submitted", "accepted", "decided"):
                sim.moments[key] = moment
            if kind == "not_accepted":
                sim.reason = note
        sim.pauses = [(r, b, e if e <= self.now else None) for r, b, e in pauses if b <= self.now]
        sim.start = start if "accepted" in sim.moments else None
        sim.finish = finish if sim.status == Status.APPROVED else None
        return sim

    # -- 一口受理 ----------------------------------------------------------------------------

    def joint_sim(self, lead: Sim, *, limit: int, unit: str) -> Sim | None:
        """The shared history of a joint case's members: submitted with the lead matter, one
        acceptance, one decision for all after a handling time drawn around the bundle's
        limit (None when the lead was never submitted or not accepted)."""
        submitted = lead.moments.get("submitted")
        if submitted is None or lead.status == Status.NOT_ACCEPTED:
            return None
        rng = self.joint_rng  # its own draws: the other approvals' histories stay as they were
        day = submitted.date()
        accept = day if rng.random() < 0.6 else self.cal.add_workdays(day, 1)
        days = max(2, round(limit * rng.uniform(0.45, 1.15)))
        decide = self._advance(accept, days, unit)
        plan = [
            ("submitted", Status.NOT_STARTED, Status.SUBMITTED, submitted, ""),
            ("accepted", Status.SUBMITTED, Status.ACCEPTED, at(accept, 10, 30), ""),
            ("approved", Status.ACCEPTED, Status.APPROVED, at(decide, 16), ""),
        ]
        return self._cut(plan, [], start=accept, finish=decide)
