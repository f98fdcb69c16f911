"""What a calendar change moves besides approvals' and tickets' clocks: only what the calendar
itself moved (not a forecast gone stale), supervision notices' reply deadlines, and the
coordinators above the districts who hear of it."""

from __future__ import annotations

from datetime import date

import pytest

from greenlight.catalog import notices
from greenlight.catalog.notices import Holiday
from greenlight.notifications.models import Notification
from greenlight.projects.models import Project

from .calendar_fixtures import build_calendar_world, local
from .test_calendar_notice import _day, _enter

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def cal(world):
    return build_calendar_world(world)


def test_a_forecast_gone_stale_is_not_listed_as_moved_by_the_calendar(cal, world):
    # given project2's stored forecast is stale (last computed on other facts)
    Project.objects.filter(pk=world.project2.pk).update(forecast_start=D("2026-01-05"))
    # when a notice for 2029, far from every clock and plan, is entered
    change = notices.enter(
        year=2029,
        holidays=[Holiday(D("2029-10-01"), D("2029-10-07"), "国庆节")],
        makeup_days=[],
        actor=world.users.admin,
    )
    # then nothing is listed as moved by it, and the forecast is today's truth again
    assert not change.moves.filter(kind="project").exists()
    assert Project.objects.get(pk=world.project2.pk).forecast_start != D("2026-01-05")


def test_an_unanswered_supervision_notice_gets_its_reply_deadline_on_the_new_calendar(cal, world):
    # given two notices issued on Thursday 2027-02-04 with 2 working days to reply: on the
    # provisional 春节 (02-05..02-08) the reply is due Wednesday 02-10
    from greenlight.supervision import services as supervision
    from greenlight.supervision.models import SupervisionNotice

    issued = local(date(2027, 2, 4))
    open_one = supervision.issue_notice(
        subject=cal.late, text="请加快办理", actor=world.users.coordinator, reply_days=2, at=issued
    )
    answered = supervision.issue_notice(
        subject=cal.late, text="请说明进度", actor=world.users.coordinator, reply_days=2, at=issued
    )
    SupervisionNotice.objects.filter(pk=answered.pk).update(replied_at=issued, reply_text="已办理")
    assert _day(open_one.reply_due) == D("2027-02-10")
    # when the notice's 春节 runs 02-05..02-12
    change = _enter(world)
    # then the open notice is due on the second working day after it: Tuesday 02-16
    open_one.refresh_from_db()
    assert _day(open_one.reply_due) == D("2027-02-16")
    assert open_one.reply_workdays == 2
    # and the answered one keeps its deadline
    assert SupervisionNotice.objects.get(pk=answered.pk).reply_due == answered.reply_due
    # and the change lists it, and its department's approver hears of it
    move = change.moves.get(kind="notice_reply")
    assert (move.object_id, move.before, move.after) == (
        open_one.pk,
        D("2027-02-10"),
        D("2027-02-16"),
    )
    approver = Notification.objects.get(recipient=world.users.approver, event="calendar_changed")
    assert "2027-02-10 → 2027-02-16" in approver.body


def test_a_province_coordinator_hears_of_every_district_below_it(cal, world):
    # given a coordinator at the province level
    from greenlight.accounts.models import User
    from greenlight.kernel.roles import Role

    province_staff = User.objects.create(
        username="gd_coordinator", role=Role.COORDINATOR, region=world.baoan.parent.parent
    )
    # when the notice is entered
    _enter(world)
    # then one message tells of the moved dates of both districts
    body = Notification.objects.get(recipient=province_staff).body
    assert "鹏鼎" in body and "南山某项目" in body
