"""The ticket's life: report, assign, feedback/path/progress, resolve, close, reopen; roles;
escalation through the tick without duplicates; supervision notices on the timeline; meeting
decisions."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from greenlight.audit.models import AuditEvent
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.notifications.models import Notification
from greenlight.site import tick
from greenlight.supervision import services as supervision
from greenlight.supervision.models import SupervisionNotice
from greenlight.tickets import jobs, selectors, services
from greenlight.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_report_starts_the_clocks_and_tells_the_coordinator(world, make_ticket):
    # when the company reports a problem
    ticket = make_ticket()
    # then it is on the timeline, audited and in the coordinator's inbox
    assert ticket.status == "reported" and ticket.channel == "web"
    assert list(ticket.events.values_list("kind", flat=True)) == ["reported"]
    assert AuditEvent.objects.filter(action="ticket_reported", object_id=str(ticket.pk)).exists()
    assert (
        Notification.objects.filter(recipient=world.users.coordinator, event="ticket").count() == 1
    )


def test_company_cannot_report_on_another_companys_project(world, make_ticket):
    from django.http import Http404

    with pytest.raises(Http404):
        make_ticket(project=world.project2)
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("role", ["leader", "supervisor", "admin"])
def test_reading_roles_do_not_report(world, make_ticket, role):
    with pytest.raises(NotPermitted):
        make_ticket(reporter=getattr(world.users, role))


def test_missing_title_or_category_names_the_field(world, make_ticket):
    with pytest.raises(InvalidInput) as e:
        make_ticket(title="  ")
    assert e.value.field == "title"
    with pytest.raises(InvalidInput) as e:
        make_ticket(category="weather")
    assert e.value.field == "category"


def test_companies_cannot_claim_staff_channels(world, make_ticket):
    with pytest.raises(InvalidInput) as e:
        make_ticket(channel="phone")
    assert e.value.field == "channel"
    # while staff record a phone call for any visible project
    ticket = make_ticket(reporter=world.users.coordinator, project=world.project2, channel="phone")
    assert ticket.channel == "phone"


def test_the_whole_flow_in_order(world, assigned):
    # given a ticket led by ecology
    eco, company = world.users.approver, world.users.company
    # when the department works it in order
    services.record_milestone(ticket=assigned, actor=eco, milestone="feedback", text="张科长负责")
    with pytest.raises(Conflict):  # progress before a path is refused
        services.record_milestone(ticket=assigned, actor=eco, milestone="progress", text="x")
    services.record_milestone(ticket=assigned, actor=eco, milestone="path", text="三步走")
    # a cooperating department may report progress but not resolve
    services.record_milestone(
        ticket=assigned, actor=world.users.water_approver, milestone="progress", text="已现场踏勘"
    )
    with pytest.raises(NotPermitted):
        services.resolve(ticket=assigned, actor=world.users.water_approver, text="x")
    services.resolve(ticket=assigned, actor=eco, text="已完成接电")
    with pytest.raises(NotPermitted):  # the company of another project cannot close it
        services.close(ticket=assigned, actor=world.users.company2, satisfaction=5)
    with pytest.raises(InvalidInput):
        services.close(ticket=assigned, actor=company, satisfaction=6)
    ticket = services.close(ticket=assigned, actor=company, satisfaction=4, comment="效率高")
    # then
    assert ticket.status == "closed" and ticket.satisfaction == 4
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["reported", "assigned", "feedback", "path", "progress", "resolved", "closed"]
    assert ticket.feedback_at > ticket.feedback_due  # answered weeks late: counted late


def test_only_assigned_departments_work_and_only_coordinators_assign(world, make_ticket):
    ticket = make_ticket()
    with pytest.raises(NotPermitted):
        services.assign(ticket=ticket, actor=world.users.approver, lead=world.eco)
    with pytest.raises(NotPermitted):  # not assigned yet
        services.record_milestone(
            ticket=ticket, actor=world.users.approver, milestone="feedback", text="x"
        )
    with pytest.raises(NotPermitted):
        services.record_milestone(
            ticket=ticket, actor=world.users.leader, milestone="feedback", text="x"
        )


def test_assign_refuses_another_districts_department(world, make_ticket):
    from tests import factories as f

    other = f.DepartmentFactory(region=world.nanshan, kind="water", name="南山区水务局")
    with pytest.raises(InvalidInput) as e:
        services.assign(ticket=make_ticket(), actor=world.users.coordinator, lead=other)
    assert e.value.field == "lead_department"


def test_resolution_meets_the_milestones_not_met_and_reopen_opens_it_again(world, assigned):
    services.resolve(ticket=assigned, actor=world.users.approver, text="一次解决")
    assigned.refresh_from_db()
    assert assigned.path_at == assigned.resolved_at
    ticket = services.reopen(ticket=assigned, actor=world.users.company, reason="仍未接电")
    assert ticket.status == "reopened" and ticket.reopen_count == 1 and ticket.resolved_at is None
    assert ticket in selectors.open_for_projects([world.project1.pk])
    with pytest.raises(NotPermitted):  # a leader only reads
        services.reopen(ticket=ticket, actor=world.users.leader, reason="x")


def _tick(now):
    return jobs.escalate(now=now)


def test_missed_feedback_turns_red_then_escalates_once(world, assigned):
    # given feedback due Thursday 2026-10-08 18:00 and nobody answers
    assert _tick(datetime(2026, 10, 8, 17, tzinfo=TZ)) == {"overdue": 0, "escalated": 0}
    # when the tick runs after the due time
    first = _tick(datetime(2026, 10, 8, 19, tzinfo=TZ))
    again = _tick(datetime(2026, 10, 8, 19, 5, tzinfo=TZ))
    # then the coordinator and the department are told once
    assert first == {"overdue": 1, "escalated": 0} and again == {"overdue": 0, "escalated": 0}
    coordinator = Notification.objects.filter(recipient=world.users.coordinator)
    assert coordinator.filter(key__endswith=":overdue:feedback").count() == 1
    assert Notification.objects.filter(recipient=world.users.leader).count() == 0
    # when one more working day passes (Friday 2026-10-09 18:00)
    assert _tick(datetime(2026, 10, 9, 17, tzinfo=TZ))["escalated"] == 0
    late = _tick(datetime(2026, 10, 9, 18, 30, tzinfo=TZ))
    # then the leaders hear of it, once, and path is flagged as missed too
    assert late == {"overdue": 1, "escalated": 1}
    assert _tick(datetime(2026, 10, 9, 18, 40, tzinfo=TZ)) == {"overdue": 0, "escalated": 0}
    leader = Notification.objects.filter(recipient=world.users.leader)
    assert list(leader.values_list("key", flat=True)) == [
        f"ticket:{assigned.pk}:escalated:feedback"
    ]
    assert leader.get().title.startswith("已升级")
    assigned.refresh_from_db()
    assert assigned.escalated_at is not None
    kinds = TicketEvent.objects.filter(ticket=assigned).values_list("kind", "milestone")
    assert sorted(k for k in kinds if k[0] in ("overdue", "escalated")) == [
        ("escalated", "feedback"),
        ("overdue", "feedback"),
        ("overdue", "path"),
    ]


def test_the_tick_runs_the_ticket_job_and_other_districts_leaders_hear_nothing(world, assigned):
    from tests import factories as f

    ns_leader = f.UserFactory(username="ns_leader", role="leader", region=world.nanshan)
    results = tick.run(now=datetime(2026, 10, 12, 19, tzinfo=TZ))
    assert results["greenlight.tickets.jobs:escalate"]["escalated"] >= 1
    assert not Notification.objects.filter(recipient=ns_leader).exists()
    assert tick.run(now=datetime(2026, 10, 12, 19, tzinfo=TZ))[
        "greenlight.tickets.jobs:escalate"
    ] == {"overdue": 0, "escalated": 0}


def test_met_milestones_and_closed_tickets_do_not_escalate(world, assigned):
    services.resolve(ticket=assigned, actor=world.users.approver, text="done")
    assert _tick(datetime(2026, 10, 20, 19, tzinfo=TZ)) == {"overdue": 0, "escalated": 0}


def test_coordinator_issues_a_supervision_notice_on_a_ticket(world, assigned):
    # when the coordinator supervises
    notice = supervision.issue_notice(
        subject=assigned,
        actor=world.users.coordinator,
        text="请明日前反馈",
        reply_days=1,
        at=datetime(2026, 10, 9, 9, tzinfo=TZ),
    )
    # then it is a supervision notice to the lead department, on the timeline
    assert notice.subject == assigned and notice.department == world.eco
    assert notice.reply_due.astimezone(TZ) == datetime(2026, 10, 10, 18, tzinfo=TZ)
    event = assigned.events.get(kind="notice")
    assert event.ref_type == "supervision.supervisionnotice" and event.ref_id == str(notice.pk)
    assert event.text == "请明日前反馈" and event.ref_repr == "宝安区生态环境局 · 2026-10-10 18:00"
    assert Notification.objects.filter(
        recipient=world.users.approver, event="notice_issued"
    ).exists()
    with pytest.raises(NotPermitted):
        supervision.issue_notice(subject=assigned, actor=world.users.approver, text="x")


def test_a_notice_needs_a_lead_department(world, make_ticket):
    with pytest.raises(InvalidInput) as e:
        supervision.issue_notice(subject=make_ticket(), actor=world.users.coordinator, text="x")
    assert e.value.field == "department"
    assert SupervisionNotice.objects.count() == 0


def test_meeting_decision_is_written_onto_the_timeline(world, assigned):
    # given any meeting object of the joint review (a stand-in here)
    meeting = SimpleNamespace(pk=17, __str__=None)
    meeting = type("Meeting", (), {"pk": 17, "__str__": lambda self: "第3次联审联批会议"})()
    # when the joint review writes its decision
    event = services.record_meeting_decision(
        ticket=assigned,
        meeting=meeting,
        decision="由规资局牵头三日内出具意见",
        actor=world.users.coordinator,
    )
    # then
    assert (event.kind, event.ref_id, event.ref_repr) == ("meeting", "17", "第3次联审联批会议")
    assert assigned.events.filter(kind="meeting").count() == 1
    with pytest.raises(InvalidInput):
        services.record_meeting_decision(
            ticket=assigned, meeting=meeting, decision=" ", actor=world.users.coordinator
        )


def test_open_for_projects_lists_only_open_tickets_of_those_projects(world, make_ticket, assigned):
    other = make_ticket(reporter=world.users.coordinator, project=world.project2)
    services.resolve(ticket=assigned, actor=world.users.approver, text="done")
    assert list(selectors.open_for_projects([world.project1.pk, world.project2.pk])) == [other]
    assert list(selectors.open_for_projects([world.project1.pk])) == []
