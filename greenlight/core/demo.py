"""The demo district: 宝安区 at the case's scale, deterministic for a given `today`."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from greenlight.accounts.choices import DepartmentKind, OrganizationKind, RegionLevel, Role
from greenlight.accounts.models import Department, Organization, Region, Subdistrict, User
from greenlight.approvals.choices import PauseReason, Status
from greenlight.approvals.models import Approval, ApprovalEvent, Pause
from greenlight.audit import services as audit
from greenlight.catalog import seeding
from greenlight.catalog.models import Template
from greenlight.engine import clocks
from greenlight.engine.calendar import WorkCalendar
from greenlight.projects import planning
from greenlight.projects.codes import make_project_code
from greenlight.projects.models import Project

from . import demo_data as D
from .progress import Progress

TZ = ZoneInfo("Asia/Shanghai")
PASSWORD = "greenlight"
BEFORE_START = {s.value for s in planning.BEFORE_START}


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


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware local moment on `day`."""
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


class Builder:
    """Builds regions, departments, owners, users, projects and approval histories."""

    def __init__(self, *, today: date, projects: int, stdout, seed: int = 440306):
        self.today, self.n, self.out = today, projects, stdout
        self.rng = random.Random(seed)
        self.cal = WorkCalendar.from_package()
        # History runs up to the start of `today`, so that no event lies ahead of the real clock.
        self.now = at(today, 0, 0)

    # -- structure ----------------------------------------------------------------------------

    def regions(self) -> tuple[Region, Region, Region]:
        province, _ = Region.objects.get_or_create(
            code="440000", defaults={"name": "广东省", "level": RegionLevel.PROVINCE}
        )
        city, _ = Region.objects.get_or_create(
            code="440300",
            defaults={"name": "深圳市", "level": RegionLevel.CITY, "parent": province},
        )
        baoan, _ = Region.objects.get_or_create(
            code="440306",
            defaults={"name": "宝安区", "level": RegionLevel.DISTRICT, "parent": city},
        )
        nanshan, _ = Region.objects.get_or_create(
            code="440305",
            defaults={"name": "南山区", "level": RegionLevel.DISTRICT, "parent": city},
        )
        for name in D.SUBDISTRICTS:
            Subdistrict.objects.get_or_create(region=baoan, name=name)
        for name in ["南头", "南山", "粤海", "蛇口", "招商", "西丽", "沙河", "桃源"]:
            Subdistrict.objects.get_or_create(region=nanshan, name=name)
        seeding.seed_departments(baoan)
        seeding.seed_departments(nanshan)
        return province, baoan, nanshan

    def organizations(self, region: Region, count: int) -> list[Organization]:
        rng, orgs = self.rng, []
        names = list(D.COMPANY_STEMS) if region.code == "440306" else []
        while len(names) < count:
            stem = "深圳市" + "".join(rng.sample(D.COMPANY_WORDS, 2))
            name = stem + rng.choice(D.COMPANY_SUFFIXES)
            if name not in names:
                names.append(name)
        for i, name in enumerate(names[:count]):
            credit = f"91{region.code}MA5{i:06d}"[:18].ljust(18, "0")
            org, _ = Organization.objects.get_or_create(
                credit_code=credit, defaults={"name": name, "region": region}
            )
            orgs.append(org)
        if region.code == "440306":
            for i, name in enumerate(D.AGENCIES):
                org, _ = Organization.objects.get_or_create(
                    credit_code=f"11{region.code}MB2{i:07d}",
                    defaults={"name": name, "region": region, "kind": OrganizationKind.AGENCY},
                )
                orgs.append(org)
        return orgs

    def users(self, province: Region, baoan: Region, nanshan: Region, owner: Organization) -> None:
        depts = {d.kind: d for d in Department.objects.filter(region=baoan)}
        specs = [
            ("coordinator", Role.COORDINATOR, baoan, {"last_name": "总指办专班"}),
            ("approver", Role.APPROVER, baoan, {"department": depts[DepartmentKind.HOUSING]}),
            ("company1", Role.COMPANY, baoan, {"organization": owner}),
            ("leader", Role.LEADER, baoan, {"last_name": "常务副区长"}),
            ("supervisor", Role.SUPERVISOR, baoan, {"last_name": "区纪委监委"}),
            ("admin", Role.ADMIN, baoan, {"is_staff": True, "is_superuser": True}),
            ("province", Role.LEADER, province, {"last_name": "省发展改革委"}),
            ("ns_coordinator", Role.COORDINATOR, nanshan, {}),
        ]
        specs += [
            (f"approver_{kind}", Role.APPROVER, baoan, {"department": dept})
            for kind, dept in depts.items()
        ]
        for username, role, region, extra in specs:
            if User.objects.filter(username=username).exists():
                continue
            user = User(username=username, role=role, region=region, **extra)
            user.set_password(PASSWORD)
            user.save()

    # -- projects -----------------------------------------------------------------------------

    def projects(
        self, region: Region, owners: list[Organization], count: int, *, serial0: int
    ) -> list[Project]:
        rng = self.rng
        subs = list(Subdistrict.objects.filter(region=region))
        templates = {t.category: t for t in Template.objects.all()}
        agencies = [o for o in owners if o.kind == OrganizationKind.AGENCY]
        companies = [o for o in owners if o.kind != OrganizationKind.AGENCY]
        rows = []
        majors = D.MAJOR_PROJECTS if region.code == "440306" else []
        for i in range(count):
            if i < len(majors):
                name, sub_name, category, industry, invest = majors[i]
                sub = next(s for s in subs if s.name == sub_name)
                owner, stage = companies[0] if i != 1 else companies[1], "approval"
            else:
                category = _weighted(rng, D.CATEGORY_WEIGHTS)
                industry, kind = rng.choice(D.PROJECT_KINDS[category])
                sub = rng.choice(subs)
                name = f"{sub.name}{kind}" if rng.random() < 0.5 else f"{sub.name}片区{kind}"
                name = f"{name}（{i % 7 + 1}期）" if rng.random() < 0.35 else name
                lo, hi = D.INVESTMENT_RANGE[category]
                invest = rng.randint(lo, hi)
                stage = _weighted(rng, D.STAGE_WEIGHTS)
                pool = (
                    agencies if category in ("gov_building", "linear") and agencies else companies
                )
                owner = pool[0] if i % 9 == 0 and pool is companies else rng.choice(pool)
            year = self.today.year - rng.randint(0, 3)
            rows.append(
                Project(
                    code=make_project_code(
                        year=year,
                        month=rng.randint(1, 12),
                        region_code=region.code,
                        sector=D.SECTOR[category],
                        kind=1 if owner.kind == "agency" else 3,
                        serial=serial0 + i,
                    ),
                    name=name,
                    owner=owner,
                    region=region,
                    subdistrict=sub,
                    category=category,
                    industry=industry,
                    template=templates.get(category),
                    total_investment=Decimal(invest),
                    stage=stage,
                    land_area=Decimal(rng.randint(2000, 120000)) if category != "linear" else None,
                    is_major=i < len(majors) or (invest > 150000 and rng.random() < 0.2),
                )
            )
        return Project.objects.bulk_create(rows, batch_size=500)

    # -- approvals ----------------------------------------------------------------------------

    def approvals_for(
        self, projects: list[Project], graph: planning.CatalogGraph, progress: Progress
    ) -> None:
        depts = {(d.region_id, d.kind): d for d in Department.objects.all()}
        items: dict[int, list] = {}
        for t in Template.objects.prefetch_related("items__matter"):
            items[t.id] = [it.matter for it in t.items.all()]
        handlers = {u.department_id: u for u in User.objects.filter(role=Role.APPROVER)}
        for chunk in _chunks(projects, 100):
            approvals, sims = [], []
            for p in chunk:
                matters = items.get(p.template_id, [])
                rows = [
                    Approval(
                        project=p, matter=m, department=depts[(p.region_id, m.department_kind)]
                    )
                    for m in matters
                ]
                for sim, row in zip(self.simulate(p, rows, graph), rows, strict=True):
                    row.status, row.reason = sim.status, sim.reason
                    row.consulting_at = sim.moments.get("consulting")
                    row.submitted_at = sim.moments.get("submitted")
                    row.accepted_at = sim.moments.get("accepted")
                    row.decided_at = sim.moments.get("decided")
                    row.handler = handlers.get(row.department_id) if row.accepted_at else None
                    if row.accepted_at:
                        # An open pause keeps the due time it had when the clock stopped.
                        row.due_at = clocks.due(
                            row.accepted_at,
                            row.matter.committed_limit,
                            row.matter.committed_unit,
                            calendar=self.cal,
                            pauses=[(b, e) for _, b, e in sim.pauses if e is not None],
                        )
                    approvals.append(row)
                    sims.append(sim)
                progress.advance()
            Approval.objects.bulk_create(approvals, batch_size=1000)
            self._events(approvals, sims)
            Project.objects.bulk_update(
                chunk,
                ["plan_start", "actual_start", "completed_on", "planned_start", "land_acquired_on"],
            )

    def _events(self, approvals: list[Approval], sims: list[Sim]) -> None:
        events, pauses = [], []
        for row, sim in zip(approvals, sims, strict=True):
            for kind, frm, to, moment, note in sim.events:
                events.append(
                    ApprovalEvent(
                        approval=row,
                        kind=kind,
                        from_status=frm,
                        to_status=to,
                        at=moment,
                        actor=row.handler
                        if kind.startswith(("accept", "paus", "resum", "decid", "approv"))
                        else None,
                        note=note,
                    )
                )
            for reason, begin, end in sim.pauses:
                pauses.append(Pause(approval=row, reason=reason, started_at=begin, ended_at=end))
        ApprovalEvent.objects.bulk_create(events, batch_size=2000)
        Pause.objects.bulk_create(pauses, batch_size=2000)

    # -- simulation ---------------------------------------------------------------------------

    def simulate(self, p: Project, rows: list[Approval], graph: planning.CatalogGraph) -> list[Sim]:
        """Plausible histories for a project's approvals, by its lifecycle stage, cut at today."""
        if not rows:
            return []
        rng, today = self.rng, self.today
        tasks, _ = planning.tasks_for(p, rows, graph)
        stage_of = {r.matter.code: r.matter.stage for r in rows}
        before = {c for c, s in stage_of.items() if s in BEFORE_START}
        after = set(stage_of) - before
        order = self._order(tasks)
        sims: dict[str, Sim] = {c: Sim() for c in stage_of}
        if p.stage in ("planning", "preparation"):
            p.plan_start = today + timedelta(
                days=rng.randint(30, 180) if p.stage == "planning" else rng.randint(3, 45)
            )
            if p.stage == "preparation":
                self._consult(order, before, sims)
        else:
            back = {"approval": (15, 260), "construction": (260, 900), "completed": (800, 1500)}[
                p.stage
            ]
            start = today - timedelta(days=rng.randint(*back))
            for _ in range(5):
                sims = {c: Sim() for c in stage_of}
                done = self._run(order, before, start, sims)
                last = max(
                    (s.finish for c, s in sims.items() if c in before and s.finish), default=None
                )
                if p.stage == "approval" or (done and last and last < today - timedelta(days=40)):
                    break
                start -= timedelta(days=120)
            p.plan_start = start
            if p.stage in ("construction", "completed") and last:
                p.actual_start = last + timedelta(days=rng.randint(1, 25))
                p.land_acquired_on = start + timedelta(days=rng.randint(20, 90))
            if p.stage == "completed" and p.actual_start:
                s2 = min(
                    p.actual_start + timedelta(days=rng.randint(250, 500)),
                    today - timedelta(days=120),
                )
                self._run(order, after, max(s2, p.actual_start + timedelta(days=30)), sims)
                ends = [s.finish for c, s in sims.items() if c in after and s.finish]
                p.completed_on = max(ends) + timedelta(days=rng.randint(1, 10)) if ends else None
        p.planned_start = (p.plan_start or today) + timedelta(days=rng.randint(120, 300))
        return [sims[r.matter.code] for r in rows]

    def _order(self, tasks):
        from greenlight.engine.schedule import schedule

        result = schedule(tasks, start=self.today, calendar=self.cal)
        rank = {t.id: (t.early_start, i) for i, t in enumerate(result.tasks)}
        return sorted(tasks, key=lambda t: rank[t.id])

    def _consult(self, order, include: set[str], sims: dict[str, Sim]) -> None:
        for t in order:
            if t.id in include and not t.after and self.rng.random() < 0.5:
                moment = at(self.today - timedelta(days=self.rng.randint(1, 25)), 10)
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
        for t in order:
            if t.id not in include:
                continue
            ready = start
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
            if ready is None or ready > self.today:
                all_done = False
                continue
            sims[t.id] = self._one(t, ready)
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
        if rng.random() < 0.02:
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
        limit, unit = t.duration, str(t.unit)
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
            plan.append(("paused", Status.ACCEPTED, Status.PAUSED, at(begin, 15), reason))
            plan.append(("resumed", Status.PAUSED, Status.ACCEPTED, at(end, 9), ""))
        decide = self._advance(accept, days, unit)
        if pauses:
            decide = self._workday_on_or_after(decide + (pauses[0][2].date() - pauses[0][1].date()))
        plan.append(("approved", Status.ACCEPTED, Status.APPROVED, at(decide, 16), ""))
        return self._cut(plan, pauses, start=accept, finish=decide)

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


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def build(*, today: date, projects: int = 850, stdout=None) -> dict:
    """Create the demo district in one transaction; returns counts."""
    with transaction.atomic():
        b = Builder(today=today, projects=projects, stdout=stdout)
        seeding.load_catalog()
        try:
            from greenlight.catalog import calendars

            calendars.seed_from_package()
        except (ImportError, AttributeError):
            pass
        province, baoan, nanshan = b.regions()
        owners = b.organizations(baoan, 240)
        ns_owners = b.organizations(nanshan, 12)
        b.users(province, baoan, nanshan, owners[0])
        ns_count = max(projects // 28, 3)
        rows = b.projects(baoan, owners, projects, serial0=10000)
        rows += b.projects(nanshan, ns_owners, ns_count, serial0=50000)
        graph = planning.CatalogGraph.load()
        progress = Progress("approvals", len(rows), stream=stdout)
        b.approvals_for(rows, graph, progress)
        progress.finish()
        planning.replan_many(
            Project.objects.filter(pk__in=[r.pk for r in rows]),
            graph=graph,
            calendar=b.cal,
            today=today,
            progress=Progress("plans", len(rows), stream=stdout),
        )
        _build_app_demos(today=today, stdout=stdout)
        counts = {
            "projects": Project.objects.count(),
            "approvals": Approval.objects.count(),
            "events": ApprovalEvent.objects.count(),
            "users": User.objects.count(),
        }
        audit.record(baoan, "demo_loaded", changes=counts)
    return counts


APP_DEMOS = ("pipeline", "reforms", "reviews", "tickets", "analytics")


def _build_app_demos(*, today: date, stdout) -> None:
    """Each app's own demo data (targets, register, joint reviews, tickets, monthly reports),
    built after the projects and approvals they refer to."""
    from importlib import import_module

    for app in APP_DEMOS:
        import_module(f"greenlight.{app}.demo").build(today=today, stdout=stdout)
