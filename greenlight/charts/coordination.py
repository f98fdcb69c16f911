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
from .layout import Labels, layout, summary, svg_text, text_width
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
    chart = layout((), pseudo, calendar=calendar, title=f"{words.coordination} · {title}",
                   subtitle=subtitle, today=today, lanes=list(dict.fromkeys(lanes)), labels=labels,
                   width=width)  # fmt: skip
    chart = dataclasses.replace(chart, summary=summary(result, labels), height=chart.height + 70)
    bottom = chart.lanes[-1].y + chart.lanes[-1].height
    extra = _concurrency(chart, result, bottom + 12, words)
    lane_y = {lane.name: lane for lane in chart.lanes}
    for k, (day, names) in enumerate(meetings(result, info, stages)):
        x, y = chart.x(day), chart.top + 4 + 16 * (k % 2)
        text = words.aside.format(text=words.meeting, note=words.list_sep.join(names))
        width_ = text_width(text, 10.5) + 8
        extra += [
            f'<line class="meeting-line" x1="{x:.1f}" y1="{chart.top:.1f}" x2="{x:.1f}" '
            f'y2="{bottom:.1f}"/>',
            f'<rect class="meeting-bg" x="{x + 6:.1f}" y="{y - 1:.1f}" width="{width_:.1f}" '
            f'height="14" rx="2"/>',
            f'<path class="meeting" d="M{x:.1f},{y - 1:.1f} l6,6 l-6,6 l-6,-6 z"/>',
            svg_text(x + 10, y + 10, text, "meeting-label"),
        ]
    res = {t.id: t for t in result.tasks}
    for code, name, members in bundles:
        rows = [res[m] for m in members if m in res]
        if not rows:
            continue
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
        extra.append(
            svg_text(
                x1 + 4, y1 - 4, words.field.format(label=words.bundle, value=name), "bundle-label"
            )
        )
    return to_svg(chart, extra=extra, style=VIEW_STYLE)


def _concurrency(chart, result: Schedule, y: float, words: ViewLabels) -> list[str]:
    """A histogram of how many departments work on each day."""
    out = [svg_text(8, y + 30, words.departments_at_once, "conc-label")]
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
    out.append(
        svg_text(
            chart.x(max(counts, key=counts.get)), y + 2, words.peak.format(n=peak), "conc-label"
        )
    )
    return out
