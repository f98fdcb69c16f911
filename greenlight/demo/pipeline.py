"""Demo data of project generation: a year's targets, ~40 candidates, pools, one meeting."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from greenlight.accounts.choices import DepartmentKind, OrganizationKind
from greenlight.accounts.models import Department, Organization, Region, Subdistrict, User
from greenlight.kernel.roles import Role
from greenlight.pipeline import decisions, services
from greenlight.pipeline.choices import FactorKind, Maturity
from greenlight.projects.models import Project

TZ = ZoneInfo("Asia/Shanghai")
KINDS = [
    ("social_industry", "manufacturing", "智能制造产业园", "company"),
    ("social_industry", "electronics", "电子信息产业基地", "company"),
    ("social_industry", "new_energy", "新能源电池项目", "company"),
    ("social_industry", "biomedicine", "生物医药产业园", "company"),
    ("small_low_risk", "logistics", "物流仓储中心", "company"),
    ("gov_building", "education", "九年一贯制学校", "agency"),
    ("gov_building", "health", "社区健康服务中心", "agency"),
    ("gov_building", "housing", "保障性住房", "agency"),
    ("linear", "transport", "市政道路工程", "agency"),
    ("linear", "water", "排水管网提升工程", "agency"),
]


# What each department in charge of industries (pipeline.choices.COMPETENT_DEPARTMENT) has of
# the district's investment, roughly: development and reform steers most of it.
SHARES = {
    DepartmentKind.DEVELOPMENT: 0.78,
    DepartmentKind.HOUSING: 0.08,
    DepartmentKind.TRANSPORT: 0.07,
    DepartmentKind.WATER: 0.05,
}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def build(*, today: date, stdout=None) -> dict:
    """Create the year's pipeline of 宝安区 (deterministic for a given `today`)."""
    rng = random.Random(8_2024)
    region = Region.objects.get(code="440306")
    coord = User.objects.filter(role=Role.COORDINATOR, region=region).order_by("id").first()
    year = today.year
    subs = list(Subdistrict.objects.filter(region=region))
    depts = list(Department.objects.filter(region=region))
    issued = _at(date(year, 1, 10))
    # The year's target of new starts: last year's starts in the district, raised by a tenth or
    # so, as a district sets it in January from what it saw the year before.
    last_year = Project.objects.filter(region=region, actual_start__year=year - 1).count()
    new_starts = max(1, round(last_year * (1.05 + rng.random() / 10)))
    services.issue_target(
        region=region,
        year=year,
        investment=9_800_000,
        new_starts=new_starts,
        generated=300,
        actor=coord,
        at=issued,
    )
    for sub in subs:
        services.issue_target(
            region=region,
            year=year,
            subdistrict=sub,
            investment=rng.randint(60, 140) * 10_000,
            new_starts=rng.randint(15, 35),
            generated=rng.randint(20, 40),
            actor=coord,
            at=issued,
        )
    approvers = {u.department_id: u for u in User.objects.filter(role=Role.APPROVER, region=region)}
    issued_to = 0
    for i, dept in enumerate(depts):
        draws = (rng.randint(50, 300), rng.randint(60, 200), rng.randint(80, 220))
        share = SHARES.get(dept.kind)
        if share is None:
            continue  # a department in charge of no industry gets no investment target
        # the department's share of the district's target, give or take a tenth
        figures = {
            "investment": int(round(9_800_000 * share * (0.85 + draws[0] / 1000), -4)),
            "new_starts": round(new_starts * share * (0.9 + draws[1] / 1000)),
            "generated": round(300 * share * (0.9 + draws[2] / 1000)),
        }
        issued_to += 1
        target = services.issue_target(
            region=region, year=year, department=dept, actor=coord, at=issued, **figures
        )
        if i % 4 != 3 and dept.pk in approvers:
            services.acknowledge_target(
                target=target, actor=approvers[dept.pk], at=issued + timedelta(days=i + 1)
            )
    land = {}
    for sub in subs:
        land[sub.pk] = rng.randint(4, 12) * 10_000
        services.set_pool(
            region=region,
            year=year,
            kind=FactorKind.LAND,
            subdistrict=sub,
            amount_value=land[sub.pk],
            actor=coord,
        )
    for kind, amount in (
        (FactorKind.ENERGY, 60_000),
        (FactorKind.FISCAL, 420_000),
        (FactorKind.BOND, 350_000),
        (FactorKind.ENVIRONMENT, 260),
    ):
        services.set_pool(region=region, year=year, kind=kind, amount_value=amount, actor=coord)
    companies = list(
        Organization.objects.filter(region=region, kind=OrganizationKind.COMPANY).order_by("id")[
            :30
        ]
    )
    agencies = (
        list(
            Organization.objects.filter(region=region, kind=OrganizationKind.AGENCY).order_by("id")
        )
        or companies
    )
    cands = []
    for i in range(40):
        category, industry, noun, who = KINDS[i % len(KINDS)]
        sub = subs[(i * 3) % len(subs)]
        owner = (
            companies[0] if i in (0, 11) else rng.choice(agencies if who == "agency" else companies)
        )
        invest = rng.randint(8, 160) * 1000
        public = who == "agency"
        cands.append(
            services.propose_candidate(
                data={
                    "name": f"{sub.name}{noun}" + (f"（{i // 10 + 1}期）" if i >= 10 else ""),
                    "owner": owner.pk,
                    "subdistrict": sub.pk,
                    "category": category,
                    "industry": industry,
                    "investment": invest,
                    "funding": rng.choice(["fiscal", "bond"]) if public else "company",
                    "land_need": 0 if category == "linear" else rng.randint(5, 45) * 1000,
                    "energy_need": rng.randint(200, 6000),
                    "fiscal_need": invest * rng.randint(20, 60) // 100 if public else 0,
                    "bond_need": invest * rng.randint(10, 50) // 100 if public else 0,
                    "environment_need": rng.randint(1, 30),
                    "maturity": rng.sample(Maturity.values, rng.randint(2, 6)),
                    "priority": rng.randint(1, 5),
                },
                actor=coord,
                year=year,
            )
        )
    services.pin_candidate(candidate=cands[0], pin="in", actor=coord)
    run = services.run_matching(
        region=region, year=year, actor=coord, at=_at(today - timedelta(days=40))
    )
    selected = set(run.result["selected"])
    chosen = [c for c in cands if c.pk in selected][:10]
    left = [c for c in cands if c.pk not in selected]
    rows = [(c, "start", "") for c in chosen]
    rows += [(c, "reserve", "要素暂不满足，转入储备") for c in left[:4]]
    rows += [(c, "reject", "不符合产业导向") for c in left[4:5]]
    held = today - timedelta(days=35)
    meeting = decisions.decide(
        region=region,
        year=year,
        title=f"{year}年第一次谋划生成决策会议",
        held_on=held,
        minutes="会议听取了总指办关于年度谋划项目要素匹配情况的汇报，同意以下项目计划开工或转入储备，"
        "请各部门提前介入、同步办理，限时反馈。",
        decisions=rows,
        actor=coord,
    )
    # The decided projects start only once their construction permits are approved (the
    # lifecycle gate): 35 days after the meeting none is, so the demo records no start here.
    counts = {
        "targets": 1 + len(subs) + issued_to,
        "candidates": len(cands),
        "decisions": meeting.decisions.count(),
    }
    if stdout:
        stdout.write(f"pipeline: {counts}\n")
    return counts
