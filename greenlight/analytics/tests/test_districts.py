"""The district comparison on a hand-built two-district case (宝安, 南山; March 2025 has no
holidays, 03-03 is a Monday), its visibility and its query count."""

from __future__ import annotations

import statistics
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from greenlight.analytics import dashboard, districts
from greenlight.approvals.choices import Status
from greenlight.catalog.choices import Stage
from greenlight.kernel.roles import Role
from greenlight.pipeline.models import AnnualTarget
from greenlight.projects import bulk as project_bulk
from greenlight.projects.models import InvestmentReport
from greenlight.tickets.models import Ticket
from tests import factories as f
from tests.auth import verified_login

NOW = timezone.make_aware(datetime(2025, 6, 2, 10, 0))


def at(month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(2025, month, day, hour))


def decided(project, matter, department, acc, dec):
    return f.ApprovalFactory(
        project=project,
        matter=matter,
        department=department,
        status=Status.APPROVED,
        submitted_at=acc,
        accepted_at=acc,
        decided_at=dec,
    )


@pytest.fixture
def case(world):
    """宝安: target 4 starts and 1,000 万元; 2 starts in 2025 (one more in 2024), 500 万元
    reported in 2025; three decided cases of 2, 8 and 3 working days (limit 5: one late).
    南山: no target; 1 start, 700 万元; one case of 1 working day; one ticket past its day."""
    w = world
    ns_eco = f.DepartmentFactory(region=w.nanshan, kind=w.eco.kind, name="南山区生态环境局")
    matter = f.MatterFactory(stage=Stage.LAND_PLANNING, committed_limit=5)
    p3 = f.ProjectFactory(owner=w.org1, name="宝安去年开工项目", actual_start=date(2024, 12, 1))
    for project, day in ((w.project1, date(2025, 3, 10)), (w.project2, date(2025, 4, 1))):
        project.actual_start = day
        project.save(update_fields=["actual_start"])
    w.project_ns.actual_start = date(2025, 5, 1)
    w.project_ns.save(update_fields=["actual_start"])
    project_bulk.record_reports(
        [
            InvestmentReport(project=project, month=month, amount=Decimal(amount))
            for project, month, amount in (
                (w.project1, date(2025, 3, 1), "300"),
                (w.project2, date(2025, 4, 1), "200"),
                (p3, date(2024, 12, 1), "999"),
                (w.project_ns, date(2025, 5, 1), "700"),
            )
        ]
    )
    AnnualTarget.objects.create(
        region=w.baoan, year=2025, new_starts=4, investment=Decimal(1000), issued_at=at(1, 2)
    )
    decided(w.project1, matter, w.eco, at(3, 3), at(3, 5))  # 2 working days
    decided(p3, matter, w.eco, at(3, 3), at(3, 13))  # 8: late
    decided(w.project2, matter, w.eco, at(3, 3), at(3, 6))  # 3
    decided(w.project_ns, matter, ns_eco, at(3, 3), at(3, 4))  # 1
    reporter = w.users.coordinator
    due = {"feedback_due": at(5, 1), "path_due": at(5, 2), "progress_due": at(5, 3)}
    Ticket.objects.create(
        project=w.project_ns,
        title="南山用地问题",
        category="land",
        reporter=reporter,
        reported_at=at(4, 30),
        **due,
    )
    Ticket.objects.create(  # every milestone met: not overdue
        project=w.project1,
        title="宝安已答复",
        category="land",
        reporter=reporter,
        reported_at=at(4, 30),
        feedback_at=at(4, 30),
        path_at=at(5, 1),
        progress_at=at(5, 2),
        **due,
    )
    city = f.UserFactory(username="city_leader", role=Role.LEADER, region=w.baoan.parent)
    return {"world": w, "city": city, "stage": Stage.LAND_PLANNING.value}


def by_code(data):
    return {r["code"]: r for r in data["rows"]}


def test_figures_per_district_computed_by_hand(case):
    # when
    data = districts.compare(user=case["world"].users.province, year=2025, now=NOW)
    rows = by_code(data)
    baoan, nanshan = rows["440306"], rows["440305"]
    # then: 宝安 2 of 4 starts, 500 of 1,000 万元, 2 of 3 cases on time, median of 2, 3, 8 = 3
    assert (baoan["starts"], baoan["starts_target"], baoan["starts_share"]) == (2, 4, 0.5)
    assert (baoan["investment"], baoan["investment_target"]) == (500.0, 1000.0)
    assert baoan["investment_share"] == 0.5
    assert (baoan["decided"], baoan["late"]) == (3, 1)
    assert baoan["on_time"] == pytest.approx(2 / 3)
    assert baoan["medians"] == {case["stage"]: 3.0}
    assert baoan["overdue_tickets"] == 0
    # 南山: no target, so no share and no rank for it; 1 case on time; one ticket overdue
    assert (nanshan["starts"], nanshan["starts_target"], nanshan["starts_share"]) == (1, None, None)
    assert nanshan["investment"] == 700.0 and nanshan["investment_share"] is None
    assert (nanshan["decided"], nanshan["on_time"]) == (1, 1.0)
    assert nanshan["medians"] == {case["stage"]: 1.0}
    assert nanshan["overdue_tickets"] == 1
    assert (baoan["joint_cases"], baoan["joint_share"]) == (0, 0.0)
    # the league table: rank 1 = best, lower is better for overdue tickets
    assert baoan["rank"]["starts_share"] == 1 and nanshan["rank"]["starts_share"] is None
    assert (nanshan["rank"]["on_time"], baoan["rank"]["on_time"]) == (1, 2)
    assert (baoan["rank"]["overdue_tickets"], nanshan["rank"]["overdue_tickets"]) == (1, 2)
    assert data["totals"]["starts"] == 3 and data["totals"]["investment"] == 1200.0
    assert data["totals"]["on_time"] == pytest.approx(3 / 4)


def test_the_province_target_is_not_one_districts(case):
    w = case["world"]
    # when: only 宝安 of the two districts has a target and the province has none
    partial = dashboard.targets(user=w.users.province, year=2025)
    AnnualTarget.objects.create(
        region=w.nanshan, year=2025, new_starts=6, investment=Decimal(500), issued_at=at(1, 2)
    )
    summed = dashboard.targets(user=w.users.province, year=2025)
    AnnualTarget.objects.create(
        region=w.province, year=2025, new_starts=100, investment=Decimal(9000), issued_at=at(1, 2)
    )
    own = dashboard.targets(user=w.users.province, year=2025)
    district = dashboard.targets(user=w.users.province, year=2025, region=w.nanshan)
    # then
    assert (partial["new_starts"], partial["covered"], partial["districts"]) == (None, 1, 2)
    assert (summed["new_starts"], summed["investment"], summed["source"]) == (10, 1500, "districts")
    assert (own["new_starts"], own["source"]) == (100, "own")
    assert (district["new_starts"], district["source"]) == (6, "own")


def test_province_dashboard_groups_investment_by_district_not_streets(case):
    w = case["world"]
    province = dashboard.investment(user=w.users.province, year=2025, target=None)
    one = dashboard.investment(user=w.users.province, year=2025, target=None, region=w.baoan)
    assert province["by"] == "district"
    assert {r["name"]: r["amount"] for r in province["subdistricts"]} == {
        "宝安区": 500.0,
        "南山区": 700.0,
    }
    assert one["by"] == "subdistrict" and one["total"] == 500.0


def test_city_sees_its_districts_and_a_district_user_is_refused(case, client):
    w = case["world"]
    assert {r["code"] for r in districts.compare(user=case["city"], year=2025)["rows"]} == {
        "440305",
        "440306",
    }
    for user, allowed in (
        (w.users.province, True),
        (case["city"], True),
        (w.users.leader, False),
        (w.users.coordinator, False),
        (w.users.nanshan, False),
        (w.users.company, False),
    ):
        assert districts.can_compare(user) is allowed, user.username


def test_comparison_page_and_api(case, client):
    w = case["world"]
    verified_login(client, w.users.province)
    page = client.get(reverse("analytics:districts"), {"year": 2025})
    assert page.status_code == 200
    body = page.content.decode()
    assert "宝安区" in body and "南山区" in body and "?region=440306" in body
    api = client.get("/api/v1/analytics/districts", {"year": 2025})
    assert api.status_code == 200
    assert by_code(api.json())["440306"]["starts"] == 2
    bad = client.get("/api/v1/analytics/districts", {"year": 1200})
    assert bad.status_code in (400, 422) and "year" in bad.json()["detail"][0]["loc"]
    assert client.get(reverse("analytics:districts"), {"year": "abc"}).status_code == 400
    assert client.get("/api/v1/analytics/districts", {"city": "450100"}).status_code == 404
    # the drill-down: the district's own dashboard
    drill = client.get(reverse("analytics:home"), {"region": "440305"})
    assert drill.status_code == 200 and "南山区" in drill.content.decode()


def test_district_users_are_refused(case, client):
    w = case["world"]
    verified_login(client, w.users.leader)
    assert client.get(reverse("analytics:districts")).status_code == 403
    assert client.get("/api/v1/analytics/districts").status_code == 403
    # and 南山's dashboard is not theirs to open
    assert client.get(reverse("analytics:home"), {"region": "440305"}).status_code == 404


# 9 queries; on PostgreSQL the facts' sort runs in a savepoint with its settings (4 more)
LIMIT = 13 if connection.vendor == "postgresql" else 9


def test_query_count_does_not_grow_with_projects(case, django_assert_max_num_queries):
    w = case["world"]
    districts.compare(user=w.users.province, year=2025, now=NOW)  # facts built once
    with django_assert_max_num_queries(LIMIT):
        districts.compare(user=w.users.province, year=2025, now=NOW)
    for _ in range(20):
        p = f.ProjectFactory(owner=w.org_ns, actual_start=date(2025, 6, 1))
        project_bulk.record_reports(
            [InvestmentReport(project=p, month=date(2025, 6, 1), amount=Decimal(1))]
        )
    with django_assert_max_num_queries(LIMIT):
        data = districts.compare(user=w.users.province, year=2025, now=NOW)
    assert by_code(data)["440305"]["starts"] == 21


def test_labels_by_role_and_level(case, client):
    w = case["world"]
    # given: the zh-Hans pages
    verified_login(client, w.users.province)
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    # then: the province leader is 省领导, never 区领导; a district's leader stays 区领导
    assert "省领导" in home and "区领导" not in home
    assert case["city"].role_title == "市领导"
    assert w.users.leader.role_title == "区领导"
    assert w.users.coordinator.role_title == str(w.users.coordinator.get_role_display())


def test_district_filter_and_column_on_the_lists(case, client):
    w = case["world"]
    verified_login(client, w.users.province)
    # the project list: a district column, and ?region= keeps one district's projects
    page = client.get(reverse("projects:list"), {"region": "440305"}).content.decode()
    assert "南山某项目" in page and "鹏鼎园区扩建项目" not in page and "<th>区（县）</th>" in page
    api = client.get("/api/v1/projects", {"region": "440305"}).json()
    assert {p["region_name"] for p in api["items"]} == {"南山区"}
    city = client.get("/api/v1/projects", {"region": "440300"}).json()
    assert city["count"] == 4  # 深圳市: both districts
    assert client.get("/api/v1/projects", {"region": "44x"}).status_code == 422
    # tickets: 南山's ticket only
    tickets = client.get("/api/v1/tickets", {"region": "440305"}).json()
    assert [t["title"] for t in tickets["items"]] == ["南山用地问题"]
    page = client.get(reverse("tickets:list"), {"region": "440306"}).content.decode()
    assert "宝安已答复" in page and "南山用地问题" not in page
    # a district's own user gets no district filter
    verified_login(client, w.users.coordinator)
    assert 'name="region"' not in client.get(reverse("projects:list")).content.decode()


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=40))
def test_a_median_read_off_its_distribution_is_the_median(values):
    from collections import Counter

    assert districts.median_of(Counter(values)) == statistics.median(values)
