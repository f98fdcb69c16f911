"""Drawing of the swimlane chart laid out by `layout.layout`: SVG with shaded non-working days,
holiday names, prerequisite arrows, the critical path, a today line and slips. Pure Python."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from html import escape

from greenlight.engine.calendar import HOLIDAY, MAKEUP_WORKDAY, WEEKEND, WorkCalendar
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
    wrap,
)

# -- drawing ------------------------------------------------------------------------------------

STYLE = f"""
text {{ font-family: {FONT}; font-size: {FONT_PX}px; fill: #1f2933; }}
.title {{ font-size: 18px; font-weight: 700; }} .subtitle {{ fill: #6b7785; font-size: 12px; }}
.summary {{ font-size: 15px; font-weight: 700; fill: #1a7f4b; }} .note {{ fill: #6b7785; }}
.lane {{ fill: #ffffff; stroke: #d9dee4; }} .lane.alt {{ fill: #f7f9fb; }}
.lane-name {{ font-size: 12px; font-weight: 700; }}
.off.weekend {{ fill: #eceff3; }} .off.holiday {{ fill: #fde2df; }}
.off.holiday.provisional {{ fill: #fbe7bd; }} .holiday-name.provisional {{ fill: #8a5a00; font-style: italic; }}
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


def to_svg(
    chart: Chart,
    *,
    extra: Sequence[str] = (),
    style: str = "",
    legend: Sequence[tuple[str, str]] = (),
) -> str:
    """The chart as a standalone SVG document.

    `extra`: elements drawn over the bars, with their own `style`; `legend`: more legend
    entries for them, as (shape, word) with the shape's `{x}`, `{y0}` (top of a 10 px box),
    `{y1}`, `{xm}` and `{y2}` to fill in.
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
    axis, today_y = _axis(chart)
    out += axis
    out += [_arrow(a) for a in chart.arrows]
    for b in chart.bars:
        out += _bar(chart, b)
    if chart.today_x is not None:
        bottom = chart.lanes[-1].y + chart.lanes[-1].height if chart.lanes else chart.top
        out.append(
            f'<line class="today" x1="{chart.today_x:.1f}" y1="{today_y + 2:.1f}" '
            f'x2="{chart.today_x:.1f}" y2="{bottom:.1f}"/>'
        )
    out += list(extra)
    out += _legend(chart, legend)
    out.append("</svg>")
    return "\n".join(out)


def _header(chart: Chart) -> list[str]:
    right = chart.width - 16
    out = [svg_text(16, 26, chart.title, "title")]
    sub_x = 16 + text_width(chart.title, 18) + 14
    if chart.subtitle and sub_x + text_width(chart.subtitle, 12) <= right:
        out.append(svg_text(sub_x, 26, chart.subtitle, "subtitle"))
    out.append(svg_text(16, 50, chart.summary, "summary"))
    notes = " · ".join(chart.notes)
    x = 16 + text_width(chart.summary, 15) + 18
    if x + text_width(notes) <= right:
        out.append(svg_text(x, 50, notes, "note"))
    else:  # on a line of their own under the summary, as many lines as the head has room for
        for n, line in enumerate(_join_lines(chart.notes, " · ", right - 16)[:2]):
            out.append(svg_text(16, 64 + 11 * n, line, "note"))
    return out


def _join_lines(items: Sequence[str], sep: str, width: float) -> list[str]:
    """`items` joined by `sep` into lines of at most `width` px, breaking between items."""
    lines: list[str] = []
    for item in items:
        if lines and text_width(lines[-1] + sep + item) <= width:
            lines[-1] += sep + item
        else:
            lines.append(item)
    return lines


def _lanes(chart: Chart) -> list[str]:
    out = []
    right = chart.width - RIGHT
    for i, lane in enumerate(chart.lanes):
        cls = "lane alt" if i % 2 else "lane"
        out.append(
            f'<rect class="{cls}" x="0" y="{lane.y:.1f}" width="{right:.1f}" '
            f'height="{lane.height:.1f}"/>'
        )
        out += _lane_name(lane)
    bottom = chart.lanes[-1].y + chart.lanes[-1].height if chart.lanes else chart.top
    for d in chart.days:
        if d.kind == MAKEUP_WORKDAY:
            continue
        out.append(
            f'<rect class="off {d.kind}{" provisional" if d.provisional else ""}" '
            f'x="{d.x:.1f}" y="{chart.top:.1f}" '
            f'width="{chart.day_width:.1f}" height="{bottom - chart.top:.1f}">'
            f"<title>{d.day.isoformat()} {escape(_day_note(chart, d))}</title></rect>"
        )
    out.append(f'<line class="tick" x1="{LEFT}" y1="{chart.top}" x2="{LEFT}" y2="{bottom:.1f}"/>')
    return out


def _lane_name(lane) -> list[str]:
    """The lane's name at its top left, broken into lines within the left margin."""
    room = max(1, int((lane.height - 6) // 14))
    lines = wrap(lane.name, LEFT - 14, 12.6)
    if len(lines) > room:  # too long for the lane: one line, squeezed to the margin's width
        return [
            f'<text x="8" y="{lane.y + 20:.1f}" class="lane-name" textLength="{LEFT - 14}" '
            f'lengthAdjust="spacingAndGlyphs">{escape(lane.name)}</text>'
        ]
    y0 = lane.y + (min(lane.height / 2 + 4, 20) if len(lines) == 1 else 17)
    return [svg_text(8, y0 + 14 * n, line, "lane-name") for n, line in enumerate(lines)]


def _axis(chart: Chart) -> tuple[list[str], float]:
    """Months, day numbers, and two rows of marks: today, holiday names, makeup working days.

    Returns the elements and the baseline of the today label."""
    out = []
    y_month, y_day = HEAD + 12, HEAD + 25
    mark_rows = (HEAD + 39, HEAD + 52)
    d, dw = chart.first, chart.day_width
    end = chart.x(chart.last) + dw
    step = 1 if dw >= 14 else 2 if dw >= 8 else 7
    month_starts = [
        day for day in _days(chart.first, chart.last) if day.day == 1 or day == chart.first
    ]
    for i, m in enumerate(month_starts):
        x = chart.x(m)
        if m.day == 1:
            out.append(
                f'<line class="tick" x1="{x:.1f}" y1="{HEAD:.1f}" x2="{x:.1f}" y2="{chart.top:.1f}"/>'
            )
        text = f"{m.year}-{m.month:02d}"
        room = (chart.x(month_starts[i + 1]) if i + 1 < len(month_starts) else end) - x
        if text_width(text, 12.6) + 4 <= room:
            out.append(svg_text(x + 2, y_month, text, "month"))
    while d <= chart.last:
        x = chart.x(d)
        next_month = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        if (step == 7 and d.weekday() == 0) or (
            step < 7 and (d.day - 1) % step == 0 and (next_month - d).days >= step
        ):
            if x + dw / 2 + text_width(str(d.day), 9) / 2 <= end:
                out.append(svg_text(x + dw / 2, y_day, str(d.day), "daynum", "middle"))
        d += timedelta(days=1)
    # marks, the today label first: each goes to the first row where it overlaps nothing
    marks: list[tuple[float, float, str, str]] = []  # left, right, text, class
    if chart.today_x is not None:
        tw = text_width(chart.labels.today)
        left = chart.today_x + 3 if chart.today_x + 3 + tw <= end else chart.today_x - 3 - tw
        marks.append((left, left + tw, chart.labels.today, "today-label"))
    for run in _holiday_runs(chart.days):
        name, cls = run[0].note, "holiday-name"
        if run[0].provisional:
            name, cls = chart.labels.provisional_holiday.format(name=name), cls + " provisional"
        tw = text_width(name, 10)
        mid = (run[0].x + run[-1].x + dw) / 2
        left = min(max(mid - tw / 2, LEFT + 1), end - tw)
        marks.append((left, left + tw, name, cls))
    for o in chart.days:
        if o.kind == MAKEUP_WORKDAY:
            tw = text_width(chart.labels.makeup, 9)
            left = min(max(o.x + dw / 2 - tw / 2, LEFT + 1), end - tw)
            marks.append((left, left + tw, chart.labels.makeup, "makeup"))
    taken: list[list[tuple[float, float]]] = [[] for _ in mark_rows]
    today_y = mark_rows[0]
    for left, right, text, cls in marks:
        free = [
            i for i, row in enumerate(taken) if all(right + 2 <= a or b + 2 <= left for a, b in row)
        ]
        if not free:
            continue  # no room left on the axis: the shading and the legend still tell
        taken[free[0]].append((left, right))
        out.append(svg_text(left, mark_rows[free[0]], text, cls))
        if cls == "today-label":
            today_y = mark_rows[free[0]]
    return out, today_y


def _days(first, last):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def _day_note(chart: Chart, d: OffDay) -> str:
    return f"{d.note} {chart.labels.provisional}".strip() if d.provisional else d.note


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


def _legend(chart: Chart, more: Sequence[tuple[str, str]] = ()) -> list[str]:
    """A key to every colour and mark the chart draws (and only those)."""
    y = chart.height - FOOT / 2
    lab = chart.labels
    fc = [b for b in chart.bars if b.fx is not None]
    kinds = {d.kind for d in chart.days}
    items = [('<rect class="bar" x="{x}" y="{y0}" width="22" height="10"/>', lab.planned)]
    if any(b.critical for b in chart.bars):
        items.append(
            ('<rect class="bar critical" x="{x}" y="{y0}" width="22" height="10"/>', lab.critical)
        )
    if fc:
        items.append(('<rect class="fc" x="{x}" y="{y1}" width="22" height="4"/>', lab.forecast))
    if lab.done and any(b.done for b in fc):
        items.append(('<rect class="fc done" x="{x}" y="{y1}" width="22" height="4"/>', lab.done))
    if lab.slipped and any(b.slip_days for b in fc):
        items.append(
            ('<rect class="fc slipped" x="{x}" y="{y1}" width="22" height="4"/>', lab.slipped)
        )
    if WEEKEND in kinds:
        items.append(
            ('<rect class="off weekend" x="{x}" y="{y0}" width="22" height="10"/>', lab.weekend)
        )
    if HOLIDAY in kinds:
        items.append(
            ('<rect class="off holiday" x="{x}" y="{y0}" width="22" height="10"/>', lab.holiday)
        )
    if lab.provisional and any(d.provisional for d in chart.days):
        shape = '<rect class="off holiday provisional" x="{x}" y="{y0}" width="22" height="10"/>'
        items.append((shape, lab.provisional))
    if lab.makeup_day and MAKEUP_WORKDAY in kinds:
        mark = svg_text(0, 0, lab.makeup, "makeup", "middle").replace(
            'x="0.0" y="0.0"', 'x="{xm}" y="{y2}"'
        )
        items.append((mark, lab.makeup_day))
    if chart.today_x is not None:
        items.append(('<line class="today" x1="{xm}" y1="{y0}" x2="{xm}" y2="{y2}"/>', lab.today))
    items += list(more)
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
