"""Registering a project in headless Chromium: fill the form, pick the owner, then see its
approvals, the serial versus parallel summary and each of the 3+1 charts."""

import pytest

from greenlight.projects.models import Project
from greenlight.projects.tests.intake import seed

from .conftest import SHOTS, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_a_project_then_see_its_approvals_and_charts(live_server, page, shot, world):
    # given the seed catalog and Bao'an's departments
    seed(world)
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/projects/new/")
    assert page.locator(".code-format").first.is_visible()
    # when the coordinator fills the form
    page.fill("#id_code", "2611-440306-04-01-654321")
    page.fill("#id_name", "沙井智能装备产业园")
    with page.expect_response(lambda r: "/projects/new/owners/" in r.url):
        page.locator("#id_owner").press_sequentially("魏桥", delay=30)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#owner-options option')].some(o => o.value.includes('魏桥'))"
    )
    option = page.locator("#owner-options option").first.get_attribute("value")
    page.fill("#id_owner", option)  # the value the list offers
    with page.expect_response(lambda r: "/projects/new/optional-matters/" in r.url):
        page.select_option("#id_category", "gov_building")
    page.locator("input[name=optional_matters][value='TR-02']").wait_for()
    page.check("input[name=optional_matters][value='TR-02']")
    page.select_option("#id_industry", "education")
    page.select_option("#id_construction_nature", "new")
    page.fill("#id_location", "深圳市宝安区沙井街道新沙路与南环路交汇处")
    page.fill("#id_scale_content", "新建教学楼、实验楼各1栋，总建筑面积4.2万平方米，设36个班")
    page.select_option("#id_funding_source", "fiscal")
    page.fill("#id_total_investment", "28000")
    page.fill("#id_land_area", "30000")
    page.fill("#id_contact_name", "李工")
    page.fill("#id_contact_phone", "0755-29991234")
    shot("project-register")  # var/screenshots/; docs/screenshots/ holds a reviewed copy
    page.click("button.primary[type=submit]")
    page.wait_for_load_state()
    # then the project page lists its approvals (with the ticked one) and the plan's summary
    project = Project.objects.get(code="2611-440306-04-01-654321")
    assert page.url.endswith(f"/projects/{project.pk}/")
    assert project.owner == world.org2 and project.approvals.filter(matter__code="TR-02").exists()
    assert page.get_by_text("已开通", exact=False).first.is_visible()
    summary = page.locator(".plan-summary b").inner_text()
    assert "串联" in summary and "并联" in summary
    assert page.get_by_text("城市道路占用、挖掘许可").first.is_visible()
    assert page.locator("table.approvals tbody tr").count() == project.approvals.count()
    shot("project-registered")
    # and each of the 3+1 charts draws it
    for view, name in [("service", "审批服务"), ("push", "项目推动"),
                       ("coordination", "并联协调"), ("combined", "综合图")]:  # fmt: skip
        page.get_by_role("link", name=name).first.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/charts/{view}/")
        assert page.locator("#chart svg").count() == 1
        shot(f"project-registered-{view}")


def test_a_project_without_matters_shows_what_to_do(live_server, page, shot, world):
    # given a project registered while the catalog has no template
    from greenlight.projects import services
    from greenlight.projects.tests.intake import record

    project = services.create_project(data=record(world), actor=world.users.coordinator)
    login(page, live_server.url, "coordinator")
    # when its combined chart is opened
    response = page.goto(f"{live_server.url}/projects/{project.pk}/charts/combined/")
    # then the page says what to do and offers the add form
    assert response.status == 200
    assert page.get_by_text("尚无审批事项：请添加事项").is_visible()
    assert page.locator("select[name=matter]").is_visible()
    shot("project-no-matters")
    assert (SHOTS / "project-no-matters.png").exists()


def test_excel_import_lists_the_bad_rows(live_server, page, shot, world, tmp_path):
    # given a file whose second row has an unknown owner and a bad phone
    from greenlight.projects.tests.test_import import _row, _xlsx

    seed(world)
    rows = [_row(world), _row(world, 项目代码="2611-440306-04-01-200002", 项目单位="不存在的公司",
                              联系电话="8888")]  # fmt: skip
    path = tmp_path / "projects.xlsx"
    path.write_bytes(_xlsx(rows))
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/projects/import/")
    # when it is checked
    page.set_input_files("input[type=file]", str(path))
    page.click("button.primary")
    page.wait_for_load_state()
    # then each problem is listed with row, column and reason, and nothing can be imported
    table = page.locator("table.errors")
    assert table.locator("tbody tr").count() == 2
    assert "项目单位" in table.inner_text() and "联系电话" in table.inner_text()
    assert page.get_by_role("button", name="登记全部项目").count() == 0
    shot("project-import-errors")
