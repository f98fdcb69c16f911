"""Supervision notices as people use them: the coordinator issues one from a late approval's
page, the department answers it on the notice's page, the list shows it answered."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from greenlight.approvals import services as approvals

from .conftest import expect, login

pytestmark = pytest.mark.django_db(transaction=True)
TZ = ZoneInfo("Asia/Shanghai")


def test_coordinator_issues_and_the_department_replies(live_server, page, shot, world):
    base = live_server.url
    a = world.approval1
    moment = datetime(2026, 9, 30, 10, tzinfo=TZ)
    approvals.transition(approval=a, action="submit", actor=world.users.company, at=moment)
    approvals.transition(approval=a, action="accept", actor=world.users.approver, at=moment)
    # the coordinator issues a notice from the approval's page
    login(page, base, "coordinator")
    page.goto(f"{base}/approvals/{a.pk}/")
    assert page.get_by_role("heading", name="签发督办单").is_visible()
    page.get_by_label("督办要求").fill("该事项已超过承诺时限，请于两个工作日内办结并书面回复。")
    page.get_by_label("回复时限（工作日）").fill("2")
    shot("supervision-issue-form")
    page.get_by_role("button", name="签发").click()
    expect(page.get_by_text("督办单已签发。")).to_be_visible()
    assert page.get_by_role("heading", name="督办单").is_visible()
    assert page.locator("h1 .status").inner_text() == "待回复"
    url = page.url
    shot("supervision-issued")
    # an empty reply is refused naming the field, then the department answers
    page.context.clear_cookies()
    login(page, base, "approver")
    page.goto(url)
    page.get_by_role("button", name="提交回复").click()  # the browser refuses the empty field
    assert page.url == url
    page.get_by_label("回复").fill("已安排专人对接企业，明日出具审查意见。")
    page.get_by_role("button", name="提交回复").click()
    expect(page.get_by_text("回复已记录。")).to_be_visible()
    assert page.get_by_text("已安排专人对接企业，明日出具审查意见。").is_visible()
    assert page.locator("h1 .status").inner_text() == "已回复"
    shot("supervision-replied")
    # the coordinator's list shows it answered, and the approval's page links it
    page.context.clear_cookies()
    login(page, base, "coordinator")
    page.goto(f"{base}/supervision/")
    row = page.locator("table.notices tbody tr").first
    assert "已回复" in row.inner_text() and "环境影响评价报告表审批" in row.inner_text()
    shot("supervision-list")
    page.goto(f"{base}/approvals/{a.pk}/")
    assert page.get_by_role("heading", name="督办单", exact=True).is_visible()
    assert page.get_by_role("link", name="该事项已超过承诺时限").is_visible()
    shot("supervision-on-approval")
