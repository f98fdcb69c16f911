"""Issuing and answering notices on an approval, a ticket and a batch; the one reply-due rule;
who may do what; bad input stores nothing."""

import pytest
from django.http import Http404
from django.utils import translation

from greenlight.audit.models import AuditEvent
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.notifications.models import Notification
from greenlight.supervision import selectors, services
from greenlight.supervision.models import SupervisionNotice
from greenlight.tickets import services as tickets
from tests import factories as f

from .conftest import TZ, at

pytestmark = pytest.mark.django_db


def _nothing_stored():
    assert SupervisionNotice.objects.count() == 0
    assert not AuditEvent.objects.filter(action="notice_issued").exists()
    assert not Notification.objects.filter(event="notice_issued").exists()


def test_issue_and_reply_on_an_approval(world, approval):
    # when the coordinator supervises the approval
    notice = services.issue_notice(
        subject=approval,
        text="请于两个工作日内办结",
        actor=world.users.coordinator,
        at=at(2026, 9, 15, 9),
    )
    # then it goes to the approval's department, with the region's default of 2 working days
    assert notice.subject == approval and notice.department == world.eco
    assert notice.region == world.baoan and notice.subject_label == str(approval)
    assert notice.reply_due.astimezone(TZ) == at(2026, 9, 17, 18)
    assert list(approval.supervision_notices.all()) == [notice]
    assert AuditEvent.objects.filter(action="notice_issued", object_id=str(notice.pk)).exists()
    told = Notification.objects.get(recipient=world.users.approver, event="notice_issued")
    assert told.url == f"/supervision/{notice.pk}/"
    # when the department replies
    services.reply_notice(notice=notice, text="已安排专人，明日办结", actor=world.users.approver)
    # then the reply is kept and the coordinator is told
    notice.refresh_from_db()
    assert notice.reply_text == "已安排专人，明日办结" and notice.replied_by == world.users.approver
    assert notice.replied_at is not None
    assert Notification.objects.filter(
        recipient=world.users.coordinator, event="notice_replied"
    ).exists()
    assert AuditEvent.objects.filter(action="notice_replied", object_id=str(notice.pk)).exists()
    # and a second reply is a conflict
    with pytest.raises(Conflict):
        services.reply_notice(notice=notice, text="again", actor=world.users.approver)


def test_issue_and_reply_on_a_ticket(world, ticket):
    # when the coordinator supervises the ticket without naming a department
    notice = services.issue_notice(
        subject=ticket, text="请明日前明确解决路径", actor=world.users.coordinator, reply_days=1
    )
    # then the lead department gets it and it is on the ticket's timeline
    assert notice.subject == ticket and notice.department == world.eco
    event = ticket.events.get(kind="notice")
    assert event.ref_type == "supervision.supervisionnotice" and event.ref_id == str(notice.pk)
    # a cooperating department may be addressed instead
    water = services.issue_notice(
        subject=ticket, text="请配合", actor=world.users.coordinator, department=world.water
    )
    assert water.department == world.water
    # each department answers its own notice only
    with pytest.raises(NotPermitted):
        services.reply_notice(notice=notice, text="x", actor=world.users.water_approver)
    services.reply_notice(notice=water, text="已配合", actor=world.users.water_approver)
    services.reply_notice(notice=notice, text="路径已明确", actor=world.users.approver)
    assert set(SupervisionNotice.objects.of(ticket).values_list("reply_text", flat=True)) == {
        "已配合",
        "路径已明确",
    }


def test_issue_and_reply_on_a_batch(world, batch):
    # when the coordinator supervises the water bureau on the batch
    notice = services.issue_notice(
        subject=batch,
        text="请尽快提交提前介入意见",
        actor=world.users.coordinator,
        department=world.water,
    )
    # then the water bureau answers it
    assert notice.subject == batch and notice.region == world.baoan
    assert notice.subject_label == batch.title
    services.reply_notice(notice=notice, text="意见已提交", actor=world.users.water_approver)
    notice.refresh_from_db()
    assert notice.reply_text == "意见已提交"
    # a department not involved in the batch cannot be addressed
    housing = f.DepartmentFactory(region=world.baoan, kind="housing", name="宝安区住建局")
    with pytest.raises(InvalidInput) as e:
        services.issue_notice(
            subject=batch, text="x", actor=world.users.coordinator, department=housing
        )
    assert e.value.field == "department"


def test_the_reply_due_follows_the_region_and_skips_national_day(world, approval):
    # given a region whose day ends at 17:30 and which gives 3 working days to reply
    world.baoan.settings = {"end_of_day": "17:30", "supervision": {"reply_workdays": 3}}
    world.baoan.save()
    approval.project.region.refresh_from_db()
    # when a notice is issued on Wednesday 2026-09-30
    notice = services.issue_notice(
        subject=approval, text="请加快", actor=world.users.coordinator, at=at(2026, 9, 30, 10)
    )
    # then 10-01..10-07 are skipped: 10-08, 10-09 and the make-up Saturday 10-10 count
    assert notice.reply_due.astimezone(TZ) == at(2026, 10, 10, 17, 30)
    # and a coordinator's own number of days follows the same rule
    one = services.issue_notice(
        subject=approval,
        text="请加快",
        actor=world.users.coordinator,
        at=at(2026, 9, 30, 10),
        reply_days=1,
    )
    assert one.reply_due.astimezone(TZ) == at(2026, 10, 8, 17, 30)


def test_the_reply_due_of_a_ticket_and_an_approval_is_the_same_rule(world, approval, ticket):
    moment = at(2026, 9, 30, 10)
    on_approval = services.issue_notice(
        subject=approval, text="x", actor=world.users.coordinator, at=moment, reply_days=2
    )
    on_ticket = services.issue_notice(
        subject=ticket, text="x", actor=world.users.coordinator, at=moment, reply_days=2
    )
    assert on_approval.reply_due == on_ticket.reply_due
    assert on_ticket.reply_due.astimezone(TZ) == at(2026, 10, 9, 18)


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"text": ""}, "text", "督办要求"),
        ({"text": "   "}, "text", "督办要求"),
        ({"text": "x", "reply_days": 0}, "reply_days", "30"),
        ({"text": "x", "reply_days": 31}, "reply_days", "30"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(world, approval, kwargs, field, words):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as e:
        services.issue_notice(subject=approval, actor=world.users.coordinator, **kwargs)
    assert e.value.field == field and words in str(e.value.message)
    _nothing_stored()


def test_an_empty_reply_is_refused(world, approval):
    notice = f.SupervisionNoticeFactory(subject=approval, issued_by=world.users.coordinator)
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as e:
        services.reply_notice(notice=notice, text=" ", actor=world.users.approver)
    assert e.value.field == "text" and "回复" in str(e.value.message)
    notice.refresh_from_db()
    assert notice.replied_at is None and notice.reply_text == ""


@pytest.mark.parametrize("who", ["approver", "leader", "supervisor", "company"])
def test_only_coordinators_issue(world, approval, who):
    with pytest.raises(NotPermitted):
        services.issue_notice(subject=approval, text="x", actor=getattr(world.users, who))
    _nothing_stored()


def test_another_districts_coordinator_cannot_issue(world, approval):
    with pytest.raises(Http404):
        services.issue_notice(subject=approval, text="x", actor=world.users.nanshan)
    _nothing_stored()


def test_finished_subjects_and_unassigned_tickets_take_no_notice(world, ticket):
    unassigned = tickets.report(
        actor=world.users.company, project=world.project1, title="另一个问题", category="site"
    )
    with pytest.raises(InvalidInput) as e:
        services.issue_notice(subject=unassigned, text="x", actor=world.users.coordinator)
    assert e.value.field == "department"
    tickets.resolve(ticket=ticket, actor=world.users.approver, text="已解决")
    with pytest.raises(Conflict):
        services.issue_notice(subject=ticket, text="x", actor=world.users.coordinator)
    _nothing_stored()


def test_only_registered_subjects_take_notices(world):
    with pytest.raises(InvalidInput) as e:
        services.issue_notice(subject=world.project1, text="x", actor=world.users.coordinator)
    assert e.value.field == "subject_type"


def test_visibility_staff_of_the_region_and_above_never_companies(world, approval):
    notice = f.SupervisionNoticeFactory(subject=approval, issued_by=world.users.coordinator)
    u = world.users
    for user in (u.coordinator, u.approver, u.water_approver, u.leader, u.supervisor, u.province):
        assert list(SupervisionNotice.objects.visible_to(user)) == [notice], user.username
    for user in (u.company, u.company2, u.nanshan):
        assert not SupervisionNotice.objects.visible_to(user).exists(), user.username


def test_to_answer_counts_an_approvers_department_and_the_region_for_others(world, approval):
    f.SupervisionNoticeFactory(subject=approval, issued_by=world.users.coordinator)
    assert selectors.to_answer(user=world.users.approver).count() == 1
    assert selectors.to_answer(user=world.users.water_approver).count() == 0
    assert selectors.to_answer(user=world.users.coordinator).count() == 1
    assert selectors.to_answer(user=world.users.company).count() == 0
