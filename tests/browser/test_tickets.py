"""Problem tickets as people use them: a company reports, the department replies, the
coordinator escalates, the company closes; the list by light; the Excel dry run."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from .conftest import expect, login

pytestmark = pytest.mark.django_db(transaction=True)
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_company_reports_department_replies_coordinator_escalates_company_closes(
    live_server, page, shot, world, tmp_path
):
    base = live_server.url
    # the company reports a problem with a photo
    login(page, base, "company1")
    page.goto(f"{base}/tickets/")
    page.get_by_role("link", name="反映问题").click()
    page.select_option("#id_project", str(world.project1.pk))
    page.fill("#id_title", "施工临时用电报装进度缓慢")
    page.select_option("#id_category", "site")
    page.fill("#id_description", "项目已具备开工条件，临时用电尚未接入。")
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    page.set_input_files("#id_attachments", str(photo))
    shot("ticket-new")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("问题已反映")).to_be_visible()
    assert page.get_by_role("link", name="现场照片.png").is_visible()
    url = page.url
    # the coordinator assigns ecology, with water cooperating
    page.context.clear_cookies()
    login(page, base, "coordinator")
    page.goto(url)
    page.select_option("#id_lead_department", str(world.eco.pk))
    page.get_by_label("宝安区水务局").check()
    page.get_by_role("button", name="交办").click()
    expect(page.locator("ol.timeline")).to_contain_text("已交办")
    # the department gives feedback
    page.context.clear_cookies()
    login(page, base, "approver")
    page.goto(url)
    assert page.get_by_role("heading", name="反馈：由谁办理").is_visible()
    shot("ticket-department")
    page.get_by_role("textbox", name="内容").fill("已收到，由审批科张科长负责，今日联系企业。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="明确解决路径和步骤")).to_be_visible()
    # the coordinator escalates with a supervision notice
    page.context.clear_cookies()
    login(page, base, "coordinator")
    page.goto(url)
    page.get_by_label("督办要求").fill("请于明日下班前明确解决路径。")
    page.get_by_role("button", name="签发").click()
    expect(page.get_by_role("heading", name="督办单")).to_be_visible()
    # the department sets the path, reports progress and resolves
    page.context.clear_cookies()
    login(page, base, "approver")
    page.goto(url)
    for text in ("1. 现场核实；2. 协调供电局；3. 三个工作日内接电。", "供电局已完成现场勘查。"):
        page.get_by_role("textbox", name="内容").fill(text)
        page.get_by_role("button", name="提交").click()
        expect(page.locator("ol.timeline")).to_contain_text(text)
    page.get_by_placeholder("如何解决的").fill("临时用电已接通。")
    page.get_by_role("button", name="标记已解决").click()
    expect(page.locator("ol.timeline")).to_contain_text("临时用电已接通。")
    # the company confirms with five stars
    page.context.clear_cookies()
    login(page, base, "company1")
    page.goto(url)
    page.get_by_label("★★★★★", exact=True).check()
    page.fill("#id_comment", "响应及时。")
    page.get_by_role("button", name="确认并办结").click()
    expect(page.locator("h1 .status.closed")).to_be_visible()
    timeline = page.locator("ol.timeline").inner_text()
    for kind in ("已交办", "督办单已签发", "已报进展", "企业确认办结"):
        assert kind in timeline
    shot("ticket-closed")


def test_list_by_light_and_figures(live_server, page, shot, world, make_tickets):
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/tickets/")
    assert page.locator(".tile.overdue b").inner_text() == "2"
    assert page.locator("table.grid tbody tr").count() == 3
    shot("ticket-list")
    page.goto(f"{live_server.url}/tickets/figures/")
    assert page.get_by_role("heading", name="按牵头部门").is_visible()
    shot("ticket-figures")


def test_excel_dry_run_lists_bad_rows(live_server, page, shot, world, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["项目代码", "问题标题", "问题分类", "问题描述", "反映时间"])
    ws.append([world.project1.code, "正常一行", "用地", "", "2026-11-02 09:00"])
    ws.append(["0000-000000-00-00-000000", "", "天气", "", "昨天"])
    path = tmp_path / "问题清单.xlsx"
    wb.save(path)
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/tickets/import/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="检查文件").click()
    rows = page.locator("table.errors tbody tr")
    expect(rows).to_have_count(4)
    assert "未知的项目代码" in rows.first.inner_text()
    assert page.get_by_role("button", name="导入全部行").count() == 0
    shot("ticket-import-errors")


@pytest.fixture
def make_tickets(world):
    from greenlight.tickets import services

    old = datetime(2026, 9, 30, 16, tzinfo=TZ)
    for title in ("燃气管线迁改方案未定", "临时用地审批办理进度慢"):
        t = services.report(
            actor=world.users.company,
            project=world.project1,
            title=title,
            category="pipelines",
            reported_at=old,
        )
        services.assign(ticket=t, actor=world.users.coordinator, lead=world.eco)
    services.report(
        actor=world.users.coordinator,
        project=world.project2,
        title="施工围挡占道审批未办",
        category="site",
        channel="phone",
    )
