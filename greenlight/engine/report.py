"""Schedule results as the documented JSON dict and as a readable text table."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from .schedule import Schedule, TaskResult

if TYPE_CHECKING:
    from .planfile import Plan


def to_json(plan: Plan, result: Schedule) -> dict:
    """The documented JSON shape of a schedule (dates as ISO strings)."""
    out = {
        "name": plan.name,
        "start": result.start.isoformat(),
        "calendar": plan.calendar,
        "parallel": _span_json(result.parallel),
        "serial": _span_json(result.serial),
        "saved_days": result.saved_days,
        "critical": list(result.critical),
        "tasks": [_task_json(t) for t in result.tasks],
        "bundles": [
            {**_task_json(b), "tasks": list(src.tasks)}
            for b, src in zip(result.bundles, plan.bundles, strict=True)
        ],
    }
    if result.target:
        t = result.target
        out["target"] = {
            "task": t.task,
            "by": t.by.isoformat(),
            "feasible": t.feasible,
            "days_late": t.days_late,
        }
    if result.forecast:
        out["forecast"] = {**_span_json(result.forecast), "slip_days": result.slip_days}
        out["as_of"] = plan.as_of.isoformat()
    out["warnings"] = list(result.warnings)
    out["provisional_years"] = list(result.provisional_years)
    return out


def _span_json(span) -> dict:
    return {"finish": span.finish.isoformat(), "days": span.days, "workdays": span.workdays}


def _task_json(t: TaskResult) -> dict:
    out = {
        "id": t.id,
        "name": t.name,
        "department": t.department,
        "duration": t.duration,
        "unit": str(t.unit),
        "early_start": t.early_start.isoformat(),
        "early_finish": t.early_finish.isoformat(),
        "late_start": t.late_start.isoformat(),
        "late_finish": t.late_finish.isoformat(),
        "float_days": t.float_days,
        "critical": t.critical,
    }
    if t.bundle:
        out["bundle"] = t.bundle
    if t.forecast_start is not None:
        out["forecast_start"] = t.forecast_start.isoformat()
        out["forecast_finish"] = t.forecast_finish.isoformat()
        out["slip_days"] = t.slip_days
    return out


def summary(result: Schedule) -> str:
    """The one-line headline, e.g. `串联 141 天 → 并联 90 天，节省 51 天`."""
    return f"串联 {result.serial.days} 天 → 并联 {result.parallel.days} 天，节省 {result.saved_days} 天"


def render_text(plan: Plan, result: Schedule) -> str:
    """A table by lane (department): task, dates, float, critical ★; then the summary."""
    lanes: dict[str, list[TaskResult]] = {}
    for t in result.tasks:
        lanes.setdefault(t.department or "—", []).append(t)
    header = (
        "部门",
        "任务",
        "工期",
        "最早开始",
        "最早完成",
        "最迟开始",
        "最迟完成",
        "浮动",
        "关键",
    )
    rows = [header]
    for lane, tasks in lanes.items():
        for t in sorted(tasks, key=lambda t: t.early_start):
            label = f"{t.id} {t.name}".strip() + (f" [{t.bundle}]" if t.bundle else "")
            unit = "工作日" if t.unit == "workday" else "天"
            dates = (t.early_start, t.early_finish, t.late_start, t.late_finish)
            star = "★" if t.critical else ""
            rows.append(
                (lane, label, f"{t.duration}{unit}", *map(str, dates), str(t.float_days), star)
            )
            lane = ""  # print each lane's name once
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    if plan.name:
        lines.insert(0, plan.name)
    lines.append("")
    lines.append(summary(result))
    lines.extend(_extra_lines(result))
    return "\n".join(lines) + "\n"


def _extra_lines(result: Schedule) -> list[str]:
    out = []
    if result.target:
        t = result.target
        verdict = "可以按期完成" if t.feasible else f"将晚 {t.days_late} 天"
        out.append(f"目标：{t.task} 须于 {t.by} 前完成，{verdict}")
    if result.forecast:
        out.append(f"预测完成 {result.forecast.finish}，较计划延误 {result.slip_days} 天")
    out.extend(f"警告：{w}" for w in result.warnings)
    return out


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
