"""Plans and labels for chart tests: the engine tests' builders, a crowded plan, Chinese words."""

import random

from greenlight.charts.bpmn import BpmnLabels
from greenlight.charts.layout import Labels
from greenlight.charts.views import ViewLabels
from greenlight.engine.calendar import HOLIDAY_NAMES_ZH
from greenlight.engine.network import Task
from greenlight.engine.tests.helpers import CN, task

__all__ = ["CN", "task", "big_plan", "LABELS", "VIEW_LABELS", "BPMN_LABELS"]

LABELS = Labels(
    summary="串联 {serial} 天 → 并联 {parallel} 天，节省 {saved} 天",
    today="今天",
    workday="工作日",
    day="天",
    critical="关键路径",
    planned="计划",
    forecast="实际 / 预测",
    slip="+{days}天",
    weekend="周末",
    holiday="节假日",
    makeup="班",
    bundle="联办",
    no_department="其他",
    plan_start="计划开始",
    finish="并联完成",
    forecast_finish="预测完成",
    target="目标：{task} 须于 {by} 前完成",
    target_verdict="{target}，{verdict}",
    feasible="可按期完成",
    late="将晚 {days} 天",
    provisional="暂定节假日（待国务院放假通知）",
    provisional_holiday="{name}（暂定）",
    provisional_note="{year} 年日历暂定",
    holiday_names={name: name for name in HOLIDAY_NAMES_ZH.values()},
    slipped="延误",
    done="已办结（实际）",
    makeup_day="调休上班日",
)

VIEW_LABELS = ViewLabels(
    service="审批服务流程图",
    push="项目推动流程图",
    coordination="并联协调流程图",
    committed="承诺",
    statutory="法定",
    materials="材料",
    prerequisites="前置",
    department="部门",
    none="无",
    date="日期",
    latest="最迟",
    action="事项",
    to_whom="向谁",
    early="提前介入：与{dept}对接「{name}」",
    submit="准备材料并申报「{name}」",
    done="已办结",
    parallel="{n} 项",
    departments_at_once="同时办理的部门数",
    peak="最多 {n}",
    meeting="联审联批会议",
    bundle="联办",
    start_to_start="SS+{lag}",
    field="{label}：{value}",
    aside="{text}（{note}）",
    list_sep="、",
)

BPMN_LABELS = BpmnLabels(
    no_department="—",
    workday="工作日",
    day="天",
    critical="关键路径",
    bundle="联办 {name}",
    start_to_start="SS+{lag}",
)


def big_plan(n: int = 60, lanes: int = 10, seed: int = 7) -> list[Task]:
    """n tasks over `lanes` departments, each after 0-2 earlier tasks: crowded lanes."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        after = rng.sample([f"m{j}" for j in range(i)], k=min(i, rng.randint(0, 2)))
        t = task(f"m{i}", rng.randint(0, 25), *after, dept=f"部门{i % lanes}")
        out.append(
            Task(t.id, t.duration, t.unit, t.after, name=f"审批事项{i}", department=t.department)
        )
    return out
