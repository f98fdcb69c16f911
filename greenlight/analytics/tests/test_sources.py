"""What analytics reads from problem tickets and joint reviews (through their selectors): the
dashboard's ticket lights, the scorecards' 1-2-3 compliance and review timeliness, and the
tickets in the event-log exports."""

import json
from datetime import date, timedelta

import pytest

from greenlight.analytics import dashboard, scorecards
from greenlight.approvals.choices import Status
from greenlight.reviews.models import ActionItem, Batch, Meeting, Opinion
from greenlight.tickets.choices import Category
from greenlight.tickets.choices import Status as TicketStatus
from greenlight.tickets.models import Ticket, TicketEvent
from tests import factories as f

from .conftest import at

MARCH = scorecards.month_period(date(2025, 3, 1))
MILESTONES = ("feedback", "path", "progress")


def ticket(world, *, lead, reported, project=None, **fields) -> Ticket:
    """A ticket due 1, 2 and 3 days after `reported` unless `fields` say otherwise."""
    dues = {f"{m}_due": reported + timedelta(days=n) for n, m in enumerate(MILESTONES, 1)}
    return Ticket.objects.create(
        project=project or world.project1,
        title="施工用电接入",
        category=Category.PIPELINES,
        reporter=world.users.company,
        reported_at=reported,
        lead_department=lead,
        **{**dues, **fields},
    )


def test_ticket_lights_per_lead_department(world):
    # given, at 10:00 on Wed 03-12: eco leads a ticket overdue since 09:00, water one whose path
    # is due at 15:00 today; one due tomorrow and a closed one overdue do not light
    now = at(3, 12, 10)
    ticket(world, lead=world.eco, reported=at(3, 11, 9))
    ticket(
        world,
        lead=world.water,
        reported=at(3, 10),
        feedback_at=at(3, 10, 11),
        path_due=at(3, 12, 15),
    )
    ticket(world, lead=world.eco, reported=at(3, 12, 9))
    ticket(world, lead=world.eco, reported=at(3, 1), status=TicketStatus.CLOSED)
    # when
    rows = {r["department_id"]: r for r in dashboard.lights(user=world.users.leader, now=now)}
    # then ticket lights, and no approval lights taken from them
    assert (rows[world.eco.pk]["ticket_red"], rows[world.eco.pk]["ticket_yellow"]) == (1, 0)
    assert (rows[world.water.pk]["ticket_red"], rows[world.water.pk]["ticket_yellow"]) == (0, 1)
    assert rows[world.eco.pk]["red"] == rows[world.water.pk]["yellow"] == 0
    assert rows[world.eco.pk]["name"] == world.eco.short_name
    # and another district sees none of them
    assert dashboard.lights(user=world.users.nanshan, now=now) == []


def test_ticket_compliance_counts_milestones_due_in_the_month(world):
    # given eco: feedback in time, path a day late, progress met by the resolution in time;
    # water: nothing done, all three long due; a ticket of February is not counted
    ticket(
        world,
        lead=world.eco,
        reported=at(3, 3, 9),
        feedback_at=at(3, 4, 8),
        path_at=at(3, 6, 9),
        resolved_at=at(3, 5, 16),
    )
    ticket(world, lead=world.water, reported=at(3, 10, 9))
    ticket(world, lead=world.water, reported=at(2, 3, 9), feedback_at=at(2, 3, 10))
    # when
    got = scorecards.ticket_compliance(user=world.users.coordinator, period=MARCH)
    # then (met in time, counted)
    assert got == {world.eco.pk: (2, 3), world.water.pk: (0, 3)}
    assert scorecards.ticket_compliance(user=world.users.nanshan, period=MARCH) == {}


@pytest.fixture
def batch(world):
    """A March batch: eco's opinion in by its due day, water's late; eco's action item fed back
    on its due day, water's never."""
    b = Batch.objects.create(
        region=world.baoan,
        title="2025年第1批联审",
        issued_at=at(3, 3),
        issued_by=world.users.coordinator,
        opinion_due=date(2025, 3, 10),
    )
    water_case = f.ApprovalFactory(
        project=world.project2,
        matter=f.MatterFactory(department_kind=world.water.kind),
        department=world.water,
        status=Status.NOT_STARTED,
    )
    for a, recorded in ((world.approval1, at(3, 10, 17)), (water_case, at(3, 11, 9))):
        Opinion.objects.create(
            batch=b,
            project=a.project,
            approval=a,
            matter=a.matter,
            department=a.department,
            recorded_at=recorded,
        )
    meeting = Meeting.objects.create(
        batch=b,
        starts_at=at(3, 14, 9),
        ends_at=at(3, 14, 11),
        place="区政府三楼会议室",
        created_by=world.users.coordinator,
    )
    ActionItem.objects.create(
        meeting=meeting,
        department=world.eco,
        text="出具环评意见",
        due=date(2025, 3, 20),
        feedback_at=at(3, 20, 18),
    )
    ActionItem.objects.create(
        meeting=meeting, department=world.water, text="确定排水方案", due=date(2025, 3, 21)
    )
    return b


def test_review_timeliness_per_department(world, batch):
    # when
    got = scorecards.review_timeliness(user=world.users.coordinator, period=MARCH)
    # then (in time, counted)
    assert got == {
        world.eco.pk: {"opinions": (1, 1), "feedback": (1, 1)},
        world.water.pk: {"opinions": (0, 1), "feedback": (0, 1)},
    }
    # and companies read no batches
    assert scorecards.review_timeliness(user=world.users.company, period=MARCH) == {}


def test_scorecard_ranking_takes_tickets_and_reviews(world, batch):
    # given eco's ticket milestones all in time
    ticket(world, lead=world.eco, reported=at(3, 3, 9), resolved_at=at(3, 3, 16))
    # when
    rows = {
        r["department"].pk: r
        for r in scorecards.ranking(user=world.users.leader, month=MARCH.start)
    }
    # then eco scores 100 (tickets, opinions, feedback), water 0
    assert rows[world.eco.pk]["ticket_rate"] == 1 and rows[world.eco.pk]["score"] == 100
    assert rows[world.water.pk]["score"] == 0 and rows[world.water.pk]["tickets"] is None


def test_event_log_exports_carry_the_tickets(client_for, world):
    # given a ticket of project 1 with two events in March
    t = ticket(world, lead=world.eco, reported=at(3, 3, 9))
    TicketEvent.objects.create(ticket=t, kind="reported", at=at(3, 3, 9))
    TicketEvent.objects.create(ticket=t, kind="feedback", milestone="feedback", at=at(3, 4, 9))
    url = "/analytics/export/{}?start=2025-03-01&end=2025-03-31"
    client = client_for(world.users.coordinator)
    # when
    log = json.loads(b"".join(client.get(url.format("ocel.json")).streaming_content))
    lines = b"".join(client.get(url.format("events.csv")).streaming_content).decode().splitlines()
    # then the ticket is an object with its relations, its events typed ticket_*
    obj = next(o for o in log["objects"] if o["id"] == f"ticket:{t.pk}")
    assert {r["qualifier"] for r in obj["relationships"]} == {"belongs to", "led by"}
    assert [e["type"] for e in log["events"]] == ["ticket_reported", "ticket_feedback"]
    assert log["events"][1]["attributes"] == [{"name": "milestone", "value": "feedback"}]
    assert lines[1].startswith(f"ticket:{t.pk},ticket_reported,2025-03-03T01:00:00Z,ticket")
    # and the other company's project shows no ticket
    other = client_for(world.users.company2).get(url.format("events.csv"))
    assert len(b"".join(other.streaming_content).decode().splitlines()) == 1
