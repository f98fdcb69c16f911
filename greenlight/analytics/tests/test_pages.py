"""Analytics pages: access triad, figures scoped by visibility, pinned query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from greenlight.analytics import casefacts, dashboard
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval
from greenlight.projects import bulk as project_bulk
from greenlight.projects.models import InvestmentReport
from tests import factories as f

PAGES = [
    "/analytics/",
    "/analytics/?wall=1",
    "/analytics/projects/?stage=approval",
    "/analytics/bottlenecks/?start=2025-03-01&end=2025-03-31",
    "/analytics/bottlenecks/cases/?matter=1&start=2025-03-01&end=2025-03-31",
    "/analytics/investment/",
    "/analytics/export/",
]


@pytest.mark.parametrize("url", PAGES + ["/analytics/scorecards/", "/analytics/export/ocel.json"])
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ["leader", "coordinator", "approver", "company", "supervisor"])
def test_every_role_reads_its_share_in_chinese(client_for, world, scenario, url, role):
    # when
    response = client_for(getattr(world.users, role)).get(url)
    # then
    assert response.status_code == 200
    assert "数据分析" in response.content.decode() or url.endswith("json")


@pytest.fixture
def started(world):
    """Two started projects this year (one of company2's), investment reported, a red light."""
    today = timezone.localdate()
    year = today.year
    world.project1.actual_start = date(year, 1, 15)
    world.project1.stage = "construction"
    world.project1.save()
    world.project2.actual_start = date(year, 1, 20)
    world.project2.stage = "construction"
    world.project2.save()
    project_bulk.record_reports(
        [
            InvestmentReport(project=p, month=date(year, 1, 1), amount=Decimal(amount))
            for p, amount in ((world.project1, 100), (world.project2, 40), (world.project_ns, 999))
        ]
    )
    now = timezone.now()
    f.ApprovalFactory(
        project=world.project2,
        department=world.eco,
        status=Status.ACCEPTED,
        accepted_at=now - timedelta(days=30),
        due_at=now - timedelta(days=1),
    )
    return year


def test_dashboard_figures_never_count_what_a_company_cannot_see(world, started):
    # given project1 (company1's) and project2 (company2's), and Nanshan's report
    now, today = timezone.now(), timezone.localdate()
    # when
    mine = dashboard.summary(user=world.users.company, today=today, now=now)
    region = dashboard.summary(user=world.users.coordinator, today=today, now=now)
    # then the company sees only its own project
    assert mine["starts"]["total"] == 1 and region["starts"]["total"] == 2
    assert mine["investment"]["total"] == 100 and region["investment"]["total"] == 140
    assert mine["red_total"] == 0 and region["red_total"] == 1
    assert mine["projects_total"] == 1 and region["projects_total"] == 2


def test_new_starts_against_the_annual_target(world, started):
    # given the region's target of 4 new starts and 1000万元
    from greenlight.pipeline.models import AnnualTarget

    AnnualTarget.objects.create(
        region=world.baoan,
        year=started,
        new_starts=4,
        investment=Decimal("1000"),
        issued_at=timezone.now(),
    )
    # when
    d = dashboard.summary(user=world.users.leader, today=timezone.localdate(), now=timezone.now())
    # then
    assert d["starts"]["target"] == 4 and d["starts"]["share"] == 0.5
    assert d["starts"]["monthly"][0] == 2 and d["starts"]["cumulative"][-1] == 2
    assert d["investment"]["share"] == pytest.approx(0.14)
    # and the company sees figures without a target
    mine = dashboard.summary(
        user=world.users.company, today=timezone.localdate(), now=timezone.now()
    )
    assert mine["starts"]["target"] is None


def test_lights_by_department_with_drill_down(client_for, world, started):
    # when
    rows = dashboard.lights(user=world.users.leader, now=timezone.now())
    page = client_for(world.users.leader).get(
        f"/analytics/projects/?light=red&department={world.eco.pk}"
    )
    # then
    assert rows[0]["department_id"] == world.eco.pk and rows[0]["red"] == 1
    assert world.project2.name in page.content.decode()
    assert world.project1.name not in page.content.decode()


def test_approval_lights_are_scoped_by_the_projects_region_and_owner(world):
    # given a red approval of a Nanshan project handled by a Bao'an department (the department
    # does not decide who sees it), and one of company2's projects in Bao'an
    now = timezone.now()
    late = {"status": Status.ACCEPTED, "accepted_at": now - timedelta(days=30)}
    f.ApprovalFactory(
        project=world.project_ns, department=world.eco, due_at=now - timedelta(days=1), **late
    )
    f.ApprovalFactory(
        project=world.project2, department=world.water, due_at=now - timedelta(days=2), **late
    )

    def red(user, region=None):
        rows = dashboard.lights(user=user, now=now, region=region)
        return {r["department_id"]: r["red"] for r in rows}

    # then each sees the lights of its share only
    assert red(world.users.nanshan) == {world.eco.pk: 1}
    assert red(world.users.coordinator) == {world.water.pk: 1}
    assert red(world.users.company) == {} and red(world.users.company2) == {world.water.pk: 1}
    assert red(world.users.province) == {world.eco.pk: 1, world.water.pk: 1}
    assert red(world.users.province, region=world.nanshan) == {world.eco.pk: 1}
    # and the approvals carry their project's region, which the lights read
    assert set(
        Approval.objects.filter(status=Status.ACCEPTED).values_list("region_id", "project__region")
    ) == {(world.nanshan.pk, world.nanshan.pk), (world.baoan.pk, world.baoan.pk)}


def test_dashboard_query_count_is_pinned(client_for, world, started, django_assert_max_num_queries):
    client = client_for(world.users.leader)
    with django_assert_max_num_queries(15):  # 14, +1: the session's second factor (django-otp)
        assert client.get("/analytics/").status_code == 200


def test_bottleneck_page_query_count_is_pinned(
    client_for, world, scenario, django_assert_max_num_queries
):
    # given the facts the tick keeps up to date
    casefacts.refresh_changed()
    client = client_for(world.users.coordinator)
    with django_assert_max_num_queries(14):
        response = client.get("/analytics/bottlenecks/?start=2025-03-01&end=2025-03-31")
    html = response.content.decode()
    assert "环评审批" in html and "堵点" in html


def test_cases_page_lists_the_cases_behind_a_figure(
    client_for, world, scenario, django_assert_max_num_queries
):
    # given the facts the tick keeps up to date
    casefacts.refresh_changed()
    client = client_for(world.users.coordinator)
    with django_assert_max_num_queries(16):
        response = client.get(
            f"/analytics/bottlenecks/cases/?matter={scenario.m1.pk}&start=2025-03-01&end=2025-03-31"
        )
    html = response.content.decode()
    assert html.count("环评审批") >= 3 and "南山某项目" not in html


def test_drill_down_pages_query_counts(client_for, world, started, django_assert_max_num_queries):
    client = client_for(world.users.leader)
    with django_assert_max_num_queries(10):
        assert client.get(f"/analytics/projects/?reported={started}").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/analytics/investment/").status_code == 200


def test_scorecards_for_staff_only(client_for, world, scenario, django_assert_max_num_queries):
    # given the facts the tick keeps up to date
    casefacts.refresh_changed()
    client = client_for(world.users.leader)
    # when / then
    # (two fact computations: the month's ranking and the twelve-month trend)
    with django_assert_max_num_queries(24):
        response = client.get("/analytics/scorecards/?month=2025-03")
    assert response.status_code == 200 and "宝安区生态环境局" in response.content.decode()
    xlsx = client.get("/analytics/scorecards.xlsx?month=2025-03")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for(world.users.company).get("/analytics/scorecards/").status_code == 403


def test_department_detail_own_department_only_for_approvers(client_for, world, scenario):
    url = f"/analytics/scorecards/{world.eco.pk}/?month=2025-03"
    assert client_for(world.users.approver).get(url).status_code == 200
    assert client_for(world.users.water_approver).get(url).status_code == 403
    assert client_for(world.users.leader).get(url).status_code == 200
    assert client_for(world.users.nanshan).get(url).status_code == 404


def test_scorecard_ranking_rates(world, scenario):
    from greenlight.analytics import scorecards

    # when
    rows = scorecards.ranking(user=world.users.coordinator, month=date(2025, 3, 1))
    # then eco: 5 cases, 2 over the limit; water: 1 case over it
    by = {r["department"].pk: r for r in rows}
    assert by[world.eco.pk]["on_time_rate"] == pytest.approx(3 / 5)
    assert by[world.water.pk]["on_time_rate"] == 0
    assert rows[0]["department"] == world.eco
