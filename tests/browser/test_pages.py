"""The pages as a person sees them in headless Chromium: Chinese text, each role its share."""

import pytest

from .conftest import expect, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_then_project_list_in_chinese(live_server, page, shot, world):
    # when the coordinator logs in with an English browser
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/projects/")
    # then the page is Chinese and lists the region's projects
    assert page.title().startswith("项目")
    assert page.locator("table.grid tbody tr").count() == 2
    assert page.get_by_text("鹏鼎园区扩建项目").is_visible()
    assert page.get_by_role("link", name="登记项目").is_visible()
    shot("project-list")


def test_project_detail_shows_approvals_by_stage(live_server, page, shot, world):
    login(page, live_server.url, "company1")
    page.goto(f"{live_server.url}/projects/{world.project1.pk}/")
    assert page.get_by_role("heading", name="立项用地规划许可").is_visible()
    assert page.get_by_text("环境影响评价报告表审批").is_visible()
    shot("project-detail")


def test_company_cannot_open_another_companys_project(live_server, page, world):
    login(page, live_server.url, "company1")
    response = page.goto(f"{live_server.url}/projects/{world.project2.pk}/")
    assert response.status == 404
    assert page.get_by_text("未找到").first.is_visible()


def test_switch_to_english(live_server, page, world):
    login(page, live_server.url, "coordinator")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.get_by_text("Projects by lifecycle stage").is_visible()


def test_register_a_project_with_a_bad_code_shows_the_reason(live_server, page, shot, world):
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/projects/new/")
    page.fill("#id_code", "2203-440306")
    page.fill("#id_name", "测试登记项目")
    page.fill("#id_owner", world.org1.name)
    page.fill("#id_total_investment", "-3")
    page.click("button.primary")
    expect(page.locator(".field.invalid").first).to_be_visible()
    assert page.locator(".field.invalid").count() >= 2
    assert page.get_by_text("格式应为 YYMM-RRRRRR-DD-TT-NNNNNC", exact=False).is_visible()
    shot("project-form-errors")
