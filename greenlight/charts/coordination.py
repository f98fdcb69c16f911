"""The parallel-coordination view (并联协调) of the "3+1" views, as SVG.

Per department the spans when it is busy, how many departments work at once, where joint review
meetings sit and where bundles apply; drawn on the swimlane chart's date axis (`layout`, `draw`).
Pure Python.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from html import escape

from greenlight.engine.calendar import WorkCalendar
from greenlight.engine.network import Task
from greenlight.engine.schedule import Schedule, TaskResult

from .draw import to_svg
from .layout import LEFT, Labels, layout, summary, svg_text, text_width, wrap
from .views import VIEW_STYLE, MatterInfo, ViewLabels

__all__ = ["coordination_svg", "meetings"]


def _busy_blocks(result: Schedule, words: ViewLabels, other: str) -> list[TaskResult]:
    """Per department, its tasks merged into spans of continuous work (one pseudo task each)."""
    by_dept: dict[str, list[TaskResult]] = {}
    for t in result.tasks:
        by_dept.setdefault(t.department or other, []).append(t)
    out = []
    for dept, items in by_dept.items():
        items.sort(key=lambda t: t.early_start)
        group: list[TaskResult] = []
        for t in [*items, None]:
            if group and (
                t is None or t.early_start > max(g.early_finish for g in group) + timedelta(days=1)
            ):
                first, last = min(g.early_start for g in group), max(g.early_finish for g in group)
                ids = {g.bundle or g.id for g in group}
                out.append(
                    TaskResult(
                        f"{dept}#{len(out)}",
                        words.parallel.format(n=len(ids)),
                        dept,
                        (last - first).days + 1,
                        "day",
                        first,
                        last,
                        first,
                        last,
                        0,
                        any(g.critical for g in group),
                    )  # fmt: skip
                )
                group = []
            if t is not None:
                group.append(t)
    return out


def meetings(result: Schedule, info: Mapping[str, MatterInfo], stages: Sequence[tuple[str, str]]):
    """The days of joint review meetings, each with the stages it covers.

    A meeting sits at the first start of each stage that two or more departments handle (the
    five-step method's step 3, before simultaneous handling); stages starting the same day
    share one meeting.
    """
    by_day: dict[date, list[str]] = {}
    for key, label in stages:
        items = [t for t in result.tasks if info.get(t.id, MatterInfo()).stage == key]
        if len({t.department for t in items}) >= 2:
            by_day.setdefault(min(t.early_start for t in items), []).append(label)
    return sorted(by_day.items())


def coordination_svg(
    tasks: Sequence[Task],
    result: Schedule,
    info: Mapping[str, MatterInfo],
    *,
    calendar: WorkCalendar,
    stages: Sequence[tuple[str, str]],
    bundles: Sequence[tuple[str, str, tuple[str, ...]]] = (),
    title: str = "",
    subtitle: str = "",
    today: date | None = None,
    labels: Labels,
    words: ViewLabels,
    width: float = 1400.0,
) -> str:
    """Departments' busy spans on the date axis, departments at work per day, meetings, bundles."""
    blocks = _busy_blocks(result, words, labels.no_department)
    lanes = [
        t.department or labels.no_department
        for t in sorted(result.tasks, key=lambda t: t.early_start)
    ]
    pseudo = dataclasses.replace(result, tasks=tuple(blocks))
    found = meetings(result, info, stages)
    band = 4 + 16 * min(2, len(found)) if found else 0.0  # the meetings' labels, above the lanes
    chart = layout((), pseudo, calendar=calendar, title=f"{words.coordination} · {title}",
                   subtitle=subtitle, today=today, lanes=list(dict.fromkeys(lanes)), labels=labels,
                   width=width,
                   legend=(words.meeting, words.bundle, words.departments_at_once),
                   band=band)  # fmt: skip
    chart = dataclasses.replace(chart, summary=summary(result, labels), height=chart.height + 70)
    bottom = chart.lanes[-1].y + chart.lanes[-1].height
    end = chart.x(chart.last) + chart.day_width
    extra = _concurrency(chart, result, bottom + 12, words)
    lane_y = {lane.name: lane for lane in chart.lanes}
    taken: list[list[tuple[float, float]]] = [[], []]
    for k, (day, names) in enumerate(found):
        x = chart.x(day)
        text = words.aside.format(text=words.meeting, note=words.list_sep.join(names))
        width_ = text_width(text, 10.5) + 8
        box = x + 6 if x + 6 + width_ <= end else max(LEFT, x - 6 - width_)
        span = (min(x - 6, box), max(x + 6, box + width_))
        free = [
            i
            for i, row in enumerate(taken)
            if all(span[1] + 3 <= a or b + 3 <= span[0] for a, b in row)
        ]
        row = free[0] if free else k % 2
        taken[row].append(span)
        y = chart.top - band + 4 + 16 * row
        extra += [
            f'<line class="meeting-line" x1="{x:.1f}" y1="{y + 5:.1f}" x2="{x:.1f}" '
            f'y2="{bottom:.1f}"/>',
            f'<rect class="meeting-bg" x="{box:.1f}" y="{y - 1:.1f}" width="{width_:.1f}" '
            f'height="14" rx="2"/>',
            f'<path class="meeting" d="M{x:.1f},{y - 1:.1f} l6,6 l-6,6 l-6,-6 z"/>',
            svg_text(box + 4, y + 10, text, "meeting-label"),
        ]
    res = {t.id: t for t in result.tasks}
    drawn_bundles = 0
    for code, name, members in bundles:
        rows = [res[m] for m in members if m in res]
        if not rows:
            continue
        drawn_bundles += 1
        ys = [lane_y[r.department or labels.no_department] for r in rows]
        x0, x1 = (
            chart.x(rows[0].early_start) - 3,
            chart.x(rows[0].early_finish) + chart.day_width + 3,
        )
        y0, y1 = min(ln.y for ln in ys) + 2, max(ln.y + ln.height for ln in ys) - 2
        extra.append(
            f'<rect class="bundle-box" data-bundle="{escape(code)}" x="{x0:.1f}" y="{y0:.1f}" '
            f'width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" rx="5"/>'
        )
        text = words.field.format(label=words.bundle, value=name)
        tw = text_width(text, 10.5)
        if x1 + 4 + tw <= end:
            extra.append(svg_text(x1 + 4, y1 - 4, text, "bundle-label"))
        elif x0 - 4 - tw >= LEFT:
            extra.append(svg_text(x0 - 4, y1 - 4, text, "bundle-label", "end"))
        else:  # no room on either side: under the box's top edge, from the axis' left end
            extra.append(
                svg_text(max(LEFT + 2, min(x0 + 4, end - tw)), y0 + 12, text, "bundle-label")
            )
    legend = []
    if found:
        legend.append(('<path class="meeting" d="M{xm},{y0} l6,6 l-6,6 l-6,-6 z"/>', words.meeting))
    if drawn_bundles:
        legend.append(
            (
                '<rect class="bundle-box" x="{x}" y="{y0}" width="22" height="10" rx="3"/>',
                words.bundle,
            )
        )
    legend.append(
        ('<rect class="conc" x="{x}" y="{y0}" width="22" height="10"/>', words.departments_at_once)
    )
    return to_svg(chart, extra=extra, style=VIEW_STYLE, legend=legend)


def _concurrency(chart, result: Schedule, y: float, words: ViewLabels) -> list[str]:
    """A histogram of how many departments work on each day."""
    lines = wrap(words.departments_at_once, LEFT - 14, 10)
    out = [svg_text(8, y + 30 + 12 * (n - (len(lines) - 1) / 2), line, "conc-label")
           for n, line in enumerate(lines)]  # fmt: skip
    d = chart.first
    counts = {}
    while d <= chart.last:
        counts[d] = len(
            {t.department for t in result.tasks if t.early_start <= d <= t.early_finish}
        )
        d += timedelta(days=1)
    peak = max(counts.values()) or 1
    for day, n in counts.items():
        if n:
            h = 40 * n / peak
            out.append(
                f'<rect class="conc" x="{chart.x(day):.1f}" y="{y + 44 - h:.1f}" '
                f'width="{chart.day_width:.1f}" height="{h:.1f}"><title>{day.isoformat()}: {n}</title></rect>'
            )
    text = words.peak.format(n=peak)
    end = chart.x(chart.last) + chart.day_width
    x = min(chart.x(max(counts, key=counts.get)), end - text_width(text, 10))
    out.append(svg_text(x, y + 2, text, "conc-label"))
    return out
