"""Every board, chart and the wall screen fit their frames at 1440×900 and 1920×1080, on the
demo district: nothing wider than its box, no label outside its picture, cut short or on top of
another; the wall fits one 1920×1080 screen and updates itself in place."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from greenlight.demo.district import PASSWORD  # the demo's

from .conftest import SHOTS, login

pytestmark = pytest.mark.django_db(transaction=True)

FIT = (Path(__file__).parent / "fit.js").read_text()
SIZES = [(1440, 900), (1920, 1080)]


@pytest.fixture
def demo():
    """A small demo district (all of its pages have data), built for today."""
    call_command("demo", "--projects", "40", stdout=StringIO(), stderr=StringIO())
    from greenlight.catalog.models import Template
    from greenlight.projects.models import Project
    from greenlight.reviews.models import Batch

    major = (
        Project.objects.filter(
            is_major=True, stage="approval", approvals__accepted_at__isnull=False
        )
        .distinct()
        .order_by("pk")
        .first()
    )
    return {
        "batches": list(Batch.objects.order_by("pk").values_list("pk", flat=True)),
        "major": major.pk,
        "template": Template.objects.order_by("code").values_list("code", flat=True).first(),
    }


def pages(demo) -> list[tuple[str, str, str]]:
    """(user, name, path) of every board and chart page."""
    p, t = demo["major"], demo["template"]
    return [
        ("leader", "dashboard", "/analytics/"),
        ("coordinator", "bottlenecks", "/analytics/bottlenecks/"),
        ("coordinator", "scorecards", "/analytics/scorecards/"),
        ("coordinator", "ticket-figures", "/tickets/figures/"),
        ("coordinator", "pipeline-targets", "/pipeline/"),
        ("coordinator", "pipeline-matching", "/pipeline/matching/"),
        ("coordinator", "reforms", "/reforms/"),
        *[("coordinator", f"board-{b}", f"/reviews/{b}/board/") for b in demo["batches"]],
        *[
            ("approver", f"plan-{view}", f"/projects/{p}/charts/{view}/")
            for view in ("combined", "service", "push", "coordination", "backward")
        ],
        ("coordinator", "template-coordination", f"/templates/{t}/coordination/"),
    ]


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')].every(c => c.dataset.ready === '1')"
    )


def test_every_board_and_chart_fits_its_frame_with_a_legend(live_server, browser, demo):
    base = live_server.url
    problems = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        contexts = {}
        for user, name, path in pages(demo):
            if user not in contexts:
                ctx = browser.new_context(viewport={"width": width, "height": height})
                contexts[user] = ctx.new_page()
                login(contexts[user], base, user, PASSWORD)
            page = contexts[user]
            # given the page at this size / when it is drawn
            assert page.goto(base + path).status == 200, path
            settle(page)
            page.screenshot(path=str(SHOTS / f"layout-{name}-{width}.png"), full_page=True)
            # then nothing runs past its frame
            problems += [f"{name} at {width}×{height}: {p}" for p in page.evaluate(FIT)]
        for pg in contexts.values():
            pg.context.close()
    assert not problems, "\n".join(problems)
    # and the legends name every colour drawn: the board's dots, one entry per kind of light
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    page = ctx.new_page()
    login(page, base, "coordinator", PASSWORD)
    page.goto(f"{base}/reviews/{demo['batches'][0]}/board/")
    shown = set(page.eval_on_selector_all(".board .light", "els => els.map(e => e.classList[1])"))
    keyed = set(
        page.eval_on_selector_all(".board-key .light", "els => els.map(e => e.classList[1])")
    )
    assert shown and shown <= keyed == {"red", "yellow", "green", "paused", "done", "waiting"}
    # the pipeline's bars
    page.goto(f"{base}/pipeline/")
    assert page.locator("ul.legend .swatch").count() == 3
    # the plan chart, with the slips it marks
    page.goto(f"{base}/projects/{demo['major']}/charts/combined/")
    legend = page.eval_on_selector_all(
        "#chart svg text.legend", "els => els.map(e => e.textContent)"
    )
    assert {"计划", "关键路径", "周末", "节假日"} <= set(legend)
    if page.locator("#chart svg text.slip").count():
        assert "延误" in legend
    ctx.close()


def test_wall_fits_one_screen_and_refreshes_in_place(live_server, browser, demo):
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    login(page, live_server.url, "leader", PASSWORD)
    navigations = []
    # given the wall screen, refreshing every 2 seconds instead of 5 minutes
    page.goto(f"{live_server.url}/analytics/?wall=1&refresh=2")
    settle(page)
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    # then it fits one screen: no scrolling, no card cut at its bottom, nothing too wide
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    cut = page.evaluate(
        "() => [...document.querySelectorAll('.wall .card, .wall .tile')]"
        ".filter(c => c.scrollHeight > c.clientHeight + 1).map(c => c.className)"
    )
    assert not cut
    assert page.evaluate(FIT) == []
    assert page.locator("#dash-updated").inner_text().startswith("更新于 ")
    page.screenshot(path=str(SHOTS / "layout-wall-1920.png"))
    # when a refresh comes round: the page stays, the time and the figures are put in place
    page.evaluate(
        """() => { window.__same_page = true; const t = document.querySelector('#dash-updated time');
        t.textContent = '--:--'; t.setAttribute('datetime', 'before');
        window.__funnel = echarts.getInstanceByDom(document.getElementById('c-funnel')); }"""
    )
    page.wait_for_function(
        "() => document.querySelector('#dash-updated time').textContent !== '--:--'", timeout=10000
    )
    time = page.locator("#dash-updated time")
    assert time.inner_text().count(":") == 1 and time.get_attribute("datetime") != "before"
    assert page.evaluate("window.__same_page === true") and not navigations
    assert page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('c-funnel')) === window.__funnel"
    )
    assert int(page.locator(".dash.wall").get_attribute("data-refreshed")) >= 1
    # and the hook refreshes at once, returning the figures
    figures = page.evaluate("window.GreenlightDashboard.refresh().then(j => j.charts.funnel)")
    assert [s["stage"] for s in figures] == [
        s["stage"]
        for s in page.evaluate(
            "JSON.parse(document.getElementById('charts-data').textContent).funnel"
        )
    ]
    assert page.evaluate(FIT) == [] and not navigations
    ctx.close()
