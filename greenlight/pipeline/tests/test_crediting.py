"""Each annual target is credited only with what belongs to it (figures computed by hand).

The rule: the district's target counts every project of the district; a subdistrict's, the
projects and decided candidates of that subdistrict; a department's, those of the industries it is
in charge of (行业主管部门, `pipeline.choices.COMPETENT_DEPARTMENT`) — never the projects it merely
has an approval for. Investment is the year's reported investment; new starts the projects whose
construction started in the year; projects generated the candidates decided to start or reserve.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from greenlight.accounts.choices import DepartmentKind
from greenlight.accounts.models import Department
from greenlight.catalog import seeding
from greenlight.pipeline import selectors, services
from greenlight.pipeline.models import Candidate, Decision, Meeting
from greenlight.projects.models import InvestmentReport
from tests import factories as f

YEAR = 2025


def _candidate(world, name, industry, sub):
    return Candidate.objects.create(
        region=world.baoan,
        year=YEAR,
        name=name,
        owner=world.org1,
        subdistrict=sub,
        category="social_industry",
        industry=industry,
        investment=Decimal(1000),
        funding="company",
    )


@pytest.fixture
def district(world):
    seeding.seed_departments(world.baoan)
    depts = {d.kind: d for d in Department.objects.filter(region=world.baoan)}
    a = f.SubdistrictFactory(region=world.baoan, name="新桥")
    b = f.SubdistrictFactory(region=world.baoan, name="沙井")

    def project(industry, sub, started=None, reports=(), region_org=None):
        p = f.ProjectFactory(
            owner=region_org or world.org1, industry=industry, subdistrict=sub, actual_start=started
        )
        for month, amount in reports:
            InvestmentReport.objects.create(project=p, month=month, amount=Decimal(amount))
        return p

    # P1 manufacturing in 新桥, started this year, 100 + 50 reported
    p1 = project(
        "manufacturing", a, date(YEAR, 3, 1), [(date(YEAR, 3, 1), 100), (date(YEAR, 4, 1), 50)]
    )
    # P2 transport in 沙井, started this year, 200 reported
    project("transport", b, date(YEAR, 5, 10), [(date(YEAR, 6, 1), 200)])
    # P3 water in 新桥, not started, 70 reported this year (and 999 the year before)
    project("water", a, None, [(date(YEAR, 7, 1), 70), (date(YEAR - 1, 12, 1), 999)])
    # P4 municipal utilities, no subdistrict, started last year, 30 reported this year
    project("municipal", None, date(YEAR - 1, 11, 1), [(date(YEAR, 2, 1), 30)])
    # P5 of 南山区 (another district): transport, started, 500 reported — never ours
    project("transport", None, date(YEAR, 4, 1), [(date(YEAR, 4, 1), 500)], region_org=world.org_ns)
    # P1 has approvals at ecology, housing and transport: approving makes nothing theirs
    for kind in (DepartmentKind.ECOLOGY, DepartmentKind.HOUSING, DepartmentKind.TRANSPORT):
        f.ApprovalFactory(
            project=p1, matter=f.MatterFactory(department_kind=kind), department=depts[kind]
        )
    # decided candidates: C1 manufacturing 新桥 start, C2 transport 沙井 reserve, C3 water 新桥
    # not adopted
    meeting = Meeting.objects.create(
        region=world.baoan, year=YEAR, title="决策会", held_on=date(YEAR, 3, 10), minutes="纪要"
    )
    for cand, outcome in (
        (_candidate(world, "C1", "manufacturing", a), "start"),
        (_candidate(world, "C2", "transport", b), "reserve"),
        (_candidate(world, "C3", "water", a), "reject"),
    ):
        Decision.objects.create(meeting=meeting, candidate=cand, outcome=outcome)
    coord = world.users.coordinator
    at = timezone.make_aware(datetime(YEAR, 1, 10, 10))

    def target(**recipient):
        return services.issue_target(
            region=world.baoan,
            year=YEAR,
            investment=1000,
            new_starts=10,
            generated=10,
            actor=coord,
            at=at,
            **recipient,
        ).pk

    return {
        "district": target(),
        "新桥": target(subdistrict=a),
        "沙井": target(subdistrict=b),
        **{kind: target(department=depts[kind]) for kind in DepartmentKind.values},
    }


def test_each_target_is_credited_with_its_own_projects_only(world, district):
    got = {
        a.target.pk: (a.new_starts, a.investment, a.generated)
        for a in selectors.achievements(user=world.users.coordinator, year=YEAR)
    }
    # (new starts, investment reported this year, projects generated), by hand:
    expected = {
        "district": (2, Decimal(450), 2),  # P1 P2 / 150+200+70+30 / C1 C2
        "新桥": (1, Decimal(220), 1),  # P1 / 150+70 / C1
        "沙井": (1, Decimal(200), 1),  # P2 / 200 / C2
        DepartmentKind.DEVELOPMENT: (1, Decimal(150), 1),  # manufacturing: P1 / C1
        DepartmentKind.TRANSPORT: (1, Decimal(200), 1),  # P2 / C2 (not P1, nor 南山's P5)
        DepartmentKind.WATER: (0, Decimal(70), 0),  # P3 (C3 was not adopted)
        DepartmentKind.HOUSING: (0, Decimal(30), 0),  # municipal P4 (it started last year)
        DepartmentKind.ECOLOGY: (0, Decimal(0), 0),  # approves P1's EIA, owns nothing
        DepartmentKind.PLANNING: (0, Decimal(0), 0),
        DepartmentKind.RENEWAL: (0, Decimal(0), 0),
        DepartmentKind.LAND_INSPECTION: (0, Decimal(0), 0),
    }
    assert {key: got[pk] for key, pk in district.items()} == expected


def test_the_district_target_is_the_sum_of_its_subdistricts_when_every_project_has_one(
    world, district
):
    # P4 has no subdistrict: the district counts it, no subdistrict does
    rows = {a.target.pk: a for a in selectors.achievements(user=world.users.coordinator, year=YEAR)}
    subs = rows[district["新桥"]].investment + rows[district["沙井"]].investment
    assert rows[district["district"]].investment - subs == Decimal(30)


def test_a_department_sees_its_own_credit_and_the_district_s(world, district):
    user = f.UserFactory(
        username="transport",
        role="approver",
        region=world.baoan,
        department=Department.objects.get(region=world.baoan, kind=DepartmentKind.TRANSPORT),
    )
    rows = {a.target.pk: a for a in selectors.achievements(user=user, year=YEAR)}
    assert set(rows) == {district["district"], district[DepartmentKind.TRANSPORT]}
    assert rows[district[DepartmentKind.TRANSPORT]].investment_pct == 20  # 200 of 1000
