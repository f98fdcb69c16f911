"""The provisional year in headless Chromium: the banner on an approval due in 2027, then the
administrator entering the 2027 notice and the list of what moved."""

import pytest

from greenlight.catalog.tests.calendar_fixtures import build_calendar_world

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cal(world):
    return build_calendar_world(world)


def test_the_banner_says_the_2027_due_date_is_provisional(live_server, page, shot, cal):
    # given the approver on its approval due in 2027
    login(page, live_server.url, "approver")
    page.goto(f"{live_server.url}/approvals/{cal.late.pk}/")
    # then the banner says why the date is provisional
    banner = page.locator(".provisional-calendar")
    assert banner.is_visible()
    assert "2027 年为暂定工作日历" in banner.inner_text()
    assert "不推测调休上班日" in banner.inner_text()
    shot("calendar-provisional-banner")
    # and the work queue marks the row
    page.goto(f"{live_server.url}/approvals/")
    assert page.locator("small.provisional").count() == 1
    shot("calendar-provisional-queue")
    # and an approval due in 2026 has none
    page.goto(f"{live_server.url}/approvals/{cal.national_day.pk}/")
    assert page.locator(".provisional-calendar").count() == 0
    # and the plan chart of the project marks the provisional holidays of 2027
    page.goto(f"{live_server.url}/projects/{cal.late.project_id}/charts/combined/")
    assert page.locator(".provisional-calendar").is_visible()
    assert page.locator("#chart svg rect.off.holiday.provisional").count() == 1 + 4 + 1  # legend
    shot("calendar-provisional-chart")


def test_the_administrator_enters_the_notice_and_sees_what_moved(live_server, page, shot, cal):
    # given the administrator on the calendar page, 2027 provisional
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/calendar/")
    assert page.locator("tr.year-2027.provisional").is_visible()
    shot("calendar-overview")
    # when the 2027 notice is entered from the prefilled provisional rows
    page.locator("tr.year-2027").get_by_role("link", name="录入放假通知").click()
    assert page.input_value("input[name='h-1-start']") == "2027-02-05"
    page.fill("input[name='h-0-end']", "2027-01-03")
    page.fill("input[name='h-1-end']", "2027-02-12")
    page.fill("input[name='m-0-day']", "2027-02-20")
    page.fill("input[name='m-0-name']", "春节")
    shot("calendar-notice")
    page.get_by_role("button", name="录入通知并重算").click()
    page.wait_for_load_state()
    # then the page that follows lists the moved due date, the ticket and the forecast
    assert "/calendar/changes/" in page.url
    approvals = page.locator("table.moved-approval")
    assert "鹏鼎园区扩建项目 · 环境影响评价报告表审批" in approvals.inner_text()
    assert "2027-02-11" in approvals.inner_text() and "2027-02-17" in approvals.inner_text()
    assert page.locator("table.moved-ticket tbody tr").count() == 3
    assert page.locator("table.moved-project tbody tr").count() >= 1
    shot("calendar-moved")
    # and the department's approver finds it in the inbox
    page.context.clear_cookies()
    login(page, live_server.url, "approver")
    page.goto(f"{live_server.url}/notifications/")
    assert "2027-02-11 → 2027-02-17" in page.content()
    shot("calendar-inbox")
