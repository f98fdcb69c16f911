"""The demo district: 宝安区 at the case's scale, deterministic for a given `today`."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.contrib.auth.hashers import make_password
from django.db import transaction

from greenlight.accounts import bulk as accounts
from greenlight.accounts.choices import DepartmentKind, OrganizationKind, RegionLevel
from greenlight.accounts.models import Department, Organization, Region, Subdistrict, User
from greenlight.approvals import bulk as approval_bulk
from greenlight.approvals.models import Approval, ApprovalEvent, JointCase, Pause
from greenlight.audit import services as audit
from greenlight.catalog import calendars, seeding
from greenlight.catalog.models import Bundle, Template
from greenlight.engine import clocks
from greenlight.engine.calendar import WorkCalendar
from greenlight.kernel.progress import Progress
from greenlight.kernel.roles import Role
from greenlight.plans import planning
from greenlight.projects import bulk as project_bulk
from greenlight.projects.codes import make_project_code
from greenlight.projects.models import Project

from . import analytics, pipeline, plans, reforms, results, reviews, supervision, tickets
from . import data as D
from .history import TZ, History, Sim, at

# 战略性新兴产业: the industries whose projects the case handles by 一口受理 (环评 + 排污许可)
STRATEGIC = frozenset({"manufacturing", "electronics", "new_energy", "biomedicine"})

SEED = 440306  # the default seed: the district's code

# Whose money builds a project, by its owner's kind.
FUNDING = {
    OrganizationKind.AGENCY: "fiscal",
    OrganizationKind.STATE_OWNED: "state_owned",
    OrganizationKind.COMPANY: "social",
}

# The demo's documented password: it meets the password policy (accounts/passwords.py).
PASSWORD = "Greenlight@2026"
DEMO_DEVICE = "demo"


class Builder(History):
    """Builds regions, departments, owners, users, projects and approval histories."""

    def __init__(self, *, today: date, projects: int, stdout, seed: int = SEED):
        self.today, self.n, self.out, self.seed = today, projects, stdout, seed
        self.rng = random.Random(seed)
        self.batched: dict[date, list[Project]] = {}  # five-step batch day -> projects listed
        self.register = reforms.LimitPlan()  # drawn once the catalog is loaded
        self.cal = WorkCalendar.from_package()
        # History runs up to the start of `today`, so that no event lies ahead of the real clock.
        self.now = at(today, 0, 0)

    # -- structure ----------------------------------------------------------------------------

    def regions(self) -> tuple[Region, Region, Region]:
        province = accounts.ensure_region(code="440000", name="广东省", level=RegionLevel.PROVINCE)
        city = accounts.ensure_region(
            code="440300", name="深圳市", level=RegionLevel.CITY, parent=province
        )
        baoan = accounts.ensure_region(
            code="440306", name="宝安区", level=RegionLevel.DISTRICT, parent=city
        )
        nanshan = accounts.ensure_region(
            code="440305", name="南山区", level=RegionLevel.DISTRICT, parent=city
        )
        accounts.ensure_subdistricts(baoan, D.SUBDISTRICTS)
        accounts.ensure_subdistricts(
            nanshan, ["南头", "南山", "粤海", "蛇口", "招商", "西丽", "沙河", "桃源"]
        )
        seeding.seed_departments(baoan)
        seeding.seed_departments(nanshan)
        return province, baoan, nanshan

    def organizations(self, region: Region, count: int) -> list[Organization]:
        """The region's companies (the named ones first), its bureaus that own projects and its
        state-owned companies; a bureau or state-owned company of 南山区 is named as such."""
        rng = self.rng
        names = list(D.COMPANY_STEMS) if region.code == "440306" else []
        while len(names) < count:
            stem = "深圳市" + "".join(rng.sample(D.COMPANY_WORDS, 2))
            name = stem + rng.choice(D.COMPANY_SUFFIXES)
            if name not in names:
                names.append(name)
        rows = [
            (f"91{region.code}MA5{i:06d}"[:18].ljust(18, "0"), name, OrganizationKind.COMPANY)
            for i, name in enumerate(names[:count])
        ]
        short = region.name[:2]
        for prefix, kind, names in (
            ("11", OrganizationKind.AGENCY, D.AGENCIES),
            ("91", OrganizationKind.STATE_OWNED, D.STATE_OWNED),
        ):
            rows += [
                (f"{prefix}{region.code}MB{kind[0].upper()}{i:07d}", n.replace("宝安", short), kind)
                for i, n in enumerate(names)
            ]
        return accounts.ensure_organizations(region, rows)

    def users(self, province: Region, baoan: Region, nanshan: Region, owner: Organization) -> None:
        depts = {d.kind: d for d in Department.objects.filter(region=baoan)}
        specs = [
            ("coordinator", Role.COORDINATOR, baoan, {}),
            ("approver", Role.APPROVER, baoan, {"department": depts[DepartmentKind.HOUSING]}),
            ("company1", Role.COMPANY, baoan, {"organization": owner}),
            ("leader", Role.LEADER, baoan, {}),
            ("supervisor", Role.SUPERVISOR, baoan, {}),
            # 三员分立: system, security and audit administrators, one role each, no superuser.
            ("admin", Role.ADMIN, baoan, {"is_staff": True}),
            ("security", Role.SECURITY_ADMIN, baoan, {"is_staff": True}),
            ("auditor", Role.AUDIT_ADMIN, baoan, {"is_staff": True}),
            ("province", Role.LEADER, province, {}),
            ("ns_coordinator", Role.COORDINATOR, nanshan, {}),
        ]
        specs += [
            (f"approver_{kind}", Role.APPROVER, baoan, {"department": dept})
            for kind, dept in depts.items()
        ]
        names = iter(D.PEOPLE)
        encoded = make_password(PASSWORD)  # one documented password: hashed once
        for username, role, region, extra in specs:
            last, first = next(names)
            extra = {"last_name": last, "first_name": first, **extra}
            # A demo authenticator for staff: `greenlight otp code USERNAME` prints its code.
            accounts.create_account(
                user=User(username=username, role=role, region=region, **extra),
                encoded=encoded,
                device=DEMO_DEVICE,
            )

    # -- projects -----------------------------------------------------------------------------

    def projects(
        self, region: Region, owners: list[Organization], count: int, *, serial0: int
    ) -> list[Project]:
        rng = self.rng
        subs = list(Subdistrict.objects.filter(region=region))
        templates = {t.category: t for t in Template.objects.all()}
        by_name = {o.name: o for o in owners}
        short = region.name[:2]
        soes = [o for o in owners if o.kind == OrganizationKind.STATE_OWNED]
        companies = [o for o in owners if o.kind == OrganizationKind.COMPANY]
        rows = []
        majors = D.MAJOR_PROJECTS if region.code == "440306" else []
        for i in range(count):
            if i < len(majors):
                name, sub_name, category, industry, invest, owner_name = majors[i]
                sub = next(s for s in subs if s.name == sub_name)
                owner = by_name[owner_name]
                arrival = self.today - timedelta(days=rng.randint(*D.MAJOR_ARRIVAL_DAYS))
            else:
                category = _weighted(rng, D.CATEGORY_WEIGHTS)
                industry, kind, who, (lo, hi) = rng.choice(D.PROJECT_KINDS[category])
                sub = rng.choice(subs)
                name = f"{sub.name}{kind}" if rng.random() < 0.5 else f"{sub.name}片区{kind}"
                name = f"{name}（{i % 7 + 1}期）" if rng.random() < 0.35 else name
                invest = rng.randint(lo, hi)
                arrival = self.arrival(category)
                pick = rng.choice(who)
                if pick == "company":
                    owner = companies[0] if i % 9 == 0 else rng.choice(companies)
                elif pick == "soe":
                    owner = rng.choice(soes)
                else:
                    owner = by_name[pick.replace("宝安", short)]
            project = Project(
                code=make_project_code(
                    year=arrival.year,
                    month=arrival.month,
                    region_code=region.code,
                    sector=D.SECTOR[category],
                    kind=1 if owner.kind == OrganizationKind.AGENCY else 3,
                    serial=serial0 + i,
                ),
                name=name,
                owner=owner,
                region=region,
                subdistrict=sub,
                category=category,
                industry=industry,
                location=f"深圳市{region.name}{sub.name}街道",
                construction_nature="new",
                funding_source=FUNDING[owner.kind],
                template=templates.get(category),
                total_investment=Decimal(invest),
                # registered at 谋划; the simulated history takes it as far as it gets
                stage="planning",
                land_area=Decimal(rng.randint(2000, 120000)) if category != "linear" else None,
                is_major=i < len(majors) or (invest > 150000 and rng.random() < 0.2),
            )
            project.arrived_on = arrival  # not stored: the simulation starts from it
            rows.append(project)
        return project_bulk.register_many(rows)

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
            approvals, sims, joints = [], [], []
            for p in chunk:
                matters = items.get(p.template_id, [])
                rows = [
                    Approval(
                        project=p, matter=m, department=depts[(p.region_id, m.department_kind)]
                    )
                    for m in matters
                ]
                psims = self.simulate(p, rows, graph)
                for day in sorted({s.batch for s in psims if s.batch}):
                    self.batched.setdefault(day, []).append(p)
                members = self._joint(p, rows, psims)
                if members:
                    joints.append((p, members))
                for sim, row in zip(psims, rows, strict=True):
                    row.status, row.reason = sim.status, sim.reason
                    row.consulting_at = sim.moments.get("consulting")
                    row.submitted_at = sim.moments.get("submitted")
                    row.accepted_at = sim.moments.get("accepted")
                    row.decided_at = sim.moments.get("decided")
                    row.handler = handlers.get(row.department_id) if row.accepted_at else None
                    if row.accepted_at:
                        # An open pause keeps the due time it had when the clock stopped.
                        limit = self.register.limit_on(
                            row.matter.code,
                            row.accepted_at.astimezone(TZ).date(),
                            row.matter.committed_limit,
                        )
                        row.due_at = clocks.due(
                            row.accepted_at,
                            limit,
                            row.matter.committed_unit,
                            calendar=self.cal,
                            pauses=[(b, e) for _, b, e in sim.pauses if e is not None],
                        )
                    approvals.append(row)
                    sims.append(sim)
                progress.advance()
            approval_bulk.load_histories(self._histories(approvals, sims))
            self._joint_cases(joints)
            results.record(approvals)
            # an rng of its own: the rest of the demo draws exactly what it drew before
            results.record_gaps(approvals, rng=self.gap_rng, cal=self.cal, today=self.today)
            results.record_commitments(approvals, rng=self.gap_rng, today=self.today)
            project_bulk.record_history(chunk)

    def _joint(self, p: Project, rows: list[Approval], sims: list[Sim]) -> list[Approval]:
        """The demo's strategic emerging-industry projects take 环评 and 排污许可 as one joint
        case (一口受理): both members get the case's shared history; returns the members."""
        bundle = self.eia_bundle
        if bundle is None or p.category != "social_industry" or p.industry not in STRATEGIC:
            return []
        codes = [m.code for m in bundle.matters.all()]
        index = {r.matter.code: i for i, r in enumerate(rows)}
        if not all(c in index for c in codes):
            return []
        lead = index[sorted(codes)[0]]  # EC-01 环评: the lead department's matter
        shared = self.joint_sim(sims[lead], limit=bundle.limit, unit=bundle.unit)
        if shared is None:
            return []
        for c in codes:
            sims[index[c]] = shared
        return [rows[index[c]] for c in sorted(codes)]

    def _joint_cases(self, joints: list[tuple[Project, list[Approval]]]) -> None:
        """The joint cases of the chunk, their shared clock on the bundle's limit."""
        bundle = self.eia_bundle
        for project, members in joints:
            lead = members[0]
            due = None
            if lead.accepted_at:
                due = clocks.due(
                    lead.accepted_at, bundle.limit, bundle.unit, calendar=self.cal, pauses=[]
                )
            case = JointCase(
                project=project,
                bundle=bundle,
                lead_department_id=lead.department_id,
                status=lead.status,
                submitted_at=lead.submitted_at,
                accepted_at=lead.accepted_at,
                decided_at=lead.decided_at,
                due_at=due,
            )
            approval_bulk.open_joint_case(case=case, members=members, actor=lead.handler)

    @cached_property
    def gap_rng(self) -> random.Random:
        return random.Random(1713)

    @cached_property
    def joint_rng(self) -> random.Random:
        return random.Random(1711)

    @cached_property
    def eia_bundle(self) -> Bundle | None:
        return Bundle.objects.filter(code="eia_permit").prefetch_related("matters").first()

    def _histories(self, approvals: list[Approval], sims: list[Sim]) -> list[tuple]:
        """Each approval with the events and pauses of its simulated history."""
        out = []
        for row, sim in zip(approvals, sims, strict=True):
            events = [
                ApprovalEvent(
                    kind=kind,
                    from_status=frm,
                    to_status=to,
                    at=moment,
                    actor=row.handler
                    if kind.startswith(("accept", "paus", "resum", "decid", "approv"))
                    else None,
                    note=note,
                )
                for kind, frm, to, moment, note in sim.events
            ]
            pauses = [
                Pause(reason=reason, started_at=begin, ended_at=end)
                for reason, begin, end in sim.pauses
            ]
            out.append((row, events, pauses))
        return out


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def build(*, today: date, projects: int = 850, stdout=None, seed: int = SEED) -> dict:
    """Create the demo district in one transaction; returns counts. The stored plans are what
    the planner computes from everything that happened (a last replan with the calendar every
    deadline uses), so `greenlight replan --all` right after finds nothing to change."""
    step = _Steps(stdout)
    with transaction.atomic():
        b = Builder(today=today, projects=projects, stdout=stdout, seed=seed)
        step("catalog and calendar")
        seeding.load_catalog()
        calendars.seed_from_package()
        b.cal = calendars.current()
        b.register = reforms.plan(matters=reforms.catalog_matters(), today=today, seed=seed)
        step("regions, departments, owners and accounts")
        province, baoan, nanshan = b.regions()
        owners = b.organizations(baoan, 240)
        ns_owners = b.organizations(nanshan, 12)
        b.users(province, baoan, nanshan, owners[0])
        ns_count = max(projects // 28, 3)
        step("projects")
        rows = b.projects(baoan, owners, projects, serial0=10000)
        rows += b.projects(nanshan, ns_owners, ns_count, serial0=50000)
        graph = planning.CatalogGraph.load()
        step("approval histories")
        progress = Progress("approvals", len(rows), stream=stdout)
        b.approvals_for(rows, graph, progress)
        progress.finish()
        step("reform register")
        reforms.build(today=today, register=b.register, stdout=stdout)
        for builder in APP_DEMOS:
            step(builder.__name__.rsplit(".", 1)[-1].replace("_", " "))
            extra = {"batched": b.batched} if builder is reviews else {}
            builder.build(today=today, stdout=stdout, **extra)
        step("custom plans of the major projects")
        plans.build(today=today, seed=seed, stdout=stdout)
        step("plans")
        planning.replan_many(
            Project.objects.all().order_by("pk"),
            graph=planning.CatalogGraph.load(),
            calendar=calendars.current(),
            today=today,
            progress=Progress("plans", len(rows), stream=stdout),
        )
        step.done()
        counts = {
            "projects": Project.objects.count(),
            "approvals": Approval.objects.count(),
            "events": ApprovalEvent.objects.count(),
            "users": User.objects.count(),
        }
        audit.record(baoan, "demo_loaded", changes={**counts, "seed": seed})
    return counts


APP_DEMOS = (pipeline, reviews, tickets, supervision, analytics)


class _Steps:
    """`[  3.2 s] step` lines on the command line, so a long build shows where it is."""

    def __init__(self, stream):
        self.stream, self.started = stream, time.monotonic()

    def __call__(self, label: str) -> None:
        if self.stream is not None:
            self.stream.write(f"[{time.monotonic() - self.started:6.1f} s] {label}\n")
            self.stream.flush()

    def done(self) -> None:
        self("done")
