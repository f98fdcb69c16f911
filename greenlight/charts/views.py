"""The "3+1" views besides the combined chart (`layout`, `draw`): 审批服务, 项目推动 here,
并联协调 in `coordination`; as SVG.

* approval service: a grid of departments × national stages, one card per matter with its
  limits, required materials and prerequisites;
* project push: the owner's checklist in time order (early intervention, then prepare and
  submit each matter by a date, to a department);
* parallel coordination: per department the spans when it is busy, how many departments work at
  once, where joint review meetings sit and where bundles apply.
Pure Python: per-matter facts the engine does not know come in as `MatterInfo`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from greenlight.engine.calendar import WorkCalendar
from greenlight.engine.network import LinkType, Task, Unit
from greenlight.engine.schedule import Schedule, TaskResult

from .draw import STYLE
from .layout import LEFT, Labels, summary, svg_text
from .layout import wrap as _wrap

__all__ = ["MatterInfo", "ViewLabels", "service_svg", "push_svg", "push_steps"]


@dataclass(frozen=True)
class MatterInfo:
    """What the catalog says of a matter: stage, statutory limit, materials, owner's status."""

    stage: str = ""
    statutory: str = ""
    materials: tuple[str, ...] = ()
    done: bool = False


@dataclass(frozen=True)
class ViewLabels:
    """Every word of the three views, supplied by the caller (the charts have none).

    Format strings: `early` takes dept and name, `submit` name, `parallel` and `peak` n,
    `start_to_start` lag; `field` joins a label and its value, `aside` a text and a remark
    after it; `list_sep` separates the items of a list.
    """

    service: str
    push: str
    coordination: str
    committed: str
    statutory: str
    materials: str
    prerequisites: str
    department: str
    none: str
    date: str
    latest: str
    action: str
    to_whom: str
    early: str
    submit: str
    done: str
    parallel: str
    departments_at_once: str
    peak: str
    meeting: str
    bundle: str
    start_to_start: str
    field: str
    aside: str
    list_sep: str


def _unit(t: TaskResult | Task, labels: Labels) -> str:
    return labels.workday if str(t.unit) == Unit.WORKDAY else labels.day


def _doc(width: float, height: float, title: str, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" class="flowchart" role="img">',
            f"<title>{escape(title)}</title><style>{STYLE}{VIEW_STYLE}</style>",
            f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#fff"/>',
            *body,
            "</svg>",
        ]
    )


VIEW_STYLE = """
.card { fill: #fff; stroke: #9fb3a8; } .card.critical { stroke: #c0392b; stroke-width: 1.6; fill: #fff7f6; }
.card-name { font-weight: 700; font-size: 12px; } .card-meta { fill: #1a7f4b; } .card-text { fill: #4b5663; font-size: 10.5px; }
.head-cell { fill: #eef2f5; stroke: #d9dee4; } .grid-line { stroke: #d9dee4; }
.step.early text.action { fill: #8a6100; } .step.critical text.action { fill: #a93226; font-weight: 700; }
.step-line { stroke: #e3e7ec; } .check { font-size: 13px; }
.busy { fill: #cfe8da; stroke: #1a7f4b; } .busy.critical { fill: #f8d3cf; stroke: #c0392b; }
.meeting { fill: #d4a017; stroke: #8a6100; } .meeting-line { stroke: #d4a017; stroke-width: 1.4; stroke-dasharray: 4 3; }
.meeting-label { fill: #8a6100; font-weight: 700; font-size: 10.5px; } .meeting-bg { fill: #fff8e1; stroke: #d4a017; }
.bundle-box { fill: none; stroke: #1f5f9e; stroke-width: 1.4; stroke-dasharray: 6 3; }
.bundle-label { fill: #1f5f9e; font-weight: 700; font-size: 10.5px; }
.conc { fill: #1a7f4b; opacity: 0.55; } .conc-label { fill: #6b7785; font-size: 10px; }
"""


# -- 审批服务 approval service ------------------------------------------------------------------


def service_svg(
    tasks: Sequence[Task],
    result: Schedule,
    info: Mapping[str, MatterInfo],
    *,
    stages: Sequence[tuple[str, str]],
    title: str = "",
    subtitle: str = "",
    labels: Labels,
    words: ViewLabels,
    width: float = 1400.0,
) -> str:
    """Departments × stages, a card per matter with limits, materials and prerequisites."""
    names = {t.id: t.name or t.id for t in tasks}
    after = {t.id: t.after for t in tasks}
    col_w = (width - LEFT - 16) / max(1, len(stages))
    card_w = col_w - 12
    depts: dict[str, list[TaskResult]] = {}
    for t in sorted(result.tasks, key=lambda t: (t.early_start, t.id)):
        depts.setdefault(t.department or labels.no_department, []).append(t)
    body = [svg_text(16, 26, f"{words.service} · {title}", "title")]
    body.append(svg_text(16, 48, f"{subtitle}  " + summary(result, labels), "summary"))
    y = 64.0
    body.append(f'<rect class="head-cell" x="0" y="{y}" width="{width:.0f}" height="26"/>')
    body.append(svg_text(8, y + 17, words.department, "lane-name"))
    for k, (_, stage_label) in enumerate(stages):
        body.append(svg_text(LEFT + k * col_w + 6, y + 17, stage_label, "lane-name"))
    y += 26
    for i, (dept, items) in enumerate(depts.items()):
        heights = [0.0] * len(stages)
        cards: list[str] = []
        for t in items:
            k = next(
                (
                    j
                    for j, (key, _) in enumerate(stages)
                    if key == info.get(t.id, MatterInfo()).stage
                ),
                0,
            )
            lines = _card_lines(
                t, info.get(t.id, MatterInfo()), after[t.id], names, labels, words, card_w
            )
            h = 8 + 15 * len(lines)
            cx, cy = LEFT + k * col_w + 6, y + 6 + heights[k]
            crit = " critical" if t.critical else ""
            cards.append(
                f'<g class="matter" data-task="{escape(t.id)}"><rect class="card{crit}" x="{cx:.1f}" '
                f'y="{cy:.1f}" width="{card_w:.1f}" height="{h:.1f}" rx="4"/>'
            )
            for n, (cls, text) in enumerate(lines):
                cards.append(svg_text(cx + 6, cy + 16 + 15 * n, text, cls))
            cards.append("</g>")
            heights[k] += h + 6
        row_h = max(heights) + 8
        body.append(
            f'<rect class="lane{" alt" if i % 2 else ""}" x="0" y="{y:.1f}" width="{width:.0f}" height="{row_h:.1f}"/>'
        )
        body += [
            svg_text(8, y + 20 + 14 * n, line, "lane-name")
            for n, line in enumerate(_wrap(dept, LEFT - 14, 12.6))
        ]
        body += cards
        y += row_h
    for k in range(len(stages) + 1):
        x = LEFT + k * col_w
        body.append(f'<line class="grid-line" x1="{x:.1f}" y1="64" x2="{x:.1f}" y2="{y:.1f}"/>')
    return _doc(width, y + 16, f"{words.service} {title}", body)


def _card_lines(t, mi, links, names, labels, words, card_w) -> list[tuple[str, str]]:
    lines = [("card-name", line) for line in _wrap(t.name or t.id, card_w - 12, 12)]
    meta = f"{words.committed} {t.duration}{_unit(t, labels)}"
    if mi.statutory:
        meta += f" · {words.statutory} {mi.statutory}"
    if t.bundle:
        meta += f" · {words.bundle}"
    lines.append(("card-meta", meta))
    mats = words.list_sep.join(mi.materials) or words.none
    pre = words.list_sep.join(_prerequisite(link, names, words) for link in links) or words.none
    for label, value in ((words.materials, mats), (words.prerequisites, pre)):
        text = words.field.format(label=label, value=value)
        lines += [("card-text", s) for s in _wrap(text, card_w - 12, 10.5)]
    return lines


def _prerequisite(link, names, words: ViewLabels) -> str:
    name = names.get(link.task, link.task)
    if link.type != LinkType.SS:
        return name
    return words.aside.format(text=name, note=words.start_to_start.format(lag=link.lag))


# -- 项目推动 project push ----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One line of the owner's checklist."""

    by: date
    latest: date | None
    action: str
    department: str
    materials: tuple[str, ...]
    task: str
    early: bool = False
    critical: bool = False
    done: bool = False


def push_steps(
    tasks: Sequence[Task],
    result: Schedule,
    info: Mapping[str, MatterInfo],
    *,
    calendar: WorkCalendar,
    words: ViewLabels,
) -> list[Step]:
    """The owner's steps in time order, as `Step`s.

    Early intervention where a link is start-to-start, then prepare and submit each matter by
    its early start (latest: its late start).
    """
    res = {t.id: t for t in result.tasks}
    steps = []
    for t in tasks:
        r = res[t.id]
        mi = info.get(t.id, MatterInfo())
        for link in t.after:
            if link.type == LinkType.SS and link.task in res:
                steps.append(
                    Step(
                        res[link.task].early_start,
                        None,
                        words.early.format(dept=r.department, name=r.name or r.id),
                        r.department,
                        (),
                        t.id,
                        early=True,
                        done=mi.done,
                    )  # fmt: skip
                )
        by = (
            calendar.add_workdays(r.early_start, -1)
            if r.early_start > result.start
            else r.early_start
        )
        steps.append(
            Step(
                by,
                r.late_start,
                words.submit.format(name=r.name or r.id),
                r.department,
                mi.materials,
                t.id,
                critical=r.critical,
                done=mi.done,
            )  # fmt: skip
        )
    steps.sort(key=lambda s: (s.by, not s.early, s.task))
    return steps


def push_svg(
    tasks: Sequence[Task],
    result: Schedule,
    info: Mapping[str, MatterInfo],
    *,
    calendar: WorkCalendar,
    title: str = "",
    subtitle: str = "",
    labels: Labels,
    words: ViewLabels,
    width: float = 1400.0,
) -> str:
    """The owner's checklist as a printable table: date, latest date, step, to whom, materials."""
    steps = push_steps(tasks, result, info, calendar=calendar, words=words)
    cols = [(16, words.date), (110, words.latest), (204, words.action), (720, words.to_whom),
            (800, words.materials)]  # fmt: skip
    body = [svg_text(16, 26, f"{words.push} · {title}", "title")]
    body.append(svg_text(16, 48, f"{subtitle}  " + summary(result, labels), "summary"))
    y = 64.0
    body.append(f'<rect class="head-cell" x="0" y="{y}" width="{width:.0f}" height="24"/>')
    body += [svg_text(x, y + 16, word, "lane-name") for x, word in cols]
    y += 24
    for s in steps:
        action = words.aside.format(text=s.action, note=words.done) if s.done else s.action
        acts = _wrap(action, 500)
        mats = _wrap(words.list_sep.join(s.materials), width - 816, 10.5) or [""]
        dept = _wrap(s.department, 76) or [""]
        h = max(22, 8 + 14 * max(len(mats), len(acts), len(dept)))
        cls = "step" + (" early" if s.early else "") + (" critical" if s.critical else "")
        mark = "☑" if s.done else "☐"
        body.append(f'<g class="{cls}" data-task="{escape(s.task)}">')
        body.append(
            f'<line class="step-line" x1="0" y1="{y + h:.1f}" x2="{width:.0f}" y2="{y + h:.1f}"/>'
        )
        body.append(svg_text(16, y + 15, f"{mark} {s.by.isoformat()}", "check"))
        body.append(svg_text(110, y + 15, s.latest.isoformat() if s.latest else "—"))
        body += [svg_text(204, y + 15 + 14 * n, a, "action") for n, a in enumerate(acts)]
        body += [svg_text(720, y + 15 + 14 * n, line) for n, line in enumerate(dept)]
        body += [svg_text(800, y + 15 + 14 * n, m, "card-text") for n, m in enumerate(mats)]
        body.append("</g>")
        y += h
    return _doc(width, y + 16, f"{words.push} {title}", body)
