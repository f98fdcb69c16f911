"""The swimlane chart's layout and SVG: lanes, sub-rows, critical path, shaded days, header."""

import dataclasses
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from greenlight.charts import draw, layout
from greenlight.engine.network import Actual
from greenlight.engine.schedule import schedule

from .helpers import CN, LABELS, big_plan, task

SVG = "{http://www.w3.org/2000/svg}"


def overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_no_two_bars_of_one_lane_overlap_with_60_matters_in_10_lanes():
    # given a crowded plan of 60 matters in 10 lanes
    tasks = big_plan()
    result = schedule(tasks, start=date(2026, 9, 1), calendar=CN)
    # when it is laid out
    chart = layout.layout(tasks, result, calendar=CN, labels=LABELS, title="测试")
    # then every matter has one bar, in its department's lane
    assert len(chart.bars) == 60 and len(chart.lanes) == 10
    assert all(b.lane == f"部门{b.id[1:] and int(b.id[1:]) % 10}" for b in chart.bars)
    # and within a sub-row, no bar (with its label) overlaps another
    for lane in chart.lanes:
        mine = [b for b in chart.bars if b.lane == lane.name]
        for a in mine:
            for b in mine:
                if a is not b and a.row == b.row:
                    assert not overlaps((a.x, a.extent), (b.x, b.extent)), (a.id, b.id)
        # and the sub-rows stay inside the lane
        assert all(lane.y <= b.y and b.y + layout.BAR <= lane.y + lane.height for b in mine)


def test_svg_bars_do_not_overlap_on_screen():
    # given the crowded plan drawn as SVG
    tasks = big_plan(seed=11)
    result = schedule(tasks, start=date(2026, 9, 1), calendar=CN)
    svg = draw.render(tasks, result, calendar=CN, labels=LABELS, title="测试")
    # when the bar rectangles are read back
    rects = [
        (float(r.get("x")), float(r.get("y")), float(r.get("width")))
        for r in ET.fromstring(svg).iter(f"{SVG}rect")
        if "bar" in r.get("class", "").split() and r.get("data-task")
    ]
    # then there is one per matter and no two rectangles intersect
    assert len(rects) == 60
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            same_row = abs(a[1] - b[1]) < layout.BAR
            assert not (same_row and overlaps((a[0], a[0] + a[2]), (b[0], b[0] + b[2])))


def test_critical_path_is_marked_on_bars_and_arrows():
    # given a → b → d (long) and a → c (short)
    tasks = [
        task("a", 3, dept="发改"),
        task("b", 10, "a", dept="规资"),
        task("c", 2, "a", dept="住建"),
        task("d", 5, "b", dept="住建"),
    ]
    result = schedule(tasks, start=date(2026, 3, 2), calendar=CN)
    # when drawn
    root = ET.fromstring(draw.render(tasks, result, calendar=CN, labels=LABELS))
    # then the critical bars carry the class, the others do not
    crit = {
        r.get("data-task")
        for r in root.iter(f"{SVG}rect")
        if r.get("data-task") and "critical" in r.get("class").split()
    }
    assert crit == {"a", "b", "d"}
    # and the arrows between critical tasks are highlighted too
    arrows = {
        (p.get("data-from"), p.get("data-to")): p.get("class")
        for p in root.iter(f"{SVG}path")
        if p.get("data-from")
    }
    assert "critical" in arrows[("a", "b")] and "critical" in arrows[("b", "d")]
    assert "critical" not in arrows[("a", "c")]


def test_non_working_days_are_shaded_and_holidays_named():
    # given a plan across National Day 2026 (10-01..10-07, makeup workday 10-10)
    tasks = [task("a", 25, dept="规资")]
    result = schedule(tasks, start=date(2026, 9, 21), calendar=CN)
    # when drawn
    chart = layout.layout(tasks, result, calendar=CN, labels=LABELS)
    svg = draw.to_svg(chart)
    root = ET.fromstring(svg)
    shaded = {
        r.get("class") for r in root.iter(f"{SVG}rect") if r.get("class", "").startswith("off")
    }
    kinds = {d.day: d.kind for d in chart.days}
    # then weekends and holidays are shaded, working days are not
    assert kinds[date(2026, 10, 11)] == "weekend"
    assert kinds[date(2026, 10, 5)] == "holiday"
    assert date(2026, 9, 22) not in kinds and date(2026, 10, 9) not in kinds
    assert {"off weekend", "off holiday"} <= shaded
    # and the holiday's name and the makeup working day are on the axis
    assert "国庆节" in svg and "中秋节" in svg and kinds[date(2026, 10, 10)] == "makeup_workday"


def test_header_today_line_and_slips():
    # given a plan with a task that started late
    tasks = [task("a", 5, dept="规资"), task("b", 5, "a", dept="住建")]
    actuals = {"a": Actual(date(2026, 3, 9))}
    result = schedule(
        tasks, start=date(2026, 3, 2), calendar=CN, actuals=actuals, as_of=date(2026, 3, 12)
    )
    # when drawn with today
    chart = layout.layout(
        tasks,
        result,
        calendar=CN,
        labels=LABELS,
        title="新桥东",
        today=date(2026, 3, 12),
        actuals=actuals,
    )
    svg = draw.to_svg(chart)
    # then the header has the serial vs parallel line, a today line is drawn, slips are marked
    assert f"串联 {result.serial.days} 天 → 并联 {result.parallel.days} 天" in svg
    assert chart.today_x is not None and 'class="today"' in svg
    slipped = {b.id: b.slip_days for b in chart.bars}
    assert slipped["a"] > 0 and f"+{slipped['a']}天" in svg


@pytest.mark.parametrize("words", [LABELS, dataclasses.replace(LABELS, today="Today & <now>")])
def test_svg_is_well_formed_xml(words):
    tasks = big_plan(n=12, lanes=3)
    result = schedule(tasks, start=date(2026, 1, 5), calendar=CN)
    svg = draw.render(tasks, result, calendar=CN, title="A & <B>", labels=words)
    assert ET.fromstring(svg).tag == f"{SVG}svg"


def test_holiday_names_are_the_callers():
    # given a plan across National Day and labels naming the holidays in English
    tasks = [task("a", 25, dept="x")]
    result = schedule(tasks, start=date(2026, 9, 21), calendar=CN)
    names = {"国庆节": "National Day", "中秋节": "Mid-autumn Festival"}
    words = dataclasses.replace(LABELS, holiday_names=names)
    # when drawn
    svg = draw.render(tasks, result, calendar=CN, labels=words)
    # then the axis names them as the caller said
    assert "National Day" in svg and "Mid-autumn Festival" in svg and "国庆节" not in svg


def test_a_chart_reaching_into_a_provisional_year_marks_its_holidays():
    # given a plan over 春节 2027 (decree holidays only, no notice yet) and one in 2026
    tasks = [task("a", 10)]
    chart = layout.layout(
        tasks, schedule(tasks, start=date(2027, 2, 1), calendar=CN), calendar=CN, labels=LABELS
    )
    earlier = layout.layout(
        tasks, schedule(tasks, start=date(2026, 9, 28), calendar=CN), calendar=CN, labels=LABELS
    )
    # then the 2027 holidays are provisional and the notes say so, in the caller's words
    marked = [d.day for d in chart.days if d.provisional]
    assert marked == [date(2027, 2, d) for d in (5, 6, 7, 8)]
    assert chart.provisional_years == (2027,)
    assert "2027 年日历暂定" in chart.notes
    svg = draw.to_svg(chart)
    assert "春节（暂定）" in svg and "暂定节假日（待国务院放假通知）" in svg
    # and the official National Day of 2026 is not
    assert not any(d.provisional for d in earlier.days) and earlier.provisional_years == ()
    assert "暂定" not in draw.to_svg(earlier)
