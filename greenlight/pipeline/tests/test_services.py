"""Pipeline services: targets, candidates, pools, matching runs, decisions, start."""

from datetime import date
from decimal import Decimal

import pytest

from greenlight.approvals.models import Approval
from greenlight.audit.models import AuditEvent
from greenlight.kernel.errors import Conflict, DomainError
from greenlight.pipeline import decisions, selectors, services
from greenlight.pipeline.choices import CandidateStatus, FactorKind
from greenlight.pipeline.models import Candidate, Meeting
from greenlight.projects.models import InvestmentReport, Project

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_matching_respects_the_binding_land_quota_of_a_subdistrict(pipeline, world):
    # given 50,000 m² in 新桥 and candidates needing 30,000 + 25,000 + 15,000
    # when
    run = services.run_matching(region=world.baoan, year=YEAR, actor=world.users.coordinator)
    # then a (30k) + c (15k) = 45k fits; a + b = 55k does not; value a+c=40k*3 > b+c=35k*3
    assert run.feasible
    assert set(run.result["selected"]) == {pipeline.a.pk, pipeline.c.pk}
    verdict = run.result["verdicts"][str(pipeline.b.pk)]
    assert verdict["reason"] == "blocked"
    assert verdict["blocked_by"] == {f"land:{pipeline.xinqiao.pk}": 20000.0}
    land = next(p for p in run.result["pools"] if p["key"].startswith("land"))
    assert land["binding"] is True


def test_pinning_b_in_changes_the_selection(pipeline, world):
    services.pin_candidate(candidate=pipeline.b, pin="in", actor=world.users.coordinator)
    run = services.run_matching(region=world.baoan, year=YEAR, actor=world.users.coordinator)
    assert set(run.result["selected"]) == {pipeline.b.pk, pipeline.c.pk}
    assert run.result["verdicts"][str(pipeline.b.pk)]["reason"] == "pinned_in"


def test_overfilling_pins_are_explained(pipeline, world):
    for cand in (pipeline.a, pipeline.b):
        services.pin_candidate(candidate=cand, pin="in", actor=world.users.coordinator)
    run = services.run_matching(region=world.baoan, year=YEAR, actor=world.users.coordinator)
    assert not run.feasible
    assert run.result["conflicts"] == [[f"land:{pipeline.xinqiao.pk}", 55000.0, 50000.0]]


def test_land_of_a_subdistrict_without_pool_falls_to_the_region_pool(pipeline, world):
    # given a candidate in 沙井, which has no land pool of its own, and no region-wide land
    d = pipeline.propose("沙井物流园", 5000, 1000, sub=pipeline.shajing)
    run = services.run_matching(region=world.baoan, year=YEAR, actor=world.users.coordinator)
    verdict = run.result["verdicts"][str(d.pk)]
    assert verdict["reason"] == "not_met" and verdict["shortfall"] == {"land": 1000.0}


def test_negative_quota_and_unknown_factor_name_the_field(pipeline, world):
    with pytest.raises(DomainError) as exc:
        services.set_pool(
            region=world.baoan,
            year=YEAR,
            kind="energy",
            amount_value=-1,
            actor=world.users.coordinator,
        )
    assert exc.value.field == "amount"
    with pytest.raises(DomainError) as exc:
        pipeline.propose("x", 1, 1, needs={"water": 3})
    assert exc.value.field == "needs"
    with pytest.raises(DomainError) as exc:
        services.set_pool(
            region=world.baoan,
            year=YEAR,
            kind="water",
            amount_value=1,
            actor=world.users.coordinator,
        )
    assert exc.value.field == "kind"


def test_company_proposes_for_itself_only(pipeline, world):
    cand = services.propose_candidate(
        data={
            "name": "鹏鼎新厂",
            "owner": world.org2.pk,
            "category": "small_low_risk",
            "industry": "electronics",
            "investment": "800",
            "funding": "company",
        },
        actor=world.users.company,
        year=YEAR,
    )
    assert cand.owner == world.org1
    seen = selectors.candidates(user=world.users.company2, year=YEAR)
    assert cand not in seen and pipeline.c in seen


def test_decision_creates_a_project_in_preparation_with_its_plan(pipeline, world):
    # when the meeting decides a to start, b to reserve, c rejected
    meeting = decisions.decide(
        region=world.baoan,
        year=YEAR,
        title="2025年第一次谋划生成决策会",
        held_on=date(2025, 3, 10),
        minutes="会议同意……",
        decisions=[
            (pipeline.a, "start", ""),
            (pipeline.b, "reserve", "待土地整备"),
            (pipeline.c, "reject", "产业不符"),
        ],
        actor=world.users.coordinator,
    )
    # then a is a project in preparation with a valid code, approvals and a forecast
    a = Candidate.objects.get(pk=pipeline.a.pk)
    assert a.status == CandidateStatus.STARTING and meeting.decisions.count() == 3
    project = a.project
    assert project.stage == "preparation" and project.code.startswith("2503-440306-36-03-")
    assert project.template.code == "social_industry"
    rows = Approval.objects.filter(project=project)
    assert rows.count() == project.template.items.count()
    assert project.forecast_start and project.forecast_start > date(2025, 3, 10)
    assert rows.filter(planned_start__isnull=False).count() == rows.count()
    assert project.planned_start == project.forecast_start
    assert AuditEvent.objects.filter(action="project_created", object_id=str(project.pk)).exists()
    # and it was registered like any project: the record filled from the candidate
    assert (project.location, project.funding_source) == ("宝安区新桥街道", "social")
    assert project.plan_start == date(2025, 3, 10)
    assert Candidate.objects.get(pk=pipeline.b.pk).project is None


def test_nothing_is_half_decided(pipeline, world):
    # given c was decided already
    decisions.decide(
        region=world.baoan,
        year=YEAR,
        title="第一次",
        held_on=date(2025, 3, 1),
        minutes="纪要",
        decisions=[(pipeline.c, "reject", "")],
        actor=world.users.coordinator,
    )
    before = Project.objects.count()
    # when a second meeting lists a (start) and c again
    with pytest.raises(Conflict):
        decisions.decide(
            region=world.baoan,
            year=YEAR,
            title="第二次",
            held_on=date(2025, 3, 9),
            minutes="纪要",
            decisions=[(pipeline.a, "start", ""), (pipeline.c, "start", "")],
            actor=world.users.coordinator,
        )
    # then neither the meeting, nor a's project, nor its decision exists
    assert Project.objects.count() == before
    assert Meeting.objects.count() == 1
    assert Candidate.objects.get(pk=pipeline.a.pk).status == CandidateStatus.PROPOSED


def test_minutes_are_required(pipeline, world):
    with pytest.raises(DomainError) as exc:
        decisions.decide(
            region=world.baoan,
            year=YEAR,
            title="t",
            held_on=date(2025, 3, 1),
            minutes=" ",
            decisions=[(pipeline.a, "start", "")],
            actor=world.users.coordinator,
        )
    assert exc.value.field == "minutes"


def test_targets_acknowledged_and_achievement_counted(pipeline, world):
    coord = world.users.coordinator
    region_target = services.issue_target(
        region=world.baoan, year=YEAR, investment=100000, new_starts=2, generated=4, actor=coord
    )
    eco_target = services.issue_target(
        region=world.baoan,
        year=YEAR,
        department=world.eco,
        investment=50000,
        new_starts=1,
        generated=1,
        actor=coord,
    )
    sub_target = services.issue_target(
        region=world.baoan,
        year=YEAR,
        subdistrict=pipeline.xinqiao,
        investment=1,
        new_starts=1,
        generated=1,
        actor=coord,
    )
    meeting = decisions.decide(
        region=world.baoan,
        year=YEAR,
        title="t",
        held_on=date(2025, 3, 10),
        minutes="m",
        decisions=[(pipeline.a, "start", "")],
        actor=coord,
    )
    project = meeting.decisions.get().candidate.project
    project.approvals.filter(matter__stage="construction_permit").update(status="approved")
    services.record_start(project=project, on=date(2025, 6, 1), actor=coord)
    InvestmentReport.objects.create(project=project, month=date(2025, 6, 1), amount=Decimal(500))
    services.acknowledge_target(target=eco_target, actor=world.users.approver)
    with pytest.raises(Conflict):
        services.acknowledge_target(target=eco_target, actor=world.users.approver)
    # when
    rows = {a.target.pk: a for a in selectors.achievements(user=coord, year=YEAR)}
    # then the project counts for the region and its subdistrict, not for the ecology
    # department, which approves its EIA but is in charge of no industry
    assert rows[region_target.pk].new_starts == 1 and rows[region_target.pk].starts_pct == 50
    assert rows[sub_target.pk].investment == Decimal(500)
    assert rows[eco_target.pk].generated == 0 and rows[eco_target.pk].investment == 0
    assert Project.objects.get(pk=project.pk).stage == "construction"
    # and the approver sees the region's and its department's targets only
    mine = {a.target.pk for a in selectors.achievements(user=world.users.approver, year=YEAR)}
    assert mine == {region_target.pk, eco_target.pk}


def test_reissuing_a_target_asks_for_a_new_acknowledgement(world):
    coord = world.users.coordinator
    t = services.issue_target(
        region=world.baoan, year=YEAR, investment=1, new_starts=1, generated=1, actor=coord
    )
    services.acknowledge_target(target=t, actor=coord)
    t2 = services.issue_target(
        region=world.baoan, year=YEAR, investment=2, new_starts=1, generated=1, actor=coord
    )
    assert t2.pk == t.pk and t2.acknowledged_at is None


def test_pool_per_subdistrict_is_for_land_only(pipeline, world):
    with pytest.raises(DomainError) as exc:
        services.set_pool(
            region=world.baoan,
            year=YEAR,
            kind=FactorKind.BOND,
            subdistrict=pipeline.xinqiao,
            amount_value=1,
            actor=world.users.coordinator,
        )
    assert exc.value.field == "subdistrict"
