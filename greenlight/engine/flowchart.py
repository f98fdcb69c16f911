"""Time-scaled swimlane chart of a schedule: a layout of plain numbers (testable), then SVG.

`layout(tasks, result, calendar=...)` places one bar per task in its department's lane on a date
axis; bars of one lane go to sub-rows so that no two bars (nor a bar and another's label) overlap.
`to_svg(chart)` draws it: non-working days shaded with holiday names, prerequisite arrows, the
critical path in red, a today line, forecast/actual bars under the planned ones with slips marked,
and the header `串联 X 天 → 并联 Y 天，节省 Z 天`. Words come from `Labels` (Chinese by default;
the web layer passes translated ones). Pure Python: no Django.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from .calendar import HOLIDAY, MAKEUP_WORKDAY, WEEKEND, CalendarError, WorkCalendar
from .network import Actual, LinkType, Task
from .schedule import Schedule, TaskResult

__all__ = ["Labels", "Bar", "Chart", "layout", "to_svg", "render", "text_width", "svg_text"]

FONT = '"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif'
LEFT, RIGHT, HEAD, AXIS, FOOT = 118, 24, 78, 50, 40
ROW, BAR, LANE_PAD, GAP, FONT_PX = 26, 14, 6, 6, 11.0


@dataclass(frozen=True)
class Labels:
    """The chart's words; `summary` takes serial, parallel and saved."""

    summary: str = "串联 {serial} 天 → 并联 {parallel} 天，节省 {saved} 天"
    today: str = "今天"
    workday: str = "工作日"
    day: str = "天"
    critical: str = "关键路径"
    planned: str = "计划"
    forecast: str = "实际 / 预测"
    slip: str = "+{days}天"
    weekend: str = "周末"
    holiday: str = "节假日"
    makeup: str = "班"
    bundle: str = "联办"
    no_department: str = "其他"
    plan_start: str = "计划开始"
    finish: str = "并联完成"
    forecast_finish: str = "预测完成"
    target: str = "目标：{task} 须于 {by} 前完成"
    feasible: str = "可按期完成"
    late: str = "将晚 {days} 天"


@dataclass(frozen=True)
class Bar:
    """One task's bar: planned span, its label, and the forecast/actual span under it."""

    id: str
    label: str
    lane: str
    row: int
    x: float
    y: float
    width: float
    critical: bool
    start: date
    finish: date
    label_x: float
    label_inside: bool
    extent: float  # the right edge of everything drawn for this bar (bar, label, slip mark)
    float_days: int = 0
    bundle: str = ""
    fx: float | None = None  # forecast/actual span
    fwidth: float = 0.0
    done: bool = False
    slip_days: int = 0


@dataclass(frozen=True)
class Lane:
    name: str
    y: float
    height: float
    rows: int


@dataclass(frozen=True)
class OffDay:
    """A shaded day: weekend or holiday (with its name); makeup working days are marked too."""

    day: date
    x: float
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    points: tuple[tuple[float, float], ...]
    critical: bool
    ss: bool


@dataclass(frozen=True)
class Chart:
    """Everything `to_svg` draws, in pixels."""

    title: str
    subtitle: str
    summary: str
    notes: tuple[str, ...]
    first: date
    last: date
    day_width: float
    width: float
    height: float
    top: float
    bars: tuple[Bar, ...]
    lanes: tuple[Lane, ...]
    days: tuple[OffDay, ...]
    arrows: tuple[Arrow, ...]
    today_x: float | None
    labels: Labels = field(default_factory=Labels)

    def x(self, d: date) -> float:
        """The left edge of day `d`."""
        return LEFT + (d - self.first).days * self.day_width


def text_width(text: str, px: float = FONT_PX) -> float:
    """Estimated rendered width: CJK characters are square, others about 0.58 em."""
    return sum(px if unicodedata.east_asian_width(c) in "WF" else px * 0.58 for c in text)


def svg_text(x: float, y: float, text: str, cls: str = "", anchor: str = "") -> str:
    """An SVG <text> element with escaped content."""
    a = f' text-anchor="{anchor}"' if anchor else ""
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}"{c}{a}>{escape(text)}</text>'


def _bar_label(t: TaskResult, labels: Labels) -> str:
    unit = labels.workday if str(t.unit) == "workday" else labels.day
    name = t.name or t.id
    extra = f" [{labels.bundle}]" if t.bundle else ""
    return f"{name} {t.duration}{unit}{extra}"


def _span(result: Schedule, today: date | None) -> tuple[date, date]:
    starts = [t.early_start for t in result.tasks] + [result.start]
    finishes = [t.early_finish for t in result.tasks]
    for t in result.tasks:
        if t.forecast_start is not None:
            starts.append(t.forecast_start)
            finishes.append(t.forecast_finish)
    first, last = min(starts), max(finishes)
    if today is not None and first - timedelta(days=30) <= today <= last + timedelta(days=30):
        first, last = min(first, today), max(last, today)
    return first - timedelta(days=2), last + timedelta(days=4)


def _lane_order(tasks: Sequence[TaskResult], lanes: Sequence[str] | None, other: str) -> list:
    seen: dict[str, date] = {}
    for t in tasks:
        name = t.department or other
        seen[name] = min(seen.get(name, t.early_start), t.early_start)
    ordered = [n for n in (lanes or ()) if n in seen]
    rest = sorted((n for n in seen if n not in ordered), key=lambda n: (seen[n], n))
    return ordered + rest


def layout(
    tasks: Sequence[Task],
    result: Schedule,
    *,
    calendar: WorkCalendar,
    title: str = "",
    subtitle: str = "",
    today: date | None = None,
    lanes: Sequence[str] | None = None,
    actuals: Mapping[str, Actual] | None = None,
    labels: Labels | None = None,
    width: float = 1400.0,
) -> Chart:
    """Place every task of `result` in its department's lane on a date axis."""
    labels = labels or Labels()
    first, last = _span(result, today)
    ndays = (last - first).days + 1
    dw = max(3.0, min(18.0, (width - LEFT - RIGHT) / ndays))
    top = HEAD + AXIS

    def x(d: date) -> float:
        return LEFT + (d - first).days * dw

    actuals = actuals or {}
    by_lane: dict[str, list[TaskResult]] = {}
    for t in result.tasks:
        by_lane.setdefault(t.department or labels.no_department, []).append(t)
    bars: list[Bar] = []
    lane_boxes: list[Lane] = []
    y = top
    for name in _lane_order(result.tasks, lanes, labels.no_department):
        placed = _place_lane(by_lane[name], name, y, x, dw, actuals, labels)
        rows = 1 + max(b.row for b in placed)
        height = rows * ROW + 2 * LANE_PAD
        lane_boxes.append(Lane(name, y, height, rows))
        bars.extend(placed)
        y += height
    chart_w = LEFT + ndays * dw + RIGHT
    return Chart(
        title=title,
        subtitle=subtitle,
        summary=labels.summary.format(
            serial=result.serial.days, parallel=result.parallel.days, saved=result.saved_days
        ),
        notes=_notes(result, labels),
        first=first,
        last=last,
        day_width=dw,
        width=chart_w,
        height=y + FOOT,
        top=top,
        bars=tuple(bars),
        lanes=tuple(lane_boxes),
        days=_off_days(calendar, first, last, x),
        arrows=_arrows(tasks, result, bars, dw),
        today_x=x(today) if today is not None and first <= today <= last else None,
        labels=labels,
    )


def _place_lane(tasks, lane, y0, x, dw, actuals, labels) -> list[Bar]:
    """Greedy interval partitioning: each bar goes to the first sub-row that is free."""
    row_ends: list[float] = []
    out = []
    for t in sorted(tasks, key=lambda t: (t.early_start, t.early_finish, t.id)):
        bx, bw = x(t.early_start), x(t.early_finish) + dw - x(t.early_start)
        label = _bar_label(t, labels)
        lw = text_width(label)
        inside = lw + 8 <= bw
        label_x = bx + 4 if inside else bx + bw + 4
        extent = bx + bw if inside else label_x + lw
        fx = fw = None
        slip = 0
        if t.forecast_start is not None:
            fx = x(t.forecast_start)
            fw = x(t.forecast_finish) + dw - fx
            slip = max(0, t.slip_days or 0)
            end = fx + fw
            if slip:
                end += 4 + text_width(labels.slip.format(days=slip), FONT_PX - 1)
            extent = max(extent, end)
        start_x = min(bx, fx) if fx is not None else bx
        row = next((i for i, e in enumerate(row_ends) if e + GAP <= start_x), len(row_ends))
        if row == len(row_ends):
            row_ends.append(extent)
        else:
            row_ends[row] = extent
        done = t.id in actuals and actuals[t.id].finish is not None
        out.append(
            Bar(
                t.id,
                label,
                lane,
                row,
                bx,
                y0 + LANE_PAD + row * ROW,
                bw,
                t.critical,
                t.early_start,
                t.early_finish,
                label_x,
                inside,
                extent,
                t.float_days,
                t.bundle,
                fx,
                fw or 0.0,
                done,
                slip,
            )  # fmt: skip
        )
    return out


def _off_days(calendar: WorkCalendar, first: date, last: date, x) -> tuple[OffDay, ...]:
    out = []
    d = first
    while d <= last:
        try:
            info = calendar.describe(d)
            kind, note = info.kind, info.note
        except CalendarError:
            kind, note = (WEEKEND if d.weekday() >= 5 else "workday"), ""
        if kind in (WEEKEND, HOLIDAY, MAKEUP_WORKDAY):
            out.append(OffDay(d, x(d), kind, note))
        d += timedelta(days=1)
    return tuple(out)


def _arrows(tasks: Sequence[Task], result: Schedule, bars: list[Bar], dw: float):
    where = {b.id: b for b in bars}
    out = []
    for t in tasks:
        succ = where.get(t.id)
        if succ is None:
            continue
        for link in t.after:
            pred = where.get(link.task)
            if pred is None or (pred.bundle and pred.bundle == succ.bundle):
                continue
            ss = link.type == LinkType.SS
            x1 = pred.x if ss else pred.x + pred.width
            y1 = pred.y + (BAR if ss else BAR / 2)
            x2, y2 = succ.x, succ.y + BAR / 2
            xm = max(x1 + 3, x2 - 6) if x2 - 6 >= x1 + 3 else x1 + 3
            if abs(y2 - y1) < 1:
                points = ((x1, y1), (x2, y2))
            else:
                points = ((x1, y1), (xm, y1), (xm, y2), (max(x2, xm + 1), y2))
            out.append(Arrow(pred.id, succ.id, points, pred.critical and succ.critical, ss))
    return tuple(out)


def _notes(result: Schedule, labels: Labels) -> tuple[str, ...]:
    notes = [
        f"{labels.plan_start} {result.start.isoformat()}",
        f"{labels.finish} {result.parallel.finish.isoformat()}",
    ]
    if result.forecast is not None:
        notes.append(f"{labels.forecast_finish} {result.forecast.finish.isoformat()}")
    if result.target is not None:
        t = result.target
        verdict = labels.feasible if t.feasible else labels.late.format(days=t.days_late)
        notes.append(labels.target.format(task=t.task, by=t.by.isoformat()) + "，" + verdict)
    return tuple(notes)


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
    """The chart as a standalone SVG document (`extra`: elements drawn over the bars, with
    their own `style`)."""
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


def render(tasks: Sequence[Task], result: Schedule, *, calendar: WorkCalendar, **options) -> str:
    """`layout` then `to_svg`, for callers that only want the picture."""
    return to_svg(layout(tasks, result, calendar=calendar, **options))
