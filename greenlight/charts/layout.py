"""Time-scaled swimlane chart of a schedule: a layout of plain numbers (testable), then SVG.

`layout(tasks, result, calendar=...)` places one bar per task in its department's lane on a date
axis; bars of one lane go to sub-rows so that no two bars (nor a bar and another's label) overlap.
`draw.to_svg(chart)` draws it: non-working days shaded with holiday names, prerequisite arrows, the
critical path in red, a today line, forecast/actual bars under the planned ones with slips marked,
and the header (serial X days → parallel Y days, Z saved). Every word comes from the caller's
`Labels`: the charts hold none of their own. Pure Python: no Django.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from greenlight.engine.calendar import HOLIDAY, MAKEUP_WORKDAY, WEEKEND, CalendarError, WorkCalendar
from greenlight.engine.network import Actual, LinkType, Task
from greenlight.engine.schedule import Schedule, TaskResult

__all__ = ["Labels", "Bar", "Chart", "layout", "summary", "text_width", "svg_text", "wrap"]

FONT = '"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif'
LEFT, RIGHT, HEAD, AXIS, FOOT = 118, 24, 78, 64, 40
ROW, BAR, LANE_PAD, GAP, FONT_PX = 26, 14, 6, 6, 11.0


@dataclass(frozen=True)
class Labels:
    """Every word the swimlane chart draws, supplied by the caller (the charts have none).

    Fields with `{...}` are format strings: `summary` takes serial, parallel and saved; `slip`
    and `late` take days; `target` takes task and by; `target_verdict` joins the target line
    and its verdict. `holiday_names` maps calendar notes to the names drawn (others as noted).
    """

    summary: str
    today: str
    workday: str  # unit after a duration, e.g. "5" + workday
    day: str
    critical: str
    planned: str
    forecast: str
    slip: str
    weekend: str
    holiday: str
    makeup: str  # mark of a makeup working day
    bundle: str
    no_department: str  # lane of tasks without a department
    plan_start: str
    finish: str
    forecast_finish: str
    target: str
    target_verdict: str
    feasible: str
    late: str
    holiday_names: Mapping[str, str]
    # legend words for marks drawn only in some charts; a chart leaves out those it is not given
    slipped: str = ""  # a forecast/actual span that runs past its plan
    done: str = ""  # a finished matter's actual span
    makeup_day: str = ""  # what the `makeup` mark means
    # a year without the State Council's notice: its holidays are provisional (decree days only)
    provisional: str = ""  # legend of a provisional holiday
    provisional_holiday: str = "{name}"  # a provisional holiday's name as drawn ({name})
    provisional_note: str = ""  # a header note per provisional year on the axis ({year})


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
    """One department's lane: its top, height and number of sub-rows."""

    name: str
    y: float
    height: float
    rows: int


@dataclass(frozen=True)
class OffDay:
    """A shaded day: weekend or holiday (with its name); makeup working days are marked too.
    `provisional`: a holiday of a year without the State Council's notice (decree days only)."""

    day: date
    x: float
    kind: str
    note: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class Arrow:
    """A prerequisite link drawn between two bars (`ss`: start-to-start)."""

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
    labels: Labels
    provisional_years: tuple[int, ...] = ()  # years on the axis whose holidays are provisional

    def x(self, d: date) -> float:
        """The left edge of day `d`."""
        return LEFT + (d - self.first).days * self.day_width


def summary(result: Schedule, labels: Labels) -> str:
    """The headline of `result`: serial vs parallel days and the days saved."""
    return labels.summary.format(
        serial=result.serial.days, parallel=result.parallel.days, saved=result.saved_days
    )


def text_width(text: str, px: float = FONT_PX) -> float:
    """Estimated rendered width: CJK characters are square, others about 0.58 em."""
    return sum(px if unicodedata.east_asian_width(c) in "WF" else px * 0.58 for c in text)


def wrap(text: str, width: float, px: float = FONT_PX) -> list[str]:
    """`text` broken into lines of at most `width` pixels (between any two characters)."""
    lines, line = [], ""
    for ch in text:
        if text_width(line + ch, px) > width and line:
            lines.append(line)
            line = ch.lstrip()
        else:
            line += ch
    return [*lines, line] if line else lines


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
    labels: Labels,
    actuals: Mapping[str, Actual] | None = None,
    width: float = 1400.0,
    legend: Sequence[str] = (),
    band: float = 0.0,
) -> Chart:
    """Place every task of `result` in its department's lane on a date axis.

    The axis runs on past the last day while a label or slip mark would cross its right end, so
    that everything drawn stays inside the chart's `width`; a short plan's axis runs on too, as
    far as the header and the legend (with the caller's `legend` words) need. `band`: pixels
    kept free between the axis and the first lane, for the caller's own marks.
    """
    first, last = _span(result, today)
    actuals = actuals or {}
    for _ in range(8):
        ndays = (last - first).days + 1
        dw = max(3.0, min(18.0, (width - LEFT - RIGHT) / ndays))
        bars, lane_boxes, bottom = _place(result, first, dw, lanes, actuals, labels, band)
        end = LEFT + ndays * dw
        over = max((b.extent for b in bars), default=0.0) + 2 - end
        if over <= 0:
            break
        last += timedelta(days=math.ceil(over / dw) + 1)
    need = min(width, _text_width_needed(title, subtitle, result, labels, legend))
    if LEFT + ndays * dw + RIGHT < need:
        last += timedelta(days=math.ceil((need - LEFT - ndays * dw - RIGHT) / dw))
        ndays = (last - first).days + 1

    def x(d: date) -> float:
        return LEFT + (d - first).days * dw

    provisional = tuple(calendar.provisional_years(first, last))
    notes = _notes(result, labels)
    if labels.provisional_note:
        notes += tuple(labels.provisional_note.format(year=y) for y in provisional)
    return Chart(
        title=title,
        subtitle=subtitle,
        summary=summary(result, labels),
        notes=notes,
        first=first,
        last=last,
        day_width=dw,
        width=LEFT + ndays * dw + RIGHT,
        height=bottom + FOOT,
        top=HEAD + AXIS + band,
        bars=tuple(bars),
        lanes=tuple(lane_boxes),
        days=_off_days(calendar, first, last, x, labels.holiday_names),
        arrows=_arrows(tasks, result, bars, dw),
        today_x=x(today) if today is not None and first <= today <= last else None,
        labels=labels,
        provisional_years=provisional,
    )


def _text_width_needed(title, subtitle, result, labels: Labels, legend: Sequence[str]) -> float:
    """The width the header and the legend need, at most (every legend entry drawn)."""
    words = [labels.planned, labels.critical, labels.forecast, labels.done, labels.slipped]
    words += [labels.weekend, labels.holiday, labels.makeup_day, labels.today, *legend]
    words.append(labels.provisional)
    notes = _notes(result, labels)
    return 32 + max(
        text_width(title, 18) + (14 + text_width(subtitle, 12) if subtitle else 0),
        text_width(summary(result, labels), 15),
        max((text_width(n) for n in notes), default=0),
        sum(40 + text_width(w) for w in words if w),
    )


def _place(result, first, dw, lanes, actuals, labels, band) -> tuple[list[Bar], list[Lane], float]:
    """Bars in their lanes for a day width `dw`; returns the bars, the lanes and their bottom."""

    def x(d: date) -> float:
        return LEFT + (d - first).days * dw

    by_lane: dict[str, list[TaskResult]] = {}
    for t in result.tasks:
        by_lane.setdefault(t.department or labels.no_department, []).append(t)
    bars: list[Bar] = []
    lane_boxes: list[Lane] = []
    y = HEAD + AXIS + band
    for name in _lane_order(result.tasks, lanes, labels.no_department):
        placed = _place_lane(by_lane[name], name, y, x, dw, actuals, labels)
        rows = 1 + max(b.row for b in placed)
        height = rows * ROW + 2 * LANE_PAD
        lane_boxes.append(Lane(name, y, height, rows))
        bars.extend(placed)
        y += height
    return bars, lane_boxes, y


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


def _off_days(calendar: WorkCalendar, first: date, last: date, x, names) -> tuple[OffDay, ...]:
    out = []
    d = first
    while d <= last:
        try:
            info = calendar.describe(d)
            kind, note, tentative = info.kind, names.get(info.note, info.note), info.provisional
        except CalendarError:
            kind, note, tentative = (WEEKEND if d.weekday() >= 5 else "workday"), "", False
        if kind in (WEEKEND, HOLIDAY, MAKEUP_WORKDAY):
            out.append(OffDay(d, x(d), kind, note, tentative and kind == HOLIDAY))
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
        line = labels.target.format(task=t.task, by=t.by.isoformat())
        notes.append(labels.target_verdict.format(target=line, verdict=verdict))
    return tuple(notes)
