"""Demo problem tickets: each arises from a blocker in the simulated approvals (`blockers`) and is
handled on the 1-2-3 clocks. It is reported the day the blocker becomes visible, by the project
owner's account where the owner has one (else recorded by the region's coordinator); the
blocked approval's department leads it, the departments of the other matters it holds up
cooperate. Its milestones are met on the clocks (mostly on time, some late, with the overdue and
escalation traces the tick would have written); it is resolved when the blocker ends in the
data, and stays open while the blocker still runs at today. Deterministic for the same data."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from greenlight.accounts.models import Region, User
from greenlight.catalog import calendars
from greenlight.kernel.progress import Progress
from greenlight.kernel.roles import Role
from greenlight.tickets import bulk, clocks
from greenlight.tickets.choices import MILESTONES, Channel, EventKind, Status
from greenlight.tickets.models import Ticket, TicketEvent

from . import blockers as B
from .ticket_texts import category_of, describe, step_text

TZ = ZoneInfo("Asia/Shanghai")
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


def _office(rng: random.Random, at: datetime, prev: datetime) -> datetime:
    """`at` moved into the day's office hours where it fell in the night (never before `prev`):
    a moment before 8:00 to the morning, one after 20:00 to the evening."""
    local = at.astimezone(TZ)
    if local.hour < 8:
        return local.replace(hour=rng.randint(8, 10), minute=rng.randint(0, 59))
    if local.hour >= 20:
        evening = local.replace(hour=rng.randint(17, 19), minute=rng.randint(0, 59))
        return evening if evening > prev else at
    return at


class _Plan:
    def __init__(self, rng, now):
        self.rng, self.now = rng, now

    def milestones(self, start: datetime, due: dict, profile: str) -> dict[str, datetime]:
        """When each milestone is met: on time, somewhat late, or very late."""
        rng, out, prev = self.rng, {}, start
        for m in MILESTONES:
            if profile == "on_time" or (profile == "late" and rng.random() < 0.5):
                at = _between(rng, prev + timedelta(minutes=20), due[m])
            else:
                slip = rng.randint(1, 3 if profile == "late" else 8)
                at = due[m] + timedelta(days=slip, hours=rng.randint(-6, 6))
            at = max(_office(rng, at, prev), prev + timedelta(minutes=30))
            out[m], prev = at, at
        return out


class _People:
    """Who reports and who answers: owners' accounts, coordinators, departments' approvers."""

    def __init__(self, regions):
        self.owner, self.coordinator, self.approver = {}, {}, {}
        for u in User.objects.filter(region__in=regions).order_by("id"):
            if u.role == Role.COMPANY and u.organization_id:
                self.owner.setdefault(u.organization_id, u)
            elif u.role == Role.COORDINATOR:
                self.coordinator.setdefault(u.region_id, u)
            elif u.role == Role.APPROVER and u.department_id:
                self.approver.setdefault(u.department_id, u)


def build(*, today: date, stdout=None) -> dict:
    """Create the demo tickets from the blockers in the data (idempotent: does nothing if
    tickets exist). Only the regions with a coordinator, who assigns them, get tickets."""
    if Ticket.objects.exists():
        return {"tickets": Ticket.objects.count()}
    rng = random.Random(6123)
    regions = list(Region.objects.filter(users__role=Role.COORDINATOR).distinct().order_by("pk"))
    people = _People(regions)
    found = B.find(regions, cal=calendars.current(), today=today)
    plan = _Plan(rng, _at(today, 0))  # nothing after the start of today: never ahead of the clock
    progress = Progress("tickets", len(found), stream=stdout)
    rows = []
    for b in found:
        t, evs, co = _one(rng, plan, b, people)
        rows.append((t, sorted(evs, key=lambda e: e.at), co))  # as the clock wrote them
        progress.advance()
    with transaction.atomic():
        events_made = bulk.load(rows)
    progress.finish()
    return {"tickets": len(rows), "ticket_events": events_made}


def _one(rng, plan, b: B.Blocker, people: _People):
    a, project = b.approval, b.approval.project
    coordinator = people.coordinator[project.region_id]
    owner = people.owner.get(project.owner_id)
    reported = _at(b.day, rng.randint(9, 11), rng.choice([0, 10, 20, 30, 40, 50]))
    if owner is not None:
        reporter, channel = owner, rng.choice([Channel.WEB, Channel.WEB, Channel.API])
    else:
        reporter = coordinator
        channel = rng.choice([Channel.PHONE, Channel.VISIT, Channel.MEETING, Channel.EXCEL])
    title, description = describe(b)
    due = clocks.dues(reported, project.region)
    t = Ticket(
        project=project,
        title=title,
        category=category_of(a.matter.code, a.department.kind),
        channel=channel,
        reporter=reporter,
        reported_at=reported,
        feedback_due=due["feedback"],
        path_due=due["path"],
        progress_due=due["progress"],
        description=description,
    )
    source = b.source
    evs = [
        TicketEvent(
            kind=EventKind.REPORTED,
            at=reported,
            actor=reporter,
            text=description,
            ref_type=source._meta.label_lower,
            ref_id=str(source.pk),
            ref_repr=f"{a.matter.name} · {project.code}"[:300],
        )
    ]
    lead, co = a.department, [d for _m, d in b.others]
    assigned = reported + timedelta(minutes=rng.randint(20, 90))
    t.lead_department, t.assigned_at = lead, assigned
    names = "、".join([lead.name] + [d.name for d in co])
    evs.append(TicketEvent(kind=EventKind.ASSIGNED, at=assigned, actor=coordinator, text=names))
    profile = rng.choices(["on_time", "late", "very_late"], weights=[78, 15, 7])[0]
    met = plan.milestones(assigned, due, profile)
    end = b.end if b.end is not None and b.end <= plan.now else None
    if end is not None:  # the blocker ended: what was still to do is done with it
        prev = assigned
        for m in MILESTONES:
            met[m] = max(min(met[m], end), prev + timedelta(minutes=1))
            prev = met[m]
    worker = a.handler or people.approver.get(lead.pk)
    for i, m in enumerate(MILESTONES):
        if met[m] > plan.now:  # not met yet: this and the later milestones may be missed
            for rest in MILESTONES[i:]:
                _missed(t, evs, rest, due[rest], plan.now, project.region)
            break
        _missed(t, evs, m, due[m], met[m], project.region)
        setattr(t, f"{m}_at", met[m])
        t.status = Status(m)
        who = rng.choice(PEOPLE)
        text = step_text(m, b, lead=lead.short_name, who=who, n=rng.randint(3, 10))
        evs.append(TicketEvent(kind=m, at=met[m], actor=worker, text=text))
    else:
        if end is not None:
            resolved = max(end, met["progress"]) + timedelta(minutes=rng.randint(10, 50))
            if resolved <= plan.now:
                _finish(rng, t, evs, resolved, worker, reporter, plan, owner is not None, b)
    return t, evs, co


def _missed(t, evs, m, due, met, region) -> None:
    """The tick's traces for a milestone met late or still not met: flagged, maybe escalated."""
    if met <= due:
        return
    evs.append(
        TicketEvent(
            kind=EventKind.OVERDUE,
            milestone=m,
            at=due + timedelta(minutes=5),
            text=f"{NAMES[m]} · {due:%Y-%m-%d %H:%M}",
        )
    )
    esc = clocks.escalation_at(due, region)
    if met > esc:
        evs.append(
            TicketEvent(
                kind=EventKind.ESCALATED,
                milestone=m,
                at=esc + timedelta(minutes=5),
                text=f"{NAMES[m]} · {due:%Y-%m-%d %H:%M}",
            )
        )
        t.escalated_at = t.escalated_at or esc + timedelta(minutes=5)


def _finish(rng, t, evs, resolved, worker, reporter, plan, mine, b) -> None:
    """Resolved with the blocker's end; closed by the reporter's confirmation later (an owner
    with an account confirms online and rates it, others by phone, some never)."""
    t.status, t.resolved_at = Status.RESOLVED, resolved
    evs.append(
        TicketEvent(kind=EventKind.RESOLVED, at=resolved, actor=worker, text=step_text("end", b))
    )
    closed = resolved + timedelta(hours=rng.randint(2, 72))
    if closed > plan.now or not mine and rng.random() < 0.3:
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
