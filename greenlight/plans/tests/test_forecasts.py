"""Honest forecasts: nothing unfinished is forecast before today, the project's forecast start
follows, the tick re-forecasts every project once a day, and slips stay visible."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from greenlight.analytics import dashboard
from greenlight.approvals import clocks
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval, Pause
from greenlight.catalog import calendars
from greenlight.kernel import jobs as tick_jobs
from greenlight.plans import jobs, planning
from greenlight.projects.choices import Lifecycle
from greenlight.projects.models import Project
from greenlight.site import tick
from tests import factories as f

from .plan_fixtures import build_plan_world

TZ = ZoneInfo("Asia/Shanghai")
D = date.fromisoformat
TODAY = D("2026-11-26")  # a Thursday; the plan of `build_plan_world` starts on 2026-03-02
JOB = "greenlight.plans.jobs:reforecast"


def at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(D(day), time(hour), tzinfo=TZ)


@pytest.fixture
def plan(world):
    """project1 (major): A-1 (5 working days) → B-1 (10), C-1 (3) → D-1 (4), none begun."""
    return build_plan_world(world)


def approval(plan, code: str) -> Approval:
    return Approval.objects.get(project=plan.project, matter__code=code)


def forecasts(plan) -> dict[str, tuple[str, str]]:
    rows = Approval.objects.filter(project=plan.project).select_related("matter")
    return {a.matter.code: (str(a.forecast_start), str(a.forecast_finish)) for a in rows}


def accept(a: Approval, day: str) -> Approval:
    a.status, a.submitted_at, a.accepted_at = Status.ACCEPTED, at(day), at(day)
    a.due_at = clocks.due_at(a, pauses=[])
    a.save()
    return a


def test_unstarted_matters_start_no_earlier_than_today(plan):
    # given a plan that began on 2026-03-02 with nothing started
    # when it is forecast on 2026-11-26
    planning.replan(plan.project, today=TODAY)
    # then every matter starts no earlier than today, each taking its duration from there
    assert forecasts(plan) == {
        "A-1": ("2026-11-26", "2026-12-02"),
        "B-1": ("2026-12-03", "2026-12-16"),
        "C-1": ("2026-12-03", "2026-12-07"),
        "D-1": ("2026-12-17", "2026-12-22"),
    }
    # and the baseline stays where it was planned, so the slip shows
    a = approval(plan, "A-1")
    assert (a.planned_start, a.planned_finish) == (D("2026-03-02"), D("2026-03-06"))
    assert a.slip_days == (D("2026-12-02") - D("2026-03-06")).days
    # and the construction start follows the last pre-start matter
    plan.project.refresh_from_db()
    assert plan.project.forecast_start == D("2026-12-23")
    assert plan.project.forecast_on == TODAY


def test_the_baseline_of_a_project_without_a_start_date_stays_put(plan):
    # given a plan first computed on one day from no set start (the start is then that day)
    Project.objects.filter(pk=plan.project.pk).update(plan_start=None)
    plan.project.refresh_from_db()
    planning.replan(plan.project, today=D("2026-11-02"))
    # when it is forecast again three weeks later
    planning.replan(plan.project, today=TODAY)
    # then the baseline is the first plan's and the forecast today's
    a = approval(plan, "A-1")
    assert (a.planned_start, a.forecast_start) == (D("2026-11-02"), TODAY)


@pytest.mark.parametrize(
    ("accepted", "finish", "why"),
    [
        ("2026-11-02", "2026-11-26", "due 11-09, overdue: not before today"),
        ("2026-11-24", "2026-12-01", "due 12-01: the day its clock leaves it until"),
        ("2026-11-26", "2026-12-03", "accepted today: due five working days later"),
    ],
)
def test_a_running_approval_finishes_no_earlier_than_today_or_its_due_day(
    plan, accepted, finish, why
):
    # given A-1 accepted, its clock running
    a = accept(approval(plan, "A-1"), accepted)
    # when forecast
    planning.replan(plan.project, today=TODAY)
    # then it keeps its actual start and finishes on the later of today and its due day
    assert forecasts(plan)["A-1"] == (accepted, finish), why
    assert D(forecasts(plan)["C-1"][0]) > D(finish)
    assert max(TODAY, a.due_at.date()) == D(finish)


def test_a_paused_approval_finishes_today_plus_the_days_its_clock_had_left(plan):
    # given A-1 accepted on 11-02 (due 11-09) and paused on 11-04, still paused
    a = accept(approval(plan, "A-1"), "2026-11-02")
    a.status = Status.PAUSED
    a.save()
    Pause.objects.create(approval=a, reason="supplement", started_at=at("2026-11-04"))
    left = clocks.remaining(a, now=at("2026-11-26"))
    # when forecast on 11-26
    planning.replan(plan.project, today=TODAY)
    # then it finishes as if resumed today: 3 working days left → 12-01
    assert left == 3
    assert forecasts(plan)["A-1"] == ("2026-11-02", "2026-12-01")
    assert calendars.current().add_workdays(TODAY, left) == D("2026-12-01")


def test_replan_many_sees_paused_clocks_as_replan_does(plan):
    # given a paused approval
    a = accept(approval(plan, "A-1"), "2026-11-02")
    a.status = Status.PAUSED
    a.save()
    Pause.objects.create(approval=a, reason="supplement", started_at=at("2026-11-04"))
    planning.replan(plan.project, today=TODAY)
    one = forecasts(plan)
    # when the whole district is replanned
    Approval.objects.update(forecast_start=None, forecast_finish=None)
    planning.replan_many(
        Project.objects.all(),
        graph=planning.CatalogGraph.load(),
        calendar=calendars.current(),
        today=TODAY,
    )
    # then the forecasts are the same
    assert forecasts(plan) == one


def test_project_forecast_start(plan):
    # given every pre-start matter approved by the summer, construction not begun
    for code in ("A-1", "B-1", "C-1", "D-1"):
        a = approval(plan, code)
        a.status, a.accepted_at, a.decided_at = Status.APPROVED, at("2026-06-01"), at("2026-06-05")
        a.save()
    # when forecast
    planning.replan(plan.project, today=TODAY)
    plan.project.refresh_from_db()
    # then construction can start today at the earliest, not the day after the last approval
    assert plan.project.forecast_start == TODAY
    assert forecasts(plan)["D-1"] == ("2026-06-01", "2026-06-05")  # what happened stays
    # and once it has started, the forecast start is the actual start
    Project.objects.filter(pk=plan.project.pk).update(actual_start=D("2026-07-01"))
    plan.project.refresh_from_db()
    planning.replan(plan.project, today=TODAY)
    plan.project.refresh_from_db()
    assert plan.project.forecast_start == D("2026-07-01")


def test_the_daily_reforecast_runs_once_a_day_from_the_tick(world, plan):
    # given plans stored long ago
    planning.replan(plan.project, today=D("2026-03-02"))
    assert forecasts(plan)["A-1"] == ("2026-03-02", "2026-03-06")
    # when the tick runs on 11-26
    noon = datetime.combine(TODAY, time(12), tzinfo=TZ)
    first = tick.run(now=noon)
    # then the job is registered, every project is re-forecast as of that day
    assert JOB in tick_jobs.registered()
    assert first[JOB]["projects"] == Project.objects.count() == 3
    assert forecasts(plan)["A-1"] == ("2026-11-26", "2026-12-02")
    assert set(Project.objects.values_list("forecast_on", flat=True)) == {TODAY}
    # when it runs again the same day, it does nothing
    assert tick.run(now=noon + timedelta(hours=5))[JOB] == {"projects": 0, "approvals": 0}
    # when it runs the next day, every project again, a day later
    assert tick.run(now=noon + timedelta(days=1))[JOB]["projects"] == 3
    assert forecasts(plan)["A-1"] == ("2026-11-27", "2026-12-03")


def test_an_event_replans_as_of_today_and_counts_as_todays_forecast(world, plan):
    # given an approval submitted now (the event replans its project)
    from greenlight.approvals import services

    a = approval(plan, "A-1")
    services.transition(approval=a, action="submit", actor=world.users.company)
    # then the project is forecast today, and today's tick leaves it alone
    plan.project.refresh_from_db()
    today = timezone.localdate()
    assert plan.project.forecast_on == today
    assert plan.project.pk not in set(jobs.stale(today).values_list("pk", flat=True))


def test_replan_stale_from_the_command_line_shows_progress(world, plan, capsys):
    # when the daily re-forecast is run by hand, twice the same day
    out = io.StringIO()
    call_command("replan", "--stale", "--today", "2026-11-26", stdout=out)
    again = io.StringIO()
    call_command("replan", "--stale", "--today", "2026-11-26", stdout=again)
    # then the first does every project with a progress bar, the second nothing
    assert "replanned 3 projects" in out.getvalue()
    assert "replan [" in capsys.readouterr().err
    assert "replanned 0 projects" in again.getvalue()
    assert forecasts(plan)["A-1"] == ("2026-11-26", "2026-12-02")


def test_majors_table_counts_days_late_against_todays_truth(world):
    # given major projects awaiting their start
    def major(name, target, forecast, stage=Lifecycle.APPROVAL):
        return f.ProjectFactory(
            owner=world.org1,
            name=name,
            is_major=True,
            stage=stage,
            planned_start=D(target),
            forecast_start=D(forecast) if forecast else None,
        )

    stale = major("过期预测", "2026-10-07", "2026-09-10")  # target passed, forecast in the past
    none = major("无预测", "2026-11-01", None)  # target passed, no forecast at all
    late = major("预测延后", "2026-12-01", "2026-12-21")
    ahead = major("预测提前", "2027-06-01", "2027-03-01", stage=Lifecycle.PLANNING)
    major("已开工", "2026-01-01", "2026-01-01", stage=Lifecycle.CONSTRUCTION)
    # when the leader's table is read on 11-26
    rows = dashboard.majors(user=world.users.leader, today=TODAY)
    # then forecast − target, late first: a past forecast counts as today
    got = [(r["id"], str(r["forecast_start"]), r["slip"]) for r in rows]
    assert got == [
        (stale.pk, "2026-11-26", 50),
        (none.pk, "2026-11-26", 25),
        (late.pk, "2026-12-21", 20),
        (ahead.pk, "2027-03-01", -92),
    ]


def test_majors_page_shows_lateness_in_red(client_for, world):
    # given a major project whose target passed 30 days ago, forecast before it
    today = timezone.localdate()
    f.ProjectFactory(
        owner=world.org1,
        name="过期预测项目",
        is_major=True,
        stage=Lifecycle.APPROVAL,
        planned_start=today - timedelta(days=30),
        forecast_start=today - timedelta(days=60),
    )
    # when the leader opens the dashboard
    body = client_for(world.users.leader).get("/analytics/").content.decode()
    # then it is 30 days late, in red, forecast today
    assert '<b class="late">+30</b>' in body
    assert today.isoformat() in body or today.strftime("%Y年%-m月%-d日") in body


def test_project_page_shows_planned_and_forecast_with_the_slip(client_for, world, plan):
    # given a plan forecast today, far behind its March baseline
    planning.replan(plan.project)
    # when the company opens its project
    body = client_for(world.users.company).get(f"/projects/{plan.project.pk}/").content.decode()
    # then each matter shows its planned and its forecast dates, and the slip in red
    a = approval(plan, "A-1")
    assert "2026-03-02 → 2026-03-06" in body
    assert f"{a.forecast_start:%Y-%m-%d} → {a.forecast_finish:%Y-%m-%d}" in body
    assert '<b class="crit slip"' in body and f">+{a.slip_days}</b>" in body


def test_exports_carry_the_forecast_beside_the_plan(client_for, world, plan):
    from openpyxl import load_workbook

    from greenlight.engine import planfile

    c = client_for(world.users.company)
    # the plan file forecasts as of today even with nothing begun
    doc = planfile.load(c.get(f"/projects/{plan.project.pk}/plan.json").content.decode())
    assert doc.as_of == timezone.localdate()
    # the workbook has the planned (early) dates and the forecast side by side
    xlsx = c.get(f"/projects/{plan.project.pk}/plan.xlsx").content
    rows = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "编码")
    a = next(r for r in rows if r and r[0] == "A-1")
    got = {k: a[header.index(k)] for k in ("最早开始", "最早完成", "预测开始", "预测完成")}
    assert got["最早开始"].date() == D("2026-03-02") and got["最早完成"].date() == D("2026-03-06")
    assert got["预测开始"].date() >= timezone.localdate()
    assert got["预测完成"] > got["预测开始"]


def test_acceptance_a_month_later_nothing_is_forecast_in_the_past(db):
    # given the demo district built on 2026-11-26
    from greenlight.demo import district

    district.build(today=TODAY, projects=10, stdout=io.StringIO())
    # when a month passes and the tick runs
    later = TODAY + timedelta(days=30)
    result = tick.run(now=datetime.combine(later, time(1), tzinfo=TZ))
    # then every project was re-forecast that day
    assert result[JOB]["projects"] == Project.objects.count() > 10
    assert set(Project.objects.values_list("forecast_on", flat=True)) == {later}
    # and no matter not begun is forecast to start, nor anything unfinished to finish, nor
    # any project not started to start, before the new today
    begun = Approval.objects.exclude(accepted_at__isnull=True, submitted_at__isnull=True)
    unstarted = Approval.objects.exclude(pk__in=begun)
    assert unstarted.count() > 0
    assert not unstarted.filter(forecast_start__lt=later).exists()
    assert (
        not Approval.objects.exclude(status=Status.APPROVED)
        .filter(forecast_finish__lt=later)
        .exists()
    )
    assert not Project.objects.filter(actual_start__isnull=True, forecast_start__lt=later).exists()


def _stored_plans() -> tuple[dict, dict]:
    fields = ("pk", *planning.UPDATED)
    approvals = {row[0]: row[1:] for row in Approval.objects.values_list(*fields)}
    projects = dict(Project.objects.values_list("pk", "forecast_start"))
    return approvals, projects


def test_replan_many_stores_what_replan_stores_one_by_one(db):
    # given a small demo district (shared templates, approvals at every state, paused clocks,
    # major projects with their own plans), planned one project at a time
    from greenlight.accounts.models import User
    from greenlight.approvals import services
    from greenlight.demo import district

    district.build(today=TODAY, projects=20, stdout=io.StringIO())
    approver = User.objects.get(username="approver")
    running = Approval.objects.filter(status=Status.ACCEPTED, department=approver.department)
    services.transition(
        approval=running.first(),
        action="pause",
        actor=approver,
        at=at("2026-11-25"),
        reason="缺少图纸",
        pause_reason="supplement",
    )
    later = TODAY + timedelta(days=9)
    for project in Project.objects.all():
        planning.replan(project, today=later)
    one_by_one = _stored_plans()
    assert Project.objects.filter(is_major=True).exists()
    # when the whole district is replanned at once, from cleared plans
    Approval.objects.update(forecast_start=None, forecast_finish=None, critical=False)
    Project.objects.update(forecast_start=None, forecast_on=None)
    planning.replan_many(
        Project.objects.all(),
        graph=planning.CatalogGraph.load(),
        calendar=calendars.current(),
        today=later,
        chunk=7,  # several chunks
    )
    # then every approval and project holds the same plan, and every project was forecast today
    assert _stored_plans() == one_by_one
    assert set(Project.objects.values_list("forecast_on", flat=True)) == {later}
