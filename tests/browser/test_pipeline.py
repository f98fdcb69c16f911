"""The whole pipeline in a browser, as a new user would run it: targets, candidates, matching,
decision, the project with its plan, and the start."""

import pytest

from greenlight.catalog import seeding
from greenlight.pipeline.models import Candidate
from tests import factories as f

from .conftest import expect, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ready(world):
    seeding.load_catalog()
    seeding.seed_departments(world.baoan)
    return f.SubdistrictFactory(region=world.baoan, name="新桥")


def _fill_candidate(page, name, investment, land):
    page.fill("#id_name", name)
    page.select_option("#id_subdistrict", label="新桥")
    page.select_option("#id_category", "social_industry")
    page.fill("#id_investment", investment)
    page.fill("#id_land_need", land)
    page.check("input[name=maturity][value=site]")
    page.click("button.primary")
    page.wait_for_load_state()


def test_pipeline_from_targets_to_start(live_server, browser, page, shot, world, ready):
    base = live_server.url
    year = __import__("datetime").date.today().year
    # the coordinator issues the region's target and sets the land quota of 新桥
    login(page, base, "coordinator")
    page.goto(f"{base}/pipeline/")
    assert page.get_by_role("heading", name="谋划生成").is_visible()
    page.select_option("#id_recipient", "region")
    page.fill("#id_investment", "100000")
    page.fill("#id_new_starts", "2")
    page.fill("#id_generated", "3")
    page.get_by_role("button", name="下达任务", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("任务已下达")).to_be_visible()
    assert page.locator("table.targets tbody tr td", has_text="宝安区").count() == 1
    page.goto(f"{base}/pipeline/pools/")
    page.select_option("#id_kind", "land")
    page.select_option("#id_subdistrict", label="新桥")
    page.fill("#id_amount", "50000")
    page.click("button.primary")
    page.wait_for_load_state()
    shot("pipeline-pools")
    # two companies propose candidates that do not both fit
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    company = context.new_page()
    login(company, base, "company1")
    company.goto(f"{base}/pipeline/candidates/new/")
    _fill_candidate(company, "鹏鼎智造园", "30000", "30000")
    assert company.get_by_text("谋划项目已申报").is_visible()
    company.goto(f"{base}/pipeline/candidates/")
    company.screenshot(path=str(shot("pipeline-pools").parent / "pipeline-company-list.png"))
    page.goto(f"{base}/pipeline/candidates/new/")
    page.select_option("#id_owner", str(world.org2.pk))
    _fill_candidate(page, "魏桥新厂房", "25000", "25000")
    page.goto(f"{base}/pipeline/candidates/new/")
    page.select_option("#id_owner", str(world.org2.pk))
    _fill_candidate(page, "魏桥配套仓库", "10000", "15000")
    # the coordinator runs the matching: the land quota binds, 魏桥新厂房 is out
    page.goto(f"{base}/pipeline/matching/")
    page.click("text=运行要素匹配")
    page.wait_for_load_state()
    row = page.locator("tr", has_text="魏桥新厂房")
    assert "未入选" in row.inner_text() and "土地指标" in row.inner_text()
    assert page.get_by_text("紧约束").first.is_visible()
    shot("pipeline-matching")
    # the meeting decides: the selection starts, the rest is reserved
    page.goto(f"{base}/pipeline/decisions/new/")
    page.fill("#id_title", f"{year}年第一次谋划生成决策会")
    page.fill("#id_minutes", "同意鹏鼎智造园等项目计划开工。")
    weiqiao = Candidate.objects.get(name="魏桥新厂房")
    page.select_option(f"#id_decision_{weiqiao.pk}", "reserve")
    shot("pipeline-meeting-form")
    page.click("text=记录决策")
    page.wait_for_load_state()
    expect(page.get_by_text("决策已记录")).to_be_visible()
    shot("pipeline-meeting")
    # the project exists in 前期 with a code and a plan
    page.click("table.grid tbody tr:has-text('鹏鼎智造园') a.mono")
    page.wait_for_load_state()
    assert page.get_by_text("前期").first.is_visible()
    assert page.locator(".plan-summary").is_visible()
    shot("pipeline-project")
    # push to start: once the construction-permit stage is approved, record the start
    from greenlight.projects.models import Project

    started = Project.objects.get(name="鹏鼎智造园")
    started.approvals.filter(matter__stage="construction_permit").update(status="approved")
    page.goto(f"{base}/pipeline/push/")
    row = page.locator("tr", has_text="鹏鼎智造园")
    row.locator("input[type=date]").fill(f"{year}-06-01")
    row.get_by_role("button", name="登记开工").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已登记开工")).to_be_visible()
    shot("pipeline-push")
    page.goto(f"{base}/pipeline/")
    assert "1 / 2" in page.locator("table.targets").inner_text()
    shot("pipeline-targets")
    context.close()
