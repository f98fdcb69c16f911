"""The analytics pages in a browser: dashboard charts drawn and drilled into, the wall screen,
the bottleneck ranking and its cases, scorecards, the Excel import preview."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from greenlight.analytics.tests.conftest import scenario  # noqa: F401 - fixture
from greenlight.approvals.choices import Status
from greenlight.projects import bulk as project_bulk
from greenlight.projects.models import InvestmentReport
from tests import factories as f

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def figures(world, scenario):  # noqa: F811
    year = timezone.localdate().year
    sub = f.SubdistrictFactory(region=world.baoan, name="新安街道")
    for i, p in enumerate((world.project1, world.project2, scenario.p3)):
        p.actual_start = date(year, 1 + i, 10)
        p.stage = "construction"
        p.subdistrict = sub
        p.save()
        project_bulk.record_reports(
            [
                InvestmentReport(project=p, month=date(year, m, 1), amount=Decimal(300 * (i + 1)))
                for m in range(1, 4)
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


def test_dashboard_draws_and_drills_down(live_server, page, shot, world, figures):
    base = live_server.url
    login(page, base, "leader")
    page.click("text=数据分析")
    page.wait_for_selector("#c-funnel[data-ready='1']")
    assert page.get_by_role("heading", name="全周期看板").is_visible()
    assert page.locator("#c-starts canvas").count() == 1
    shot("analytics-dashboard")
    # the red-light tile opens the projects behind it
    page.click(".tile.red")
    page.wait_for_load_state()
    assert page.get_by_text("魏桥产业园项目").is_visible()
    # the wall screen hides the page chrome
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/analytics/?wall=1")
    page.wait_for_selector("#c-lights[data-ready='1']")
    assert not page.locator(".topbar").is_visible()
    shot("analytics-wall")


def test_bottlenecks_rank_and_link_to_cases(live_server, page, shot, world, figures):
    base = live_server.url
    login(page, base, "coordinator")
    page.goto(f"{base}/analytics/bottlenecks/?start=2025-03-01&end=2025-03-31")
    page.wait_for_selector("#c-delay[data-ready='1']")
    assert page.locator("ol.ranking li").first.inner_text().startswith("排污许可")
    shot("analytics-bottlenecks")
    page.click("ol.ranking li a >> nth=0")
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="指标对应的办件").is_visible()
    assert page.locator("tbody tr").count() == 1
    page.goto(f"{base}/analytics/scorecards/?month=2025-03")
    page.wait_for_selector("#c-trend[data-ready='1']")
    shot("analytics-scorecards")
