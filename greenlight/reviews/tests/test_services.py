"""The five steps as services: who may act, what they refuse, what they notify."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from greenlight.audit.models import AuditEvent
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.notifications.models import Delivery, Notification, Webhook
from greenlight.reviews import ics, jobs, selectors, services
from greenlight.reviews.models import ActionItem, Batch, Decision, Meeting
from greenlight.tickets import selectors as ticket_selectors
from greenlight.tickets import services as ticket_services
from greenlight.tickets.choices import Status as TicketStatus
from greenlight.tickets.models import Ticket
from tests import factories as f

from .conftest import at

pytestmark = pytest.mark.django_db


def test_issuing_derives_departments_from_open_approvals_and_notifies_them(world, review):
    # given the batch of the fixture (a closed housing approval on project2)
    batch = review.batch
    # then ecology and water are involved, housing is not
    assert set(services.batch_department_ids(batch)) == {world.eco.pk, world.water.pk}
    # and there is one opinion row per open approval, none in yet
    assert batch.opinions.count() == 3
    assert batch.opinions.filter(kind="").count() == 3
    # and each involved approver got one inbox message, the housing approver none
    issued = Notification.objects.filter(event="batch_issued")
    assert set(issued.values_list("recipient__username", flat=True)) == {"approver", "water"}
    assert AuditEvent.objects.filter(action="batch_issued", object_id=str(batch.pk)).exists()


def test_issuing_queues_the_regions_webhook_once(world):
    # given a region webhook
    Webhook.objects.create(region=world.baoan, name="群", url="http://127.0.0.1:9/", kind="json")
    # when a batch involving two departments is issued
    water_matter = f.MatterFactory(department_kind="water")
    f.ApprovalFactory(project=world.project2, matter=water_matter, department=world.water)
    services.issue_batch(
        title="批次", projects=[world.project1, world.project2], actor=world.users.coordinator
    )
    # then exactly one delivery is queued for it
    assert Delivery.objects.filter(event="batch_issued").count() == 1


def test_opinion_deadline_counts_working_days_across_the_national_day():
    # given a batch issued on 2025-09-30, the eve of the National Day holiday
    # when opinions are due one working day later
    due = services.opinion_deadline(date(2025, 9, 30), 1)
    # then the holiday (Oct 1-8) is skipped
    assert due == date(2025, 10, 9)


@pytest.mark.parametrize("who", ["approver", "leader", "company", "supervisor"])
def test_only_coordinators_issue_batches(world, who):
    with pytest.raises(NotPermitted):
        services.issue_batch(title="x", projects=[world.project1], actor=getattr(world.users, who))
    assert not Batch.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": " "}, "title"),
        ({"projects": []}, "project_ids"),
        ({"opinion_workdays": 0}, "opinion_workdays"),
    ],
)
def test_issuing_refuses_bad_input_naming_the_field(world, kwargs, field):
    args = {"title": "批次", "projects": [world.project1], **kwargs}
    with pytest.raises(InvalidInput) as exc:
        services.issue_batch(actor=world.users.coordinator, **args)
    assert exc.value.field == field
    assert not Batch.objects.exists()


def test_issuing_refuses_another_regions_project_and_projects_without_open_approvals(world):
    with pytest.raises(InvalidInput) as exc:
        services.issue_batch(title="x", projects=[world.project_ns], actor=world.users.coordinator)
    assert exc.value.field == "project_ids"
    with pytest.raises(InvalidInput, match="没有在办审批事项"):
        services.issue_batch(title="x", projects=[world.project2], actor=world.users.coordinator)
    assert not Batch.objects.exists()


def test_a_batch_as_of_a_past_moment_takes_the_approvals_open_then(world):
    # given a housing approval of project2 decided on 2022-11-20, and an earlier one decided
    # on 2022-09-01
    housing = f.DepartmentFactory(region=world.baoan, kind="housing", name="宝安区住建局")
    late = f.ApprovalFactory(
        project=world.project2,
        matter=f.MatterFactory(department_kind="housing", name="施工许可"),
        department=housing,
        status="approved",
        decided_at=at(2022, 11, 20, 16),
    )
    f.ApprovalFactory(
        project=world.project2,
        matter=f.MatterFactory(department_kind="housing", name="质量安全监督"),
        department=housing,
        status="approved",
        decided_at=at(2022, 9, 1, 16),
    )
    issued = at(2022, 10, 10, 9)
    # then nothing of project2 is open now
    with pytest.raises(InvalidInput):
        services.issue_batch(title="x", projects=[world.project2], actor=world.users.coordinator)
    # when the batch is recorded as of 2022-10-10
    batch = services.issue_batch(
        title="2022年第一批",
        projects=[world.project2],
        actor=world.users.coordinator,
        at=issued,
        as_of=issued,
    )
    # then it takes the approval still open on that day, not the one decided before it
    assert list(batch.opinions.values_list("approval_id", flat=True)) == [late.pk]
    assert services.batch_department_ids(batch) == [housing.pk]
    assert batch.opinion_due == date(2022, 10, 17)


def test_a_department_records_only_its_own_opinions(world, review):
    # when the ecology approver records guidance
    services.record_opinion(
        opinion=review.eco_opinion, kind="guidance", text="先做环评", actor=world.users.approver
    )
    # then it is in
    review.eco_opinion.refresh_from_db()
    assert review.eco_opinion.kind == "guidance"
    assert review.eco_opinion.recorded_by == world.users.approver
    # and the water approver or the coordinator may not touch it
    for other in (world.users.water_approver, world.users.coordinator):
        with pytest.raises(NotPermitted):
            services.record_opinion(opinion=review.eco_opinion, kind="no_objection", actor=other)


@pytest.mark.parametrize(
    ("kind", "text", "field"), [("guidance", "", "text"), ("bogus", "x", "kind"), ("", "x", "kind")]
)
def test_opinion_refuses_bad_input(world, review, kind, text, field):
    with pytest.raises(InvalidInput) as exc:
        services.record_opinion(
            opinion=review.eco_opinion, kind=kind, text=text, actor=world.users.approver
        )
    assert exc.value.field == field
    review.eco_opinion.refresh_from_db()
    assert review.eco_opinion.kind == ""


def test_opinion_due_reminder_goes_once_to_departments_not_yet_in(world, review):
    # given ecology is in, water is not, and the deadline is tomorrow's working day
    services.record_opinion(
        opinion=review.eco_opinion, kind="no_objection", actor=world.users.approver
    )
    batch = review.batch
    batch.opinion_due = date(2026, 11, 27)  # a Friday
    batch.save()
    # when the tick runs two working days before, then the day before, twice
    early = jobs.remind_opinions(now=at(2026, 11, 25, 9))
    first = jobs.remind_opinions(now=at(2026, 11, 26, 9))
    again = jobs.remind_opinions(now=at(2026, 11, 26, 9, 30))
    # then only the day before sends, once, to water only
    assert early == {"opinion_due": 0}
    assert first == {"opinion_due": 1}
    assert again == {"opinion_due": 0}
    sent = Notification.objects.filter(event="opinion_due")
    assert list(sent.values_list("recipient__username", flat=True)) == ["water"]


def test_a_meeting_in_the_past_is_refused_naming_the_field(world, review):
    with pytest.raises(InvalidInput) as exc:
        services.schedule_meeting(
            batch=review.batch,
            starts_at=timezone.now() - timedelta(hours=1),
            place="会议室",
            actor=world.users.coordinator,
        )
    assert exc.value.field == "starts_at"
    assert exc.value.status == 422
    assert not Meeting.objects.exists()


def test_scheduling_and_changing_notify_each_time_with_a_new_sequence(world, review, meeting):
    # given the meeting was scheduled (one message per involved approver)
    assert Notification.objects.filter(event="meeting_scheduled").count() == 2
    # when it moves a day
    services.change_meeting(
        meeting=meeting,
        starts_at=meeting.starts_at + timedelta(days=1),
        actor=world.users.coordinator,
    )
    # then the sequence goes up and everyone hears again
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=2)
    assert Notification.objects.filter(event="meeting_scheduled").count() == 4
    # and a change with nothing new sends nothing
    services.change_meeting(meeting=meeting, place=meeting.place, actor=world.users.coordinator)
    assert Notification.objects.filter(event="meeting_scheduled").count() == 4


def test_a_minuted_meeting_cannot_move(world, review, meeting):
    services.record_minutes(meeting=meeting, actor=world.users.coordinator, summary="纪要")
    with pytest.raises(Conflict):
        services.change_meeting(meeting=meeting, place="别处", actor=world.users.coordinator)


def test_ics_invitation_has_the_meeting_and_its_attendees(world, review, meeting):
    # when the ecology department downloads its invitation
    body = ics.invitation(meeting, department=world.eco)
    # then it is a valid calendar with one event at the meeting's time and place
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert event.decoded("dtstart") == meeting.starts_at
    assert str(event["location"]) == "区政府第一会议室"
    assert int(event["sequence"]) == 0
    attendees = event.get("attendee")
    names = {a.params["cn"] for a in attendees}
    assert names == {world.eco.name, world.water.name}
    assert world.matter.name in str(event["description"])


def test_minutes_record_decisions_and_action_items(world, review, meeting):
    due = timezone.localdate(meeting.starts_at) + timedelta(days=5)
    # when the coordinator records a decision and an action item for water
    services.record_minutes(
        meeting=meeting,
        actor=world.users.coordinator,
        summary="同步办理",
        decisions=[{"project_id": world.project1.pk, "outcome": "proceed", "text": "同步办理"}],
        action_items=[{"department_id": world.water.pk, "text": "出具排水意见", "due": due}],
    )
    # and then revises the decision
    services.record_minutes(
        meeting=meeting,
        actor=world.users.coordinator,
        decisions=[{"project_id": world.project1.pk, "outcome": "conditions", "text": "补材料"}],
    )
    # then there is one decision, revised, and one action item
    assert list(Decision.objects.values_list("outcome", flat=True)) == ["conditions"]
    assert ActionItem.objects.get().department == world.water
    meeting.refresh_from_db()
    assert meeting.minutes_at is not None and meeting.summary == "同步办理"


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"decisions": [{"project_id": 0, "outcome": "proceed"}]}, "decisions.0.project_id"),
        ({"decisions": [{"project_id": None, "outcome": "x"}]}, "decisions.0.project_id"),
        ({"items": {"department_id": 0}}, "action_items.0.department_id"),
        ({"items": {"due": date(2000, 1, 1)}}, "action_items.0.due"),
        ({"items": {"text": " "}}, "action_items.0.text"),
        ({"items": {"ticket_id": 99}}, "action_items.0.ticket_id"),
    ],
)
def test_minutes_refuse_bad_items_and_save_nothing(world, review, meeting, bad, field):
    item = {"department_id": world.water.pk, "text": "意见", "due": date(2099, 1, 1)}
    item.update(bad.get("items", {}))
    with pytest.raises(InvalidInput) as exc:
        services.record_minutes(
            meeting=meeting,
            actor=world.users.coordinator,
            decisions=bad.get("decisions", []),
            action_items=[item],
        )
    assert exc.value.field == field
    assert not ActionItem.objects.exists() and not Decision.objects.exists()


def _minutes_on_ticket(meeting, world, ticket_id: int, text: str):
    """Minutes with one action item (ecology's) about the ticket `ticket_id`."""
    item = {"department_id": world.eco.pk, "text": text, "due": date(2099, 1, 1)}
    return services.record_minutes(
        meeting=meeting,
        actor=world.users.coordinator,
        action_items=[{**item, "ticket_id": ticket_id}],
    )


def test_a_ticket_on_the_agenda_hears_the_decision(world, review, meeting):
    # given a company reported a blocking problem on project1
    ticket = ticket_services.report(
        actor=world.users.company, project=world.project1, title="管线迁改受阻", category="land"
    )
    # then it is on the meeting's agenda
    on_agenda = {t.pk for a in selectors.agenda(meeting) for t in a.tickets}
    assert ticket.pk in on_agenda
    # when the minutes carry an action item about it
    _minutes_on_ticket(meeting, world, ticket.pk, "生态环境局牵头协调迁改")
    # then the ticket's timeline has the meeting's decision
    assert ticket.events.filter(kind="meeting", text="生态环境局牵头协调迁改").exists()
    assert ActionItem.objects.get().ticket_id == ticket.pk


def test_only_an_open_ticket_of_the_batchs_projects_may_be_named(
    world, review, meeting, django_assert_num_queries
):
    # given an open ticket on the batch, a closed one on the batch and one of another project
    def report(project, title):
        return ticket_services.report(
            actor=world.users.coordinator, project=project, title=title, category="land"
        )

    open_one = report(world.project1, "用地指标未落实")
    closed = report(world.project2, "已解决的问题")
    Ticket.objects.filter(pk=closed.pk).update(status=TicketStatus.CLOSED)
    elsewhere = f.ProjectFactory(owner=world.project1.owner, name="批次外项目")
    outside = report(elsewhere, "批次外的问题")
    on_batch = [world.project1.pk, world.project2.pk]
    # then one query finds the open one, and only it
    with django_assert_num_queries(1):
        found = ticket_selectors.open_ticket(ticket_id=open_one.pk, project_ids=on_batch)
    assert found == open_one
    for other in (closed, outside):
        assert ticket_selectors.open_ticket(ticket_id=other.pk, project_ids=on_batch) is None
        # and the minutes refuse an action item naming it
        with pytest.raises(InvalidInput) as exc:
            _minutes_on_ticket(meeting, world, other.pk, "协调")
        assert exc.value.field == "action_items.0.ticket_id"
    assert not ActionItem.objects.exists()


def test_feedback_only_by_the_owner_department_once(world, review, meeting):
    item = ActionItem.objects.create(
        meeting=meeting, department=world.water, text="出具意见", due=date(2099, 1, 1)
    )
    with pytest.raises(NotPermitted):
        services.feed_back(item=item, text="好", actor=world.users.approver)
    services.feed_back(item=item, text="已办结", actor=world.users.water_approver)
    with pytest.raises(Conflict):
        services.feed_back(item=item, text="再次", actor=world.users.water_approver)
    with pytest.raises(InvalidInput):
        services.feed_back(item=item, text=" ", actor=world.users.water_approver)


@pytest.mark.parametrize(
    ("feedback_day", "state"),
    [(None, "open"), (date(2026, 3, 9), "done"), (date(2026, 3, 11), "late")],
)
def test_feedback_states(world, review, meeting, feedback_day, state):
    item = ActionItem(meeting=meeting, department=world.water, text="x", due=date(2026, 3, 10))
    item.feedback_at = (
        at(feedback_day.year, feedback_day.month, feedback_day.day, 10) if feedback_day else None
    )
    assert selectors.feedback_state(item, today=date(2026, 3, 10)) == state
    if feedback_day is None:
        assert selectors.feedback_state(item, today=date(2026, 3, 11)) == "overdue"


def test_starts_count_days_and_share_of_the_years_new_starts(world, review):
    # given the batch issued 2026-10-01, project1 started 10 days later, project2 not at all,
    # and two other projects of the region started that year (one before the batch)
    batch = review.batch
    batch.issued_at = at(2026, 10, 1, 9)
    batch.save()
    world.project1.actual_start = date(2026, 10, 11)
    world.project1.save()
    for day in (date(2026, 3, 1), date(2026, 11, 1)):
        f.ProjectFactory(owner=world.org2, actual_start=day)
    f.ProjectFactory(owner=world.org_ns, actual_start=date(2026, 5, 1))  # another region
    # when the figures are read
    s = selectors.starts(batch)
    # then "1 in 10 days, 33.3%"
    assert (s.started, s.days, s.year_total, s.share) == (1, 10, 3, 33.3)
