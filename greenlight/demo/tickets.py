"""Demo problem tickets for the demo district: a few hundred over the last months, most on time,
some late and escalated, a few reopened; deterministic for a given `today`."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from greenlight.accounts.choices import DepartmentKind
from greenlight.accounts.models import Department, Region, User
from greenlight.kernel.progress import Progress
from greenlight.kernel.roles import Role
from greenlight.projects.models import Project
from greenlight.tickets import bulk, clocks
from greenlight.tickets.choices import MILESTONES, Category, Channel, EventKind, Status
from greenlight.tickets.models import Ticket, TicketEvent

TZ = ZoneInfo("Asia/Shanghai")
DAYS_BACK = 150
TITLES = {
    Category.LAND: [
        "临时用地审批办理进度慢",
        "用地红线与现状厂房冲突",
        "土地出让条件需调整",
        "建设用地规划许可证核发卡在地籍调查",
        "集体用地历史遗留问题待处置",
    ],
    Category.PLANNING: [
        "规划设计条件与方案不一致",
        "控规调整尚未批复",
        "建筑退线要求存在争议",
        "总平面图审查意见反复",
        "容积率核算口径不统一",
    ],
    Category.ENVIRONMENT: [
        "环评批复前置条件不明确",
        "排污许可与环评同步办理咨询",
        "施工扬尘整改要求不清晰",
        "水土保持方案审批需提速",
        "噪声敏感点防护措施待确认",
    ],
    Category.FUNDS: [
        "专项债资金拨付滞后",
        "政府投资项目概算调整未批",
        "配套资金未落实",
        "工程进度款支付审核慢",
    ],
    Category.DEMOLITION: [
        "红线内两户房屋征收未完成",
        "青苗及附着物补偿标准争议",
        "临时安置房源不足",
        "拆除范围内厂房租户未清退",
    ],
    Category.PIPELINES: [
        "燃气中压管线迁改方案未定",
        "10kV电缆迁改排期靠后",
        "给水主管迁改需停水协调",
        "通信光缆迁改责任单位不明确",
    ],
    Category.SITE: [
        "施工临时用电报装进度缓慢",
        "施工围挡占道审批未办",
        "渣土受纳场地不足",
        "夜间施工许可办理困难",
        "施工便道需借用市政道路",
    ],
    Category.POLICY: [
        "容缺受理适用范围咨询",
        "告知承诺制办理条件不清",
        "工程建设项目分阶段验收政策咨询",
    ],
    Category.OTHER: ["周边居民投诉需协调", "项目信息系统填报异常", "多部门意见相互矛盾需统筹"],
}
LEAD = {
    Category.LAND: DepartmentKind.PLANNING,
    Category.PLANNING: DepartmentKind.PLANNING,
    Category.ENVIRONMENT: DepartmentKind.ECOLOGY,
    Category.FUNDS: DepartmentKind.DEVELOPMENT,
    Category.DEMOLITION: DepartmentKind.RENEWAL,
    Category.PIPELINES: DepartmentKind.WATER,
    Category.SITE: DepartmentKind.HOUSING,
    Category.POLICY: DepartmentKind.DEVELOPMENT,
    Category.OTHER: DepartmentKind.DEVELOPMENT,
}
# Problems a category's usual lead department does not handle go to the one that does: 水土保持
# to 水务局, 占道 and 施工便道 to 交通运输局, 扬尘 on a site and 燃气管线 to 住建局, 夜间施工 noise
# to 生态环境局, 集体用地 to 城市更新和土地整备局.
TITLE_LEAD = {
    "水土保持方案审批需提速": DepartmentKind.WATER,
    "施工围挡占道审批未办": DepartmentKind.TRANSPORT,
    "施工便道需借用市政道路": DepartmentKind.TRANSPORT,
    "施工扬尘整改要求不清晰": DepartmentKind.HOUSING,
    "燃气中压管线迁改方案未定": DepartmentKind.HOUSING,
    "夜间施工许可办理困难": DepartmentKind.ECOLOGY,
    "集体用地历史遗留问题待处置": DepartmentKind.RENEWAL,
}
WEIGHTS = {
    Category.LAND: 14,
    Category.PLANNING: 14,
    Category.ENVIRONMENT: 12,
    Category.FUNDS: 8,
    Category.DEMOLITION: 10,
    Category.PIPELINES: 12,
    Category.SITE: 18,
    Category.POLICY: 6,
    Category.OTHER: 6,
}
TEXTS = {
    "feedback": "已收到，由{d}{who}负责跟进，今日联系项目单位。",
    "path": "解决路径：1. 现场核实；2. 召集相关部门会商；3. {n}个工作日内出具书面意见。",
    "progress": "已完成现场核实并召开协调会，形成初步处理意见。",
    "resolved": "问题已解决：相关手续已办结，项目可继续推进。",
}
NAMES = {"feedback": "反馈", "path": "路径", "progress": "进展"}
PEOPLE = ["张科长", "李主任", "王副局长", "陈科员", "刘科长"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def _between(rng: random.Random, a: datetime, b: datetime) -> datetime:
    """A moment between a and b (b if the span is empty)."""
    span = (b - a).total_seconds()
    if span <= 0:
        return b
    return a + timedelta(seconds=int(span * rng.uniform(0.15, 0.9)))


class _Plan:
    def __init__(self, rng, region, now):
        self.rng, self.region, self.now = rng, region, now

    def milestones(self, reported: datetime, due: dict, profile: str) -> dict[str, datetime]:
        """When each milestone is met: on time, somewhat late, or very late."""
        rng, out, prev = self.rng, {}, reported
        for m in MILESTONES:
            if profile == "on_time" or (profile == "late" and rng.random() < 0.5):
                at = _between(rng, prev + timedelta(minutes=20), due[m])
            else:
                slip = rng.randint(1, 3 if profile == "late" else 8)
                at = due[m] + timedelta(days=slip, hours=rng.randint(-6, 6))
            at = max(at, prev + timedelta(minutes=30))
            out[m], prev = at, at
        return out


def build(*, today: date, stdout=None) -> dict:
    """Create the demo tickets of 宝安区 (idempotent: does nothing if tickets exist)."""
    if Ticket.objects.exists():
        return {"tickets": Ticket.objects.count()}
    rng = random.Random(6123)
    region = Region.objects.get(code="440306")
    now = _at(today, 0, 0)  # nothing after the start of today: never ahead of the real clock
    projects = list(Project.objects.filter(region=region).select_related("owner").order_by("id"))
    depts = {d.kind: d for d in Department.objects.filter(region=region)}
    coordinator = User.objects.filter(region=region, role=Role.COORDINATOR).order_by("id").first()
    company = User.objects.filter(role=Role.COMPANY, region=region).order_by("id").first()
    approvers = {u.department_id: u for u in User.objects.filter(region=region, role=Role.APPROVER)}
    if not projects or not depts or coordinator is None:
        return {"tickets": 0}
    own = [p for p in projects if company and p.owner_id == company.organization_id]
    plan = _Plan(rng, region, now)
    count = min(320, max(24, len(projects) // 2))  # a few hundred at the demo's scale
    progress = Progress("tickets", count, stream=stdout)
    tickets, events, coop = [], [], []
    with transaction.atomic():
        for i in range(count):
            t, evs, co = _one(
                rng, plan, i, projects, own, depts, coordinator, company, approvers, today
            )
            if t is not None:
                tickets.append(t)
                events.append(sorted(evs, key=lambda e: e.at))  # as the clock wrote them
                coop.append(co)
            progress.advance()
        events_made = bulk.load(list(zip(tickets, events, coop, strict=True)))
    progress.finish()
    return {"tickets": len(tickets), "ticket_events": events_made}


def _one(rng, plan, i, projects, own, depts, coordinator, company, approvers, today):
    category = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    mine = own and rng.random() < 0.12
    project = rng.choice(own) if mine else rng.choice(projects)
    # recent days are busier: more tickets still open near today
    back = int(DAYS_BACK * rng.random() ** 1.6)
    day = today - timedelta(days=back)
    if day.weekday() >= 5 and rng.random() < 0.7:
        day -= timedelta(days=day.weekday() - 4)
    reported = _at(day, rng.randint(8, 18), rng.choice([0, 10, 20, 30, 40, 50]))
    if reported >= plan.now:
        return None, [], []
    if mine:
        reporter, channel = company, rng.choice([Channel.WEB, Channel.WEB, Channel.API])
    else:
        reporter = coordinator
        channel = rng.choice(
            [Channel.PHONE, Channel.VISIT, Channel.MEETING, Channel.EXCEL, Channel.WEB]
        )
    due = clocks.dues(reported, plan.region)
    title = rng.choice(TITLES[category])
    lead = depts.get(TITLE_LEAD.get(title, LEAD[category])) or next(iter(depts.values()))
    others = [d for d in depts.values() if d.pk != lead.pk]
    co = rng.sample(others, min(len(others), rng.choice([0, 1, 1, 2])))
    t = Ticket(
        project=project,
        title=title,
        category=category,
        channel=channel,
        reporter=reporter,
        reported_at=reported,
        feedback_due=due["feedback"],
        path_due=due["path"],
        progress_due=due["progress"],
        description=f"{project.name}：{title}，影响项目推进，请协调解决。",
    )
    evs = [TicketEvent(kind=EventKind.REPORTED, at=reported, actor=reporter, text=t.description)]
    assigned = reported + timedelta(minutes=rng.randint(20, 180))
    if assigned > plan.now:
        return t, evs, []
    t.lead_department, t.assigned_at = lead, assigned
    names = "、".join([lead.name] + [d.name for d in co])
    evs.append(TicketEvent(kind=EventKind.ASSIGNED, at=assigned, actor=coordinator, text=names))
    profile = rng.choices(["on_time", "late", "very_late"], weights=[78, 15, 7])[0]
    met = plan.milestones(assigned, due, profile)
    worker = approvers.get(lead.pk)
    for i, m in enumerate(MILESTONES):
        if met[m] > plan.now:  # not met yet: this and the later milestones may be missed
            for rest in MILESTONES[i:]:
                _missed(t, evs, rest, due[rest], plan.now, plan)
            break
        _missed(t, evs, m, due[m], met[m], plan)
        setattr(t, f"{m}_at", met[m])
        t.status = Status(m)
        text = TEXTS[m].format(d=lead.short_name, who=rng.choice(PEOPLE), n=rng.randint(3, 10))
        evs.append(TicketEvent(kind=m, at=met[m], actor=worker, text=text))
    else:
        _finish(rng, t, evs, met["progress"], worker, reporter, plan, mine)
    return t, evs, co


def _missed(t, evs, m, due, met, plan) -> None:
    """The tick's traces for a milestone met late or still not met: flagged, maybe escalated."""
    if min(met, plan.now) <= due:
        return
    evs.append(
        TicketEvent(
            kind=EventKind.OVERDUE,
            milestone=m,
            at=due + timedelta(minutes=5),
            text=f"{NAMES[m]} · {due:%Y-%m-%d %H:%M}",
        )
    )
    esc = clocks.escalation_at(due, plan.region)
    if min(met, plan.now) > esc:
        evs.append(
            TicketEvent(
                kind=EventKind.ESCALATED,
                milestone=m,
                at=esc + timedelta(minutes=5),
                text=f"{NAMES[m]} · {due:%Y-%m-%d %H:%M}",
            )
        )
        t.escalated_at = t.escalated_at or esc + timedelta(minutes=5)


def _finish(rng, t, evs, progress_at, worker, reporter, plan, mine) -> None:
    resolved = progress_at + timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 6))
    if resolved > plan.now or rng.random() < 0.08:
        return
    t.status, t.resolved_at = Status.RESOLVED, resolved
    evs.append(
        TicketEvent(kind=EventKind.RESOLVED, at=resolved, actor=worker, text=TEXTS["resolved"])
    )
    closed = resolved + timedelta(hours=rng.randint(2, 72))
    if closed > plan.now or not mine and rng.random() < 0.3:
        return
    if rng.random() < 0.06:
        t.status, t.resolved_at, t.reopen_count = Status.REOPENED, None, 1
        evs.append(
            TicketEvent(
                kind=EventKind.REOPENED,
                at=closed,
                actor=reporter,
                text="现场复核发现问题仍未解决，申请重新办理。",
            )
        )
        return
    score = rng.choices([5, 4, 3, 2], weights=[60, 28, 9, 3])[0]
    t.status, t.closed_at, t.satisfaction = Status.CLOSED, closed, score
    t.satisfaction_comment = {
        5: "响应及时，解决彻底。",
        4: "总体满意。",
        3: "解决较慢。",
        2: "协调效果一般。",
    }[score]
    evs.append(
        TicketEvent(
            kind=EventKind.CLOSED,
            at=closed,
            actor=reporter if mine else None,
            text=f"{'★' * score}{'☆' * (5 - score)} {t.satisfaction_comment}"
            + ("" if mine else "（项目单位电话确认）"),
        )
    )
