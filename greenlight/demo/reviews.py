"""Demo joint review (联审联批): a batch issued ~70 days ago with the projects then waiting on a
matter before the start of construction, its opinions, meeting, minutes and feedback, and an
upcoming batch with half its opinions in and a meeting next week; all through
`reviews.services`, at the moments they happened. No project's dates are touched here."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from greenlight.accounts.models import Region, User
from greenlight.approvals.choices import OPEN_STATUSES
from greenlight.approvals.models import Approval
from greenlight.catalog.calendars import current as current_calendar
from greenlight.kernel.roles import Role
from greenlight.plans import planning
from greenlight.projects.models import Project
from greenlight.reviews import services
from greenlight.reviews.choices import OpinionKind, Outcome
from greenlight.reviews.models import Batch, Meeting

SEED = 4403065
FIRST_RUN_DAYS = 70  # the first batch was issued this many days before today
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


def build(*, today: date, stdout=None, batched: dict | None = None) -> dict:
    """Create the five-step batches of Oct–Dec 2022 (`batched`: each issue day and the
    projects the simulation listed on it), then the recent and the upcoming batch
    (deterministic); returns counts."""
    rng = random.Random(SEED)
    baoan = Region.objects.get(code="440306")
    coordinator = User.objects.filter(region=baoan, role=Role.COORDINATOR).order_by("pk").first()
    if coordinator is None:
        return {"batches": 0}
    with transaction.atomic():
        history = _five_step(coordinator, batched or {}, today=today, rng=rng)
        first = _first_run(baoan, coordinator, today=today, rng=rng)
        upcoming = _upcoming(baoan, coordinator, today=today, rng=rng, exclude=first)
    made = [b.title for b in (*history, first, upcoming) if b is not None]
    if stdout is not None:
        stdout.write(f"joint review: {', '.join(made) or 'no batch (too few projects)'}\n")
    return {"batches": len(made)}


def _five_step(coordinator, batched: dict, *, today: date, rng: random.Random) -> list[Batch]:
    """The batches of Oct–Dec 2022, the five steps at their historical moments: the list as of
    its issue day (the approvals open then), the opinions within the working days allowed,
    the meeting, its minutes and the departments' feedback."""
    made = []
    for n, day in enumerate(sorted(batched), start=1):
        listed = sorted(batched[day], key=lambda p: p.pk)[: services.MAX_PROJECTS]
        moment = _at(day, 9, 30)
        batch = services.issue_batch(
            title=f"{day.year}年第{n}批联审联批项目清单（五步法）",
            projects=listed,
            actor=coordinator,
            opinion_workdays=5,
            note="总指办下发：提前介入、联审联批、同步办理、限时反馈。",
            at=moment,
            as_of=moment,
        )
        _fill_opinions(batch, rng=rng, share=1.0, at=_at(day + timedelta(days=1), 10))
        meeting_day = current_calendar().add_workdays(batch.opinion_due, 2)
        meeting = services.schedule_meeting(
            batch=batch,
            starts_at=_at(meeting_day, 14, 30),
            ends_at=_at(meeting_day, 17, 30),
            place=PLACE,
            actor=coordinator,
            now=moment,
        )
        _minutes(meeting, coordinator, rng=rng, today=today)
        made.append(batch)
    return made


def _open_projects(region: Region, stage: str):
    return (
        Project.objects.filter(region=region, stage=stage, approvals__status__in=OPEN_STATUSES)
        .distinct()
        .order_by("pk")
    )


def _waiting_on(region: Region, moment: datetime) -> list[Project]:
    """The projects that, at `moment`, were still waiting for a matter before the start of
    construction (submitted or accepted by then, not decided by then) and had not started."""
    rows = (
        Approval.objects.filter(
            project__region=region,
            matter__stage__in=[s.value for s in planning.BEFORE_START],
            submitted_at__lte=moment,
        )
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gt=moment))
        .filter(Q(project__actual_start__isnull=True) | Q(project__actual_start__gt=moment.date()))
        .values_list("project_id", flat=True)
        .distinct()
    )
    return list(Project.objects.filter(pk__in=set(rows)).order_by("pk"))


def _first_run(region: Region, coordinator, *, today: date, rng: random.Random) -> Batch | None:
    """The first batch: the projects that were waiting on a pre-start matter on the day it was
    issued and still have an open approval (the batch's opinions are on open approvals); their
    starts are whatever their histories give."""
    cal = current_calendar()
    issued = cal.add_workdays(today - timedelta(days=FIRST_RUN_DAYS + 2), 0)
    moment = _at(issued, 9, 30)
    candidates = _waiting_on(region, moment)
    still_open = set(
        Approval.objects.filter(project__in=candidates, status__in=OPEN_STATUSES).values_list(
            "project_id", flat=True
        )
    )
    listed = [p for p in candidates if p.pk in still_open][: services.MAX_PROJECTS]
    if not listed:  # a tiny demo (--projects 10)
        return None
    batch = services.issue_batch(
        title=f"{issued.year}年第一批联审联批项目清单",
        projects=listed,
        actor=coordinator,
        opinion_workdays=5,
        note="总指办下发：四季度重点开工项目，提前介入、联审联批、同步办理、限时反馈。",
        at=moment,
    )
    _fill_opinions(batch, rng=rng, share=1.0, at=_at(issued + timedelta(days=3), 16))
    meeting_day = cal.add_workdays(batch.opinion_due, 2)
    meeting = services.schedule_meeting(
        batch=batch,
        starts_at=_at(meeting_day, 14, 30),
        ends_at=_at(meeting_day, 17, 30),
        place=PLACE,
        actor=coordinator,
        now=moment,
    )
    if batch.opinions.exists():
        _minutes(meeting, coordinator, rng=rng, today=today)
    return batch


def _fill_opinions(batch: Batch, *, rng: random.Random, share: float, at: datetime) -> None:
    """Record `share` of the batch's opinions (every other one when 0.5), each by an approver
    of its department through the service."""
    approvers = services.approvers_of(batch.departments.values_list("department_id", flat=True))
    rows = list(batch.opinions.select_related("batch__region", "department").order_by("pk"))
    step = 1 if share >= 1 else round(1 / share)
    for o in rows[::step]:
        actor = (approvers.get(o.department_id) or [None])[0]
        if actor is None:
            continue
        roll = rng.random()
        if roll < 0.6:
            kind, text = OpinionKind.NO_OBJECTION, ""
        elif roll < 0.85:
            kind, text = OpinionKind.GUIDANCE, rng.choice(GUIDANCE)
        else:
            kind, text = OpinionKind.MATERIALS_MISSING, rng.choice(MISSING)
        services.record_opinion(
            opinion=o,
            kind=kind,
            text=text,
            actor=actor,
            at=at + timedelta(minutes=rng.randint(0, 2880)),
        )


def _minutes(meeting: Meeting, coordinator, *, rng: random.Random, today: date) -> None:
    """The meeting's minutes (a decision per project, action items) and the departments'
    feedback on them, through the services, at the moments they happened."""
    projects = list(meeting.batch.items.order_by("pk").values_list("project_id", flat=True))
    departments = list(meeting.batch.departments.values_list("department_id", flat=True))
    day = timezone.localdate(meeting.starts_at)
    decisions = [
        {
            "project_id": pid,
            "outcome": Outcome.CONDITIONS if rng.random() < 0.2 else Outcome.PROCEED,
            "text": "同步办理，限时办结" if i % 5 else "按会议意见补齐材料后同步办理",
        }
        for i, pid in enumerate(projects)
    ]
    items = [
        {
            "project_id": rng.choice(projects),
            "department_id": departments[i % len(departments)],
            "text": rng.choice(ACTIONS),
            "due": day + timedelta(days=rng.randint(3, 15)),
        }
        for i in range(min(36, 3 * len(projects)))
    ]
    services.record_minutes(
        meeting=meeting,
        actor=coordinator,
        summary="会议逐项研究了清单项目的审批堵点，明确各部门同步办理、限时反馈。",
        decisions=decisions,
        action_items=items,
        at=_at(day, 18),
    )
    approvers = services.approvers_of(departments)
    now = _at(today, 0)
    for i, item in enumerate(meeting.action_items.order_by("pk")):
        if i % 12 == 5:  # never fed back: overdue
            continue
        late = i % 9 == 4
        fed = item.due + timedelta(days=rng.randint(1, 4)) if late else item.due - timedelta(days=1)
        moment = _at(max(fed, day), 17)
        actor = (approvers.get(item.department_id) or [None])[0]
        if actor is None or moment >= now:
            continue
        services.feed_back(
            item=item, text="已按会议要求办结，详见办件记录。", actor=actor, at=moment
        )


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
