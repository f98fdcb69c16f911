"""A full five-step joint review in Chromium: issue the list, early opinions, the meeting with
its minutes and .ics, the synchronous-handling board, and the time-limited feedback."""

from datetime import timedelta

import pytest
from django.utils import timezone

from greenlight.reviews.models import ActionItem, Batch, Meeting, Opinion
from tests import factories as f

from .conftest import SHOTS, expect, login

pytestmark = pytest.mark.django_db(transaction=True)


def _as(browser, base: str, username: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    pg = context.new_page()
    login(pg, base, username)
    return context, pg


def test_a_full_five_step_batch(live_server, browser, world, tmp_path):
    base = live_server.url
    water_matter = f.MatterFactory(department_kind="water", name="排水许可")
    f.ApprovalFactory(project=world.project2, matter=water_matter, department=world.water)
    shots = SHOTS
    shots.mkdir(parents=True, exist_ok=True)

    # 1. the coordinator ticks two projects and issues the list
    coord_ctx, coord = _as(browser, base, "coordinator")
    coord.goto(f"{base}/reviews/new/?stage=")
    coord.fill("#id_title", "2026年第一批联审联批项目清单")
    coord.check(f"input[name=project][value='{world.project1.pk}']")
    coord.check(f"input[name=project][value='{world.project2.pk}']")
    assert coord.get_by_text("已选: 2").is_visible()
    coord.screenshot(path=str(shots / "reviews-picker.png"), full_page=True)
    coord.click("button.primary")
    coord.wait_for_load_state()
    batch = Batch.objects.get()
    assert coord.url.endswith(f"/reviews/{batch.pk}/")
    assert coord.get_by_text("清单已下发至 2 个部门。").is_visible()

    # 2. the ecology approver sees the batch and records its opinion; water's is still missing
    eco_ctx, eco = _as(browser, base, "approver")
    eco.goto(f"{base}/reviews/{batch.pk}/opinions/")
    row = eco.locator("form.opinion-form").first
    row.locator("select[name=kind]").select_option("guidance")
    row.locator("input[name=text]").fill("建议先行开展环评公示")
    row.locator("button").click()
    eco.wait_for_load_state()
    expect(eco.get_by_text("意见已提交")).to_be_visible()
    assert Opinion.objects.get(department=world.eco).kind == "guidance"
    eco.goto(f"{base}/reviews/{batch.pk}/opinions/?department=&pending=1")
    assert eco.locator("tr.not-in").count() == 1  # water's, visible to ecology too
    eco.screenshot(path=str(shots / "reviews-opinions.png"), full_page=True)

    # 3. the coordinator schedules the meeting, records the minutes and an action item
    coord.goto(f"{base}/reviews/{batch.pk}/meetings/new/")
    when = timezone.localtime() + timedelta(days=2)
    coord.fill("#id_starts_at", when.strftime("%Y-%m-%dT10:00"))
    coord.fill("#id_place", "区政府第一会议室")
    coord.click("button.primary")
    coord.wait_for_load_state()
    meeting = Meeting.objects.get()
    assert coord.get_by_text("会议已安排").is_visible()
    coord.select_option(f"select[name=outcome_{world.project1.pk}]", "conditions")
    coord.fill(f"input[name=text_{world.project1.pk}]", "环评公示后同步办理")
    coord.fill("textarea[name=summary]", "逐项研究了审批堵点。")
    coord.click("form.minutes button.primary")
    coord.wait_for_load_state()
    add = coord.locator("form.add-item")
    add.locator("select[name=department]").select_option(str(world.eco.pk))
    add.locator("select[name=project]").select_option(str(world.project1.pk))
    add.locator("input[name=text]").fill("三个工作日内出具环评审查意见")
    add.locator("input[name=due]").fill((when + timedelta(days=5)).strftime("%Y-%m-%d"))
    add.locator("button").click()
    coord.wait_for_load_state()
    expect(coord.get_by_text("任务已添加。")).to_be_visible()
    coord.screenshot(path=str(shots / "reviews-meeting.png"), full_page=True)

    # the ecology department downloads its invitation
    eco.goto(f"{base}/reviews/meetings/{meeting.pk}/")
    with eco.expect_download() as download:
        eco.click("a[download]")
    ics = download.value.path().read_bytes()
    assert b"BEGIN:VEVENT" in ics and "区政府第一会议室".encode() in ics

    # 4. the board shows each project's approvals by department, with links to act
    coord.goto(f"{base}/reviews/{batch.pk}/board/")
    assert coord.locator("a.ap").count() == 2
    coord.screenshot(path=str(shots / "reviews-board.png"), full_page=True)

    # 5. ecology feeds back on its action item in time; the coordinator sees it
    eco.goto(f"{base}/reviews/{batch.pk}/feedback/")
    eco.fill("textarea[name=feedback]", "已出具审查意见")
    eco.click("form.feedback-form button")
    eco.wait_for_load_state()
    assert ActionItem.objects.get().feedback == "已出具审查意见"
    coord.goto(f"{base}/reviews/{batch.pk}/feedback/")
    assert coord.get_by_text("按时反馈").first.is_visible()
    coord.screenshot(path=str(shots / "reviews-feedback.png"), full_page=True)
    coord.goto(f"{base}/reviews/{batch.pk}/")
    coord.screenshot(path=str(shots / "reviews-batch.png"), full_page=True)

    # the project owner sees the decision on its own project, nothing of the batch
    owner_ctx, owner = _as(browser, base, "company1")
    assert owner.goto(f"{base}/reviews/{batch.pk}/").status == 403
    owner.goto(f"{base}/reviews/decisions/")
    assert owner.get_by_text("附条件办理").is_visible()
    owner.screenshot(path=str(shots / "reviews-decisions-company.png"), full_page=True)
    for ctx in (coord_ctx, eco_ctx, owner_ctx):
        ctx.close()
