"""Demo joint review: the case's first run (a batch ~70 days old, most of its projects started
construction since) and an upcoming batch with half its opinions in and a meeting next week."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from greenlight.accounts.models import Region, User
from greenlight.approvals.choices import OPEN_STATUSES
from greenlight.audit import services as audit
from greenlight.catalog.calendars import current as current_calendar
from greenlight.kernel.roles import Role
from greenlight.projects.models import Project
from greenlight.reviews import services
from greenlight.reviews.choices import OpinionKind, Outcome
from greenlight.reviews.models import ActionItem, Batch, Decision, Meeting, Opinion

SEED = 4403065
FIRST_RUN_DAYS = 70  # the case: 122 projects started within 70 days
FIRST_RUN_STARTS = 122
FIRST_RUN_UNSTARTED = 8
PLACE = "宝安区政府三楼第一会议室"
GUIDANCE = [
    "建议同步开展水土保持方案编制，提前对接",
    "请按最新用地规划条件调整总平面图",
    "可采用容缺受理，开工前补齐",
    "建议与排水接驳方案合并报审",
]
MISSING = ["缺少建设工程规划许可附图", "缺少环评报告表专家意见", "缺少施工图审查合格书"]
ACTIONS = [
    "组织现场踏勘并出具书面意见",
    "牵头协调管线迁改方案",
    "限时完成容缺受理后的材料补正审查",
    "会同项目单位明确用地红线",
    "出具交通疏解方案审查意见",
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def build(*, today: date, stdout=None) -> dict:
    """Create the two demo batches (deterministic); returns counts."""
    rng = random.Random(SEED)
    baoan = Region.objects.get(code="440306")
    coordinator = User.objects.filter(region=baoan, role=Role.COORDINATOR).order_by("pk").first()
    if coordinator is None:
        return {"batches": 0}
    with transaction.atomic():
        first = _first_run(baoan, coordinator, today=today, rng=rng)
        upcoming = _upcoming(baoan, coordinator, today=today, rng=rng, exclude=first)
    made = [b.title for b in (first, upcoming) if b is not None]
    if stdout is not None:
        stdout.write(f"joint review: {', '.join(made) or 'no batch (too few projects)'}\n")
    return {"batches": len(made)}


def _open_projects(region: Region, stage: str):
    return (
        Project.objects.filter(region=region, stage=stage, approvals__status__in=OPEN_STATUSES)
        .distinct()
        .order_by("pk")
    )


def _first_run(region: Region, coordinator, *, today: date, rng: random.Random) -> Batch | None:
    cal = current_calendar()
    issued = cal.add_workdays(today - timedelta(days=FIRST_RUN_DAYS + 2), 0)
    # Construction-stage projects that started in another year move their start into the
    # window, so the batch's starts are (mostly) new starts of the issue year.
    building = [
        p
        for p in _open_projects(region, "construction")
        if p.actual_start is None or p.actual_start.year != issued.year
    ][:FIRST_RUN_STARTS]
    waiting = list(_open_projects(region, "approval")[:FIRST_RUN_UNSTARTED])
    if not building and not waiting:  # a tiny demo (--projects 10)
        return None
    last = min(issued + timedelta(days=FIRST_RUN_DAYS), today)
    for i, p in enumerate(building):
        offset = FIRST_RUN_DAYS if i == 0 else rng.randint(12, FIRST_RUN_DAYS)
        p.actual_start = min(issued + timedelta(days=offset), last)
        p.forecast_start = p.actual_start
    Project.objects.bulk_update(building, ["actual_start", "forecast_start"])
    batch = services.issue_batch(
        title=f"{issued.year}年第一批联审联批项目清单",
        projects=[*building, *waiting],
        actor=coordinator,
        opinion_workdays=5,
        note="总指办下发：四季度重点开工项目，提前介入、联审联批、同步办理、限时反馈。",
        at=_at(issued, 9, 30),
    )
    _fill_opinions(batch, rng=rng, share=1.0, at=_at(issued + timedelta(days=3), 16))
    meeting_day = cal.add_workdays(batch.opinion_due, 2)
    meeting = Meeting.objects.create(
        batch=batch,
        starts_at=_at(meeting_day, 14, 30),
        ends_at=_at(meeting_day, 17, 30),
        place=PLACE,
        created_by=coordinator,
        summary="会议逐项研究了清单项目的审批堵点，明确各部门同步办理、限时反馈。",
        minutes_at=_at(meeting_day, 18),
    )
    if batch.opinions.exists():
        _minutes(meeting, coordinator, rng=rng, today=today)
    audit.record(batch, "demo_batch_loaded", changes={"projects": batch.items.count()})
    return batch


def _fill_opinions(batch: Batch, *, rng: random.Random, share: float, at: datetime) -> None:
    """Record `share` of the batch's opinions (every other one when 0.5) as their department."""
    approvers = services.approvers_of(batch.departments.values_list("department_id", flat=True))
    rows = list(batch.opinions.order_by("pk"))
    step = 1 if share >= 1 else round(1 / share)
    chosen = rows[::step]
    for o in chosen:
        roll = rng.random()
        if roll < 0.6:
            o.kind, o.text = OpinionKind.NO_OBJECTION, ""
        elif roll < 0.85:
            o.kind, o.text = OpinionKind.GUIDANCE, rng.choice(GUIDANCE)
        else:
            o.kind, o.text = OpinionKind.MATERIALS_MISSING, rng.choice(MISSING)
        o.recorded_at = at + timedelta(minutes=rng.randint(0, 2880))
        o.recorded_by = (approvers.get(o.department_id) or [None])[0]
    Opinion.objects.bulk_update(chosen, ["kind", "text", "recorded_at", "recorded_by"])


def _minutes(meeting: Meeting, coordinator, *, rng: random.Random, today: date) -> None:
    projects = list(meeting.batch.items.order_by("pk").values_list("project_id", flat=True))
    Decision.objects.bulk_create(
        [
            Decision(
                meeting=meeting,
                project_id=pid,
                outcome=Outcome.CONDITIONS if rng.random() < 0.2 else Outcome.PROCEED,
                text="同步办理，限时办结" if i % 5 else "按会议意见补齐材料后同步办理",
                decided_by=coordinator,
            )
            for i, pid in enumerate(projects)
        ]
    )
    departments = list(meeting.batch.departments.values_list("department_id", flat=True))
    approvers = services.approvers_of(departments)
    day = timezone.localdate(meeting.starts_at)
    items = []
    for i in range(36):
        due = day + timedelta(days=rng.randint(3, 15))
        item = ActionItem(
            meeting=meeting,
            project_id=rng.choice(projects),
            department_id=departments[i % len(departments)],
            text=rng.choice(ACTIONS),
            due=due,
        )
        if i % 12 != 5:  # three items never fed back: overdue; a few fed back late
            late = i % 9 == 4
            fed = due + timedelta(days=rng.randint(1, 4)) if late else due - timedelta(days=1)
            item.feedback = "已按会议要求办结，详见办件记录。"
            item.feedback_at = _at(min(fed, today), 17)
            item.feedback_by = (approvers.get(item.department_id) or [None])[0]
        items.append(item)
    ActionItem.objects.bulk_create(items)


def _upcoming(
    region: Region, coordinator, *, today: date, rng: random.Random, exclude: Batch | None
) -> Batch | None:
    cal = current_calendar()
    issued = cal.add_workdays(today, -3)
    taken = set(exclude.items.values_list("project_id", flat=True)) if exclude else set()
    free = [p for p in _open_projects(region, "approval") if p.pk not in taken]
    picked = free[10:22] or free[:12]
    if not picked:
        return None
    batch = services.issue_batch(
        title=f"{issued.year}年第二批联审联批项目清单",
        projects=picked,
        actor=coordinator,
        opinion_workdays=5,
        at=_at(issued, 10),
    )
    _fill_opinions(batch, rng=rng, share=0.5, at=_at(issued + timedelta(days=1), 11))
    meeting_day = cal.add_workdays(today + timedelta(days=7 - today.weekday()), 1)
    services.schedule_meeting(
        batch=batch,
        starts_at=_at(meeting_day, 9, 30),
        ends_at=_at(meeting_day, 11, 30),
        place=PLACE,
        actor=coordinator,
        now=_at(today, 0),
    )
    return batch
