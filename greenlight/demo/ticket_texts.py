"""What the demo's tickets say: the category, title and description of the blocker they arise
from, and the handling department's notes on each milestone, as an official would write them."""

from __future__ import annotations

from datetime import date, datetime

from greenlight.accounts.choices import DepartmentKind
from greenlight.approvals.choices import PauseReason
from greenlight.tickets.choices import Category

from .blockers import GAP, LONG_PAUSE, OVERRUN, OVERRUN_GRACE, PAUSE, Blocker, local_day

# The ticket's category follows the blocked matter's department; a few matters of a department
# belong elsewhere (用地 matters of 规划和自然资源局 are land, 交评 is planning, 排水 pipelines,
# the investment decisions of 发展和改革局 funding).
BY_DEPARTMENT = {
    DepartmentKind.DEVELOPMENT: Category.POLICY,
    DepartmentKind.PLANNING: Category.PLANNING,
    DepartmentKind.RENEWAL: Category.DEMOLITION,
    DepartmentKind.HOUSING: Category.SITE,
    DepartmentKind.ECOLOGY: Category.ENVIRONMENT,
    DepartmentKind.WATER: Category.ENVIRONMENT,
    DepartmentKind.TRANSPORT: Category.SITE,
    DepartmentKind.LAND_INSPECTION: Category.LAND,
}
BY_MATTER = {
    "DRC-01": Category.FUNDS,
    "DRC-02": Category.FUNDS,
    "DRC-06": Category.FUNDS,
    "PL-01": Category.LAND,
    "PL-04": Category.LAND,
    "PL-05": Category.LAND,
    "PL-10": Category.LAND,
    "TR-01": Category.PLANNING,
    "WA-04": Category.PIPELINES,
}
PAUSED = {
    PauseReason.SUPPLEMENT: (
        "补正材料久未完成",
        "因申请材料需补正暂停办理",
        "项目单位反映补正要求不够明确，请{d}一次性书面列明补正内容，指导项目单位尽快补齐。",
    ),
    PauseReason.EXPERT_REVIEW: (
        "专家评审久未完成",
        "转入专家评审，暂停计算办理时限",
        "目前尚未出具评审意见，请{d}尽快组织专家评审并恢复办理。",
    ),
    PauseReason.SITE_INSPECTION: (
        "现场勘查久未完成",
        "转入现场勘查，暂停计算办理时限",
        "目前尚未完成勘查，请{d}尽快安排现场勘查并恢复办理。",
    ),
}
OTHER_PAUSE = ("暂停办理时间过长", "暂停办理", "请{d}明确恢复办理的条件和时间。")
PATHS = {
    OVERRUN: "解决路径：1. 核查办理卡点；2. 明确办结时间并告知项目单位；3. {n}个工作日内办结。",
    PauseReason.SUPPLEMENT: (
        "解决路径：1. 一次性书面告知补正清单；2. 指导项目单位补齐材料；3. 材料齐全后即时恢复办理。"
    ),
    PauseReason.EXPERT_REVIEW: (
        "解决路径：1. 确定评审专家和时间；2. 召开专家评审会；3. 出具评审意见后恢复办理。"
    ),
    PauseReason.SITE_INSPECTION: (
        "解决路径：1. 确定勘查时间；2. 会同项目单位现场勘查；3. 勘查完成后恢复办理。"
    ),
    GAP: "解决路径：1. 核实容缺材料办理进度；2. 协调出具材料的单位；3. 材料补齐后办结审批。",
}
OTHER_PATH = "解决路径：1. 现场核实；2. 召集相关部门会商；3. {n}个工作日内出具书面意见。"
ENDS = {
    OVERRUN: "问题已解决：{m}已于{day}办结。",
    PAUSE: "问题已解决：{m}已于{day}恢复办理。",
    GAP: "问题已解决：容缺材料已于{day}补齐。",
}


def cn(day: date | datetime) -> str:
    """A date as an official writes it: 2024年3月5日."""
    if isinstance(day, datetime):
        day = local_day(day)
    return f"{day.year}年{day.month}月{day.day}日"


def category_of(matter_code: str, department_kind: str) -> str:
    return BY_MATTER.get(matter_code) or BY_DEPARTMENT.get(department_kind, Category.OTHER)


def describe(b: Blocker) -> tuple[str, str]:
    """The ticket's title and description: the matter, the blocker, what is asked and of whom."""
    a = b.approval
    matter, dept, project = a.matter.name, a.department.name, a.project.name
    others = "、".join(f"{m.name}（{d.name}）" for m, d in b.others)
    if b.kind == OVERRUN:
        text = (
            f"{project}的{matter}于{cn(a.accepted_at)}受理，承诺办结时限为{cn(a.due_at)}，"
            f"超过时限{OVERRUN_GRACE}个工作日仍未办结。"
        )
        if others:
            text += f"该事项是{others}的前置条件，后续事项暂无法申报。"
        return f"{matter}超过承诺时限未办结", text + f"请{dept}说明原因并加快办理。"
    if b.kind == GAP:
        missing = [g for g in b.gaps if g.supplied_at is None or local_day(g.supplied_at) > b.day]
        names = "、".join(f"“{g.name}”" for g in missing)
        text = (
            f"{project}的{matter}于{cn(a.accepted_at)}容缺受理，所缺{names}应于"
            f"{cn(b.source.due_on)}前补齐，现已逾期，审批无法办结。"
        )
        if others:
            text += f"相关材料有赖{others}办结后出具，请{dept}会同相关单位协调解决。"
        else:
            text += f"请{dept}督促指导项目单位尽快补齐。"
        return f"{matter}容缺材料逾期未补齐", text
    title, what, ask = PAUSED.get(b.source.reason, OTHER_PAUSE)
    text = (
        f"{project}的{matter}于{cn(b.source.started_at)}{what}，"
        f"已逾{LONG_PAUSE}个工作日未恢复办理。{ask.format(d=dept)}"
    )
    return f"{matter}{title}", text


def step_text(step: str, b: Blocker, *, lead: str = "", who: str = "", n: int = 0) -> str:
    """The handling department's note on a milestone (or on the end of the blocker)."""
    if step == "feedback":
        return f"已收到，由{lead}{who}负责跟进，今日联系项目单位。"
    key = b.kind if b.kind != PAUSE else b.source.reason
    if step == "path":
        return PATHS.get(key, OTHER_PATH).format(n=n)
    if step == "progress":
        return "已与项目单位沟通并核实情况，形成初步处理意见，正在推进。"
    end = ENDS[b.kind]
    return end.format(m=b.approval.matter.name, day=cn(b.end))
