"""Plan charts in headless Chromium: the 3+1 views, live recompute in the editor, 拿地即开工."""

import pytest

from greenlight.plans.tests.plan_fixtures import build_plan_world

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan(world):
    return build_plan_world(world)


@pytest.mark.parametrize("view", ["combined", "service", "push", "coordination"])
def test_each_view_draws_the_plan(live_server, page, shot, plan, view):
    login(page, live_server.url, "approver")
    page.goto(f"{live_server.url}/projects/{plan.project.pk}/charts/{view}/")
    assert page.locator("#chart svg").count() == 1
    assert "串联" in page.locator("#chart svg text.summary").first.text_content()
    assert page.get_by_role("button", name="打印 / PDF").is_visible()
    shot(f"plan-{view}")


def test_editing_recomputes_live_and_saves_a_version(live_server, page, shot, plan):
    # given the coordinator in the editor
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/projects/{plan.project.pk}/plan/edit/")
    before = page.locator("#plan-summary").inner_text()
    # when B is shortened to 1 working day
    with page.expect_response(lambda r: "/plan/edit/" in r.url and r.request.method == "POST"):
        page.fill("input[name='dur_B-1']", "1")
        page.locator("input[name='dur_B-1']").dispatch_event("change")
    page.wait_for_function(
        "before => document.querySelector('#plan-summary').innerText !== before", arg=before
    )
    # then the summary and chart follow without a page load
    assert page.locator("#preview svg").count() == 1
    shot("plan-edit")
    # and a cycle is refused naming the matters
    with page.expect_response(lambda r: "/plan/edit/" in r.url):
        page.fill("input[name='after_A-1']", "D-1")
        page.locator("input[name='after_A-1']").dispatch_event("change")
    page.locator("#plan-error").wait_for()
    assert "甲事项" in page.locator("#plan-error").inner_text()


def test_company_sees_its_checklist_and_land_verdict(live_server, page, shot, plan):
    login(page, live_server.url, "company1")
    page.goto(f"{live_server.url}/projects/{plan.project.pk}/charts/backward/?land=2026-03-10")
    assert page.locator(".verdict.late").first.is_visible()
    assert page.get_by_text("须在拿地前开始").first.is_visible()
    shot("plan-backward")
