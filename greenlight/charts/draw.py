"""Drawing of the swimlane chart laid out by `layout.layout`: SVG with shaded non-working days,
holiday names, prerequisite arrows, the critical path, a today line and slips. Pure Python."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from html import escape

from greenlight.engine.calendar import HOLIDAY, MAKEUP_WORKDAY, WorkCalendar
from greenlight.engine.network import Task
from greenlight.engine.schedule import Schedule

from .layout import (
    BAR,
    FONT,
    FONT_PX,
    FOOT,
    HEAD,
    LEFT,
    RIGHT,
    Arrow,
    Bar,
    Chart,
    Labels,
    OffDay,
    layout,
    svg_text,
    text_width,
)

# -- drawing ------------------------------------------------------------------------------------

STYLE = f"""
text {{ font-family: {FONT}; font-size: {FONT_PX}px; fill: #1f2933; }}
.title {{ font-size: 18px; font-weight: 700; }} .subtitle {{ fill: #6b7785; font-size: 12px; }}
.summary {{ font-size: 15px; font-weight: 700; fill: #1a7f4b; }} .note {{ fill: #6b7785; }}
.lane {{ fill: #ffffff; stroke: #d9dee4; }} .lane.alt {{ fill: #f7f9fb; }}
.lane-name {{ font-size: 12px; font-weight: 700; }}
.off.weekend {{ fill: #eceff3; }} .off.holiday {{ fill: #fde2df; }}
.makeup {{ fill: #1f5f9e; font-size: 9px; }} .holiday-name {{ fill: #c0392b; font-size: 10px; }}
.month {{ font-size: 12px; font-weight: 700; }} .tick {{ stroke: #c3cad3; }} .daynum {{ font-size: 9px; fill: #6b7785; }}
.bar {{ fill: #cfe8da; stroke: #1a7f4b; stroke-width: 1; }} .bar.critical {{ fill: #f8d3cf; stroke: #c0392b; stroke-width: 1.6; }}
.bar.milestone {{ fill: #1a7f4b; }} .bar.critical.milestone {{ fill: #c0392b; }}
.label.critical {{ fill: #a93226; font-weight: 700; }}
.fc {{ fill: #6b7785; }} .fc.done {{ fill: #1f2933; }} .fc.slipped {{ fill: #c0392b; }}
.slip {{ fill: #c0392b; font-size: 10px; font-weight: 700; }}
.arrow {{ fill: none; stroke: #8795a5; stroke-width: 1; }} .arrow.ss {{ stroke-dasharray: 3 2; }}
.arrow.critical {{ stroke: #c0392b; stroke-width: 1.6; }}
.today {{ stroke: #1f5f9e; stroke-width: 1.6; stroke-dasharray: 5 3; }} .today-label {{ fill: #1f5f9e; font-weight: 700; }}
.legend {{ font-size: 11px; }}
"""


def to_svg(chart: Chart, *, extra: Sequence[str] = (), style: str = "") -> str:
    """The chart as a standalone SVG document.

    `extra`: elements drawn over the bars, with their own `style`.
    """
    w, h = chart.width, chart.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
        f'viewBox="0 0 {w:.0f} {h:.0f}" class="flowchart" role="img">',
        f"<title>{escape(chart.title)} {escape(chart.summary)}</title>",
        f"<style>{STYLE}{style}</style>",
        '<defs><marker id="ah" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#8795a5"/></marker>'
        '<marker id="ahc" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" '
        'orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#c0392b"/></marker></defs>',
        f'<rect x="0" y="0" width="{w:.0f}" height="{h:.0f}" fill="#fff"/>',
    ]
    out += _header(chart)
    out += _lanes(chart)
    out += _axis(chart)
    out += [_arrow(a) for a in chart.arrows]
    for b in chart.bars:
        out += _bar(chart, b)
    if chart.today_x is not None:
        bottom = chart.lanes[-1].y + chart.lanes[-1].height if chart.lanes else chart.top
        out.append(
            f'<line class="today" x1="{chart.today_x:.1f}" y1="{chart.top - 14:.1f}" '
            f'x2="{chart.today_x:.1f}" y2="{bottom:.1f}"/>'
        )
        out.append(svg_text(chart.today_x + 3, chart.top - 16, chart.labels.today, "today-label"))
    out += list(extra)
    out += _legend(chart)
    out.append("</svg>")
    return "\n".join(out)


def _header(chart: Chart) -> list[str]:
    out = [svg_text(16, 26, chart.title, "title")]
    if chart.subtitle:
        out.append(svg_text(16 + text_width(chart.title, 18) + 14, 26, chart.subtitle, "subtitle"))
    out.append(svg_text(16, 50, chart.summary, "summary"))
    out.append(
        svg_text(16 + text_width(chart.summary, 15) + 18, 50, " · ".join(chart.notes), "note")
    )
    return out


def _lanes(chart: Chart) -> list[str]:
    out = []
    right = chart.width - RIGHT
    for i, lane in enumerate(chart.lanes):
        cls = "lane alt" if i % 2 else "lane"
        out.append(
            f'<rect class="{cls}" x="0" y="{lane.y:.1f}" width="{right:.1f}" '
            f'height="{lane.height:.1f}"/>'
        )
        out.append(svg_text(8, lane.y + min(lane.height / 2 + 4, 20), lane.name, "lane-name"))
    bottom = chart.lanes[-1].y + chart.lanes[-1].height if chart.lanes else chart.top
    for d in chart.days:
        if d.kind == MAKEUP_WORKDAY:
            continue
        out.append(
            f'<rect class="off {d.kind}" x="{d.x:.1f}" y="{chart.top:.1f}" '
            f'width="{chart.day_width:.1f}" height="{bottom - chart.top:.1f}">'
            f"<title>{d.day.isoformat()} {escape(d.note)}</title></rect>"
        )
    out.append(f'<line class="tick" x1="{LEFT}" y1="{chart.top}" x2="{LEFT}" y2="{bottom:.1f}"/>')
    return out


def _axis(chart: Chart) -> list[str]:
    out = []
    y_month, y_day, y_hol = HEAD + 12, HEAD + 26, HEAD + 42
    d, dw = chart.first, chart.day_width
    step = 1 if dw >= 14 else 2 if dw >= 8 else 7
    while d <= chart.last:
        x = chart.x(d)
        month_start = d.day == 1 or (d == chart.first and (32 - d.day) * dw > 60)
        if month_start:
            out.append(svg_text(x + 2, y_month, f"{d.year}-{d.month:02d}", "month"))
            out.append(
                f'<line class="tick" x1="{x:.1f}" y1="{HEAD:.1f}" x2="{x:.1f}" y2="{chart.top:.1f}"/>'
            )
        if (step == 7 and d.weekday() == 0) or (step < 7 and (d.day - 1) % step == 0):
            out.append(svg_text(x + dw / 2, y_day, str(d.day), "daynum", "middle"))
        d += timedelta(days=1)
    for run in _holiday_runs(chart.days):
        x0 = run[0].x
        x1 = run[-1].x + dw
        out.append(svg_text((x0 + x1) / 2, y_hol, run[0].note, "holiday-name", "middle"))
    for o in chart.days:
        if o.kind == MAKEUP_WORKDAY:
            out.append(svg_text(o.x + dw / 2, y_hol, chart.labels.makeup, "makeup", "middle"))
    return out


def _holiday_runs(days: Sequence[OffDay]) -> list[list[OffDay]]:
    """Consecutive holiday days with one name (weekends inside a holiday join its run)."""
    runs: list[list[OffDay]] = []
    for o in days:
        if o.kind != HOLIDAY or not o.note:
            continue
        if runs and runs[-1][-1].note == o.note and (o.day - runs[-1][-1].day).days <= 3:
            runs[-1].append(o)
        else:
            runs.append([o])
    return runs


def _arrow(a: Arrow) -> str:
    cls = "arrow" + (" critical" if a.critical else "") + (" ss" if a.ss else "")
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in a.points)
    marker = "ahc" if a.critical else "ah"
    return (
        f'<path class="{cls}" d="{d}" marker-end="url(#{marker})" '
        f'data-from="{escape(a.source)}" data-to="{escape(a.target)}"/>'
    )


def _bar(chart: Chart, b: Bar) -> list[str]:
    crit = " critical" if b.critical else ""
    ms = " milestone" if b.start == b.finish and b.width <= chart.day_width else ""
    tip = f"{b.label} · {b.start.isoformat()} → {b.finish.isoformat()}"
    out = [
        f'<g class="task" data-task="{escape(b.id)}">'
        f'<rect class="bar{crit}{ms}" data-task="{escape(b.id)}" data-critical="{int(b.critical)}" '
        f'x="{b.x:.1f}" y="{b.y:.1f}" width="{b.width:.1f}" height="{BAR}" rx="2">'
        f"<title>{escape(tip)}</title></rect>",
        svg_text(b.label_x, b.y + BAR - 3.5, b.label, "label" + crit),
    ]
    if b.fx is not None:
        state = " done" if b.done else ""
        state += " slipped" if b.slip_days else ""
        out.append(
            f'<rect class="fc{state}" x="{b.fx:.1f}" y="{b.y + BAR + 2:.1f}" '
            f'width="{b.fwidth:.1f}" height="4"/>'
        )
        if b.slip_days:
            out.append(
                svg_text(
                    b.fx + b.fwidth + 4,
                    b.y + BAR + 7,
                    chart.labels.slip.format(days=b.slip_days),
                    "slip",
                )
            )
    out.append("</g>")
    return out


def _legend(chart: Chart) -> list[str]:
    y = chart.height - FOOT / 2
    lab = chart.labels
    items = [
        ('<rect class="bar" x="{x}" y="{y0}" width="22" height="10"/>', lab.planned),
        ('<rect class="bar critical" x="{x}" y="{y0}" width="22" height="10"/>', lab.critical),
        ('<rect class="fc" x="{x}" y="{y1}" width="22" height="4"/>', lab.forecast),
        ('<rect class="off weekend" x="{x}" y="{y0}" width="22" height="10"/>', lab.weekend),
        ('<rect class="off holiday" x="{x}" y="{y0}" width="22" height="10"/>', lab.holiday),
        (
            '<line class="today" x1="{xm}" y1="{y0}" x2="{xm}" y2="{y2}"/>',
            lab.today,
        ),
    ]
    out, x = [], 16.0
    for shape, word in items:
        out.append(shape.format(x=x, y0=y - 9, y1=y - 6, xm=x + 11, y2=y + 1))
        out.append(svg_text(x + 28, y, word, "legend"))
        x += 40 + text_width(word)
    return out


def render(
    tasks: Sequence[Task], result: Schedule, *, calendar: WorkCalendar, labels: Labels, **options
) -> str:
    """`layout` then `to_svg`, for callers that only want the picture."""
    return to_svg(layout(tasks, result, calendar=calendar, labels=labels, **options))
