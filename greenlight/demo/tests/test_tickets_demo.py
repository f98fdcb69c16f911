"""The demo tickets arise from the blockers in the approvals' data (an overrun, a long pause, an
overdue 容缺 gap), are reported when the blocker shows, resolved when it ends, and are the same
for the same data."""

from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from greenlight.approvals.models import Approval, MissingMaterial, Pause
from greenlight.demo import blockers
from greenlight.demo import tickets as demo
from greenlight.tickets import jobs
from greenlight.tickets.choices import OPEN_STATUSES, STAFF_CHANNELS
from greenlight.tickets.models import Ticket, TicketEvent
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)
TZ = ZoneInfo("Asia/Shanghai")


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def _approval(world, project, accepted: date, due: date, decided: date | None, **extra):
    return f.ApprovalFactory(
        project=project,
        matter=f.MatterFactory(department_kind="ecology"),
        department=world.eco,
        status="approved" if decided else extra.pop("status", "accepted"),
        submitted_at=_at(accepted, 9),
        accepted_at=_at(accepted, 10),
        due_at=_at(due, 18),
        decided_at=_at(decided, 16) if decided else None,
        **extra,
    )


def _fingerprint():
    return list(
        Ticket.objects.order_by("reported_at", "title", "project_id").values_list(
            "project_id", "title", "category", "status", "reported_at", "feedback_at",
            "resolved_at", "escalated_at", "reporter_id", "lead_department_id",
        )
    )  # fmt: skip


def _source(ticket: Ticket) -> tuple[str, int]:
    e = ticket.events.get(kind="reported")
    return e.ref_type, int(e.ref_id)


def _blockers(world):
    """Three blockers and four look-alikes that are none, in 宝安区."""
    other = f.ProjectFactory(owner=f.OrganizationFactory(region=world.baoan))  # no account
    late = _approval(
        world, world.project1, date(2026, 10, 19), date(2026, 10, 30), date(2026, 11, 10)
    )
    _approval(world, world.project1, date(2026, 10, 19), date(2026, 11, 2), date(2026, 11, 4))
    _approval(world, world.project1, date(2021, 3, 1), date(2021, 3, 15), date(2021, 4, 30))
    paused = _approval(
        world, world.project2, date(2026, 10, 20), date(2026, 11, 3), None, status="paused"
    )
    long = Pause.objects.create(
        approval=paused, reason="supplement", started_at=_at(date(2026, 10, 22), 15)
    )
    short = _approval(world, world.project2, date(2026, 10, 30), date(2026, 11, 30), None)
    Pause.objects.create(
        approval=short,
        reason="expert_review",
        started_at=_at(date(2026, 11, 2), 15),
        ended_at=_at(date(2026, 11, 9), 9),
    )
    gapped = _approval(world, other, date(2026, 11, 2), date(2026, 11, 30), None)
    gap = MissingMaterial.objects.create(
        approval=gapped, name="用地预审与选址意见书", due_on=date(2026, 11, 9)
    )
    for name, supplied in (("节能审查意见", None), ("资金来源说明", _at(date(2026, 11, 9)))):
        MissingMaterial.objects.create(
            approval=gapped, name=name, due_on=date(2026, 11, 9), supplied_at=supplied
        )
    return late, long, gap  # fmt: skip


def test_each_blocker_gives_one_ticket_reported_when_it_shows_and_resolved_when_it_ends(world):
    # given an approval decided 7 working days past its due day, a 补正 pause running since
    # 22 Oct, three 容缺 materials due 9 Nov, two not supplied; and an overrun of 2 days, a pause of 5
    # working days and an overrun from before the 1-2-3 mechanism
    late, long, gap = _blockers(world)
    # when the demo tickets are built
    assert demo.build(today=TODAY)["tickets"] == 3
    by_source = {_source(t): t for t in Ticket.objects.all()}
    # then each blocker gives one ticket, and nothing else does
    assert set(by_source) == {
        ("approvals.approval", late.pk),
        ("approvals.pause", long.pk),
        ("approvals.missingmaterial", gap.pk),
    }
    overrun = by_source[("approvals.approval", late.pk)]
    paused = by_source[("approvals.pause", long.pk)]
    gapped = by_source[("approvals.missingmaterial", gap.pk)]
    # reported on the day it shows: the 3rd working day after the due day, the 10th working day
    # of the pause, the working day after the material's day
    days = {t: timezone.localtime(t.reported_at).date() for t in (overrun, paused, gapped)}
    assert days == {
        overrun: date(2026, 11, 4),
        paused: date(2026, 11, 5),
        gapped: date(2026, 11, 10),
    }
    # by the owner's account where it has one, else recorded by the coordinator
    assert overrun.reporter == world.users.company and paused.reporter == world.users.company2
    assert gapped.reporter == world.users.coordinator and gapped.channel in STAFF_CHANNELS
    # the approval's department leads; the category follows it (生态环境局: environment)
    assert {t.lead_department for t in (overrun, paused, gapped)} == {world.eco}
    assert {t.category for t in (overrun, paused, gapped)} == {"environment"}
    # the title and description name the matter and the blocker
    assert overrun.title == f"{late.matter.name}超过承诺时限未办结"
    assert "2026年10月30日" in overrun.description and world.project1.name in overrun.description
    assert paused.title == f"{long.approval.matter.name}补正材料久未完成"
    assert "用地预审与选址意见书" in gapped.description and "2026年11月9日" in gapped.description
    # one problem for the materials due that day, naming those still missing
    assert "节能审查意见" in gapped.description and "资金来源说明" not in gapped.description
    # resolved when the approval was decided; still open while the others still run
    assert late.decided_at <= overrun.resolved_at <= late.decided_at + timedelta(hours=1)
    assert overrun.status in ("resolved", "closed")
    assert paused.status in OPEN_STATUSES and gapped.status in OPEN_STATUSES
    assert paused.resolved_at is None and gapped.resolved_at is None


def test_demo_tickets_are_deterministic(world):
    _blockers(world)
    demo.build(today=TODAY)
    first = _fingerprint()
    TicketEvent.objects.all().delete()
    Ticket.objects.all().delete()
    demo.build(today=TODAY)
    assert _fingerprint() == first and len(first) == 3
    # and the tick does not flag or escalate again what the demo already traced before its day
    assert jobs.escalate(now=demo._at(TODAY, 16, 0)) == {"overdue": 0, "escalated": 0}


def _running(begin, end, moment) -> bool:
    return begin <= moment and (end is None or end > moment)


def _check(t: Ticket, now: datetime) -> datetime | None:
    """The ticket's blocker holds in the data at its report; returns when the blocker ended."""
    kind, pk = _source(t)
    moment = t.reported_at
    assert moment.date() >= blockers.MECHANISM_START and moment < now
    if kind == "approvals.approval":
        a = Approval.objects.get(pk=pk)
        assert a.accepted_at < a.due_at < moment, t.title
        assert not any(_running(p.started_at, p.ended_at, moment) for p in a.pauses.all())
        end = a.decided_at
    elif kind == "approvals.pause":
        p = Pause.objects.get(pk=pk)
        a = p.approval
        assert p.started_at + timedelta(days=blockers.LONG_PAUSE) < moment, t.title
        end = p.ended_at
    else:
        assert kind == "approvals.missingmaterial", kind
        g = MissingMaterial.objects.get(pk=pk)
        a = g.approval
        assert g.due_on < timezone.localtime(moment).date()
        supplied = list(a.missing.filter(due_on=g.due_on).values_list("supplied_at", flat=True))
        end = None if None in supplied else max(supplied)  # when the last one came
    assert end is None or end > moment, t.title  # still blocked when reported
    assert a.project_id == t.project_id and a.department_id == t.lead_department_id
    assert a.matter.name in t.title and a.matter.name in t.description
    return end


def test_every_demo_ticket_rests_on_a_blocker_of_the_data():
    # given the demo district
    call_command(
        "demo", "--projects", "40", "--today", TODAY.isoformat(), stdout=StringIO(), stderr=StringIO()
    )  # fmt: skip
    now = demo._at(TODAY, 0)
    tickets = list(Ticket.objects.select_related("project"))
    assert tickets  # a district of 40 projects meets some blockers
    kinds = set()
    for t in tickets:
        # then every ticket's blocker is in the data as its report says
        end = _check(t, now)
        kinds.add(_source(t)[0])
        # and it is resolved when the blocker ended, open while it still runs
        if end is None or end > now:
            assert t.status in OPEN_STATUSES and t.resolved_at is None, t.title
        else:
            assert end <= t.resolved_at <= end + timedelta(hours=1), t.title
        # and the departments that cooperate own a matter of the project
        co = set(t.cooperating_departments.values_list("pk", flat=True))
        assert co <= set(t.project.approvals.values_list("department_id", flat=True))
        assert t.lead_department_id not in co
    assert {"approvals.approval", "approvals.pause"} <= kinds
