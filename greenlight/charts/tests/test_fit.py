"""Everything a chart writes stays inside its picture, and the axis' words do not overlap.

Text boxes are estimated as the layout estimates them (`layout.text_width`, by the CSS class's
font size), so these tests catch a label placed past the edge, not a font that runs wider.
"""

import dataclasses
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from greenlight.charts import coordination, draw, layout, views
from greenlight.charts.views import MatterInfo
from greenlight.engine.network import Actual, Bundle, Task
from greenlight.engine.schedule import schedule

from .helpers import CN, LABELS, VIEW_LABELS, big_plan, task

SVG = "{http://www.w3.org/2000/svg}"
PX = {"title": 18, "subtitle": 12, "summary": 15, "lane-name": 12.6, "month": 12.6,
      "daynum": 9, "makeup": 9, "holiday-name": 10, "slip": 10.5, "meeting-label": 10.5,
      "bundle-label": 10.5, "card-name": 12, "card-text": 10.5, "conc-label": 10, "check": 13,
      "legend": 11}  # fmt: skip
AXIS = {"month", "daynum", "holiday-name", "makeup", "today-label"}


def boxes(svg: str):
    """(class, text, left, right, top, bottom) of every <text>, and the viewBox's size."""
    root = ET.fromstring(svg)
    _, _, w, h = (float(v) for v in root.get("viewBox").split())
    out = []
    for t in root.iter(f"{SVG}text"):
        cls = (t.get("class") or "label").split()[0]
        px = PX.get(cls, layout.FONT_PX)
        width = float(t.get("textLength") or layout.text_width(t.text or "", px))
        x, y = float(t.get("x")), float(t.get("y"))
        left = {"middle": x - width / 2, "end": x - width}.get(t.get("text-anchor"), x)
        out.append((cls, t.text, left, left + width, y - px, y + px * 0.25))
    return out, w, h


def assert_inside(svg: str):
    texts, w, h = boxes(svg)
    outside = [(c, s, round(a), round(b)) for c, s, a, b, top, bot in texts
               if a < -0.5 or b > w + 0.5 or top < -0.5 or bot > h + 0.5]  # fmt: skip
    assert not outside, f"past the edge of {w:.0f}×{h:.0f}: {outside[:5]}"
    return texts


def assert_axis_clear(texts, gap: float = 1.5):
    axis = [t for t in texts if t[0] in AXIS]
    for i, a in enumerate(axis):
        for b in axis[i + 1 :]:
            same_line = abs(a[5] - b[5]) < 4
            assert not (same_line and a[2] < b[3] + gap and b[2] < a[3] + gap), (a[:2], b[:2])


def late_plan(days_on: int = 200):
    """A plan whose first matters started late and are still open long after: slips run to
    today, past the planned finish, where their marks were cut off."""
    tasks = [
        task("a", 5, dept="交通运输"),
        task("b", 10, "a", dept="水务"),
        task("c", 8, "b", dept="住建"),
        task("d", 1, "c", dept="住建"),
        task("e", 1, "d", dept="住建"),
    ]
    start = date(2025, 12, 8)
    today = start + timedelta(days=days_on)
    actuals = {"a": Actual(start + timedelta(days=3)), "b": Actual(start + timedelta(days=30))}
    result = schedule(tasks, start=start, calendar=CN, actuals=actuals, as_of=today)
    return tasks, result, today, actuals


@pytest.mark.parametrize("days_on", [40, 120, 200, 400])
@pytest.mark.parametrize("width", [1000.0, 1400.0])
def test_slip_marks_past_the_last_day_stay_inside(days_on, width):
    # given matters still open long after their plan, and today at the end of the axis
    tasks, result, today, actuals = late_plan(days_on)
    # when the combined chart is drawn
    chart = layout.layout(tasks, result, calendar=CN, labels=LABELS, today=today,
                          actuals=actuals, title="石岩片区新能源电池生产基地（6期）",
                          subtitle="2501-440306-36-03-108310", width=width)  # fmt: skip
    svg = draw.to_svg(chart)
    # then the slips are marked and every word lies inside the picture, at the width asked
    # (unless the days would get narrower than 3 px: then the picture grows, scaled on screen)
    assert 'class="slip"' in svg
    assert chart.width <= width + 1 or chart.day_width == 3.0
    texts = assert_inside(svg)
    # and every bar with its label and slip mark ends before the axis does
    end = chart.x(chart.last) + chart.day_width
    assert all(b.extent <= end for b in chart.bars)
    assert_axis_clear(texts)


@pytest.mark.parametrize(
    "start", [date(2025, 12, 8), date(2026, 9, 14), date(2026, 1, 19), date(2026, 4, 27)]
)
def test_axis_words_do_not_overlap_around_holidays(start):
    # given crowded plans across New Year, National Day with Mid-autumn, Spring Festival, May Day
    tasks = big_plan(n=30, lanes=6, seed=3)
    result = schedule(tasks, start=start, calendar=CN)
    # when drawn with today inside the span
    svg = draw.render(tasks, result, calendar=CN, labels=LABELS, today=start + timedelta(days=9))
    # then months, day numbers, holiday names, makeup marks and the today label stay apart
    assert_axis_clear(assert_inside(svg))
    assert "今天" in svg


def test_long_lane_names_wrap_within_the_left_margin():
    # given a short plan with a long title, its departments written out in full
    names = ["深圳市宝安区规划和自然资源局", "区政务服务数据管理局", "住建"]
    tasks = [task(f"t{i}", 5 + i, dept=n) for i, n in enumerate(names)]
    result = schedule(tasks, start=date(2026, 3, 2), calendar=CN)
    # when drawn
    svg = draw.render(tasks, result, calendar=CN, labels=LABELS, title="石岩片区新能源电池生产基地（6期）",
                      subtitle="2501-440306-36-03-108310")  # fmt: skip
    texts = assert_inside(svg)
    # then no lane name runs into the date axis
    lane_words = [t for t in texts if t[0] == "lane-name"]
    assert lane_words and all(t[3] <= layout.LEFT - 4 for t in lane_words)


def test_the_legend_keys_every_mark_drawn():
    # given a chart with slips, a finished matter, weekends, holidays, makeup days and today
    tasks, result, today, actuals = late_plan(120)
    actuals["a"] = Actual(actuals["a"].start, actuals["a"].start + timedelta(days=8))
    result = schedule(tasks, start=result.start, calendar=CN, actuals=actuals, as_of=today)
    svg = draw.render(tasks, result, calendar=CN, labels=LABELS, today=today, actuals=actuals)
    legend = {t[1] for t in boxes(svg)[0] if t[0] == "legend"}
    # then the legend names each of them
    assert {LABELS.planned, LABELS.critical, LABELS.forecast, LABELS.done, LABELS.slipped,
            LABELS.weekend, LABELS.holiday, LABELS.today} <= legend  # fmt: skip
    # and a chart without a today line or forecasts does not list them
    plain = draw.render(tasks[:2], schedule(tasks[:2], start=result.start, calendar=CN),
                        calendar=CN, labels=LABELS)  # fmt: skip
    words = {t[1] for t in boxes(plain)[0] if t[0] == "legend"}
    assert LABELS.today not in words and LABELS.slipped not in words


def test_views_stay_inside_with_bundles_and_meetings_at_the_end():
    # given a plan whose bundle and joint meeting fall on its last days
    tasks = [
        Task("a", 20, department="规资", name="国有建设用地使用权出让（招拍挂）"),
        *(
            dataclasses.replace(task(i, 3, "a", dept=d), name=f"{d}审批事项")
            for i, d in (("b", "住建"), ("c", "生态环境"))
        ),
    ]
    bundles = [
        Bundle("B1", ("b", "c"), 3, name="环评与排污许可联办（一口受理、同步审批、一次办结）")
    ]
    result = schedule(tasks, start=date(2026, 3, 2), calendar=CN, bundles=bundles)
    info = {"a": MatterInfo(stage="1"), "b": MatterInfo(stage="2"), "c": MatterInfo(stage="2")}
    stages = [("1", "用地规划许可"), ("2", "工程建设许可")]
    # when each view is drawn
    svgs = [
        coordination.coordination_svg(
            tasks, result, info, calendar=CN, stages=stages, labels=LABELS, words=VIEW_LABELS,
            bundles=[("B1", bundles[0].name, ("b", "c"))], title="测试",
        ),
        views.service_svg(tasks, result, info, stages=stages, labels=LABELS, words=VIEW_LABELS),
        views.push_svg(tasks, result, info, calendar=CN, labels=LABELS, words=VIEW_LABELS),
    ]  # fmt: skip
    # then every word is inside its picture
    for svg in svgs:
        assert_inside(svg)
    assert 'class="bundle-label"' in svgs[0] and 'class="meeting-label"' in svgs[0]
    # and the meetings' labels sit above the lanes, clear of the bars and their labels
    root = ET.fromstring(svgs[0])
    first_lane = min(float(r.get("y")) for r in root.iter(f"{SVG}rect")
                     if r.get("class", "").split()[:1] == ["lane"])  # fmt: skip
    meeting = [t for t in boxes(svgs[0])[0] if t[0] == "meeting-label"]
    assert meeting and all(t[5] <= first_lane for t in meeting)
