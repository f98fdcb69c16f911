"""The 1-2-3 clocks: working days after the report day, 调休 Saturdays, region settings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from greenlight.tickets import clocks

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _local(d):
    return {k: v.astimezone(TZ) for k, v in d.items()}


def test_national_day_ticket_counts_the_makeup_saturday(make_ticket):
    # given a report on Wednesday 2026-09-30 at 16:00
    ticket = make_ticket(datetime(2026, 9, 30, 16, tzinfo=TZ))
    ticket.refresh_from_db()
    # then Oct 1-7 are holidays; Oct 8, 9 and the make-up Saturday Oct 10 count
    assert ticket.feedback_due.astimezone(TZ) == datetime(2026, 10, 8, 18, tzinfo=TZ)
    assert ticket.path_due.astimezone(TZ) == datetime(2026, 10, 9, 18, tzinfo=TZ)
    assert ticket.progress_due.astimezone(TZ) == datetime(2026, 10, 10, 18, tzinfo=TZ)


def test_a_sunday_report_has_feedback_due_at_the_end_of_monday(world):
    # when a problem is reported on Sunday 2026-11-29
    due = _local(clocks.dues(datetime(2026, 11, 29, 11, tzinfo=TZ), world.baoan))
    # then the report day does not count and Monday is the first working day
    assert due["feedback"] == datetime(2026, 11, 30, 18, tzinfo=TZ)
    assert due["path"] == datetime(2026, 12, 1, 18, tzinfo=TZ)
    assert due["progress"] == datetime(2026, 12, 2, 18, tzinfo=TZ)


def test_a_late_evening_report_in_utc_is_still_the_local_day(world):
    # given 23:30 local on Friday 2026-11-20, which is 15:30 UTC the same day
    at = datetime(2026, 11, 20, 15, 30, tzinfo=ZoneInfo("UTC"))
    # then feedback is due at the end of Monday 2026-11-23, not Saturday
    assert _local(clocks.dues(at, world.baoan))["feedback"] == datetime(2026, 11, 23, 18, tzinfo=TZ)


def test_region_settings_change_the_days_and_the_hour(world):
    # given a region that wants 2/4/6 working days ending at 17:30
    world.baoan.settings = {
        "tickets": {
            "feedback_workdays": 2,
            "path_workdays": 4,
            "progress_workdays": 6,
            "end_of_day": "17:30",
        }
    }
    world.baoan.save()
    due = _local(clocks.dues(datetime(2026, 11, 23, 9, tzinfo=TZ), world.baoan))  # a Monday
    assert due["feedback"] == datetime(2026, 11, 25, 17, 30, tzinfo=TZ)
    assert due["path"] == datetime(2026, 11, 27, 17, 30, tzinfo=TZ)
    assert due["progress"] == datetime(2026, 12, 1, 17, 30, tzinfo=TZ)


@pytest.mark.parametrize(
    "conf", [{"feedback_workdays": "x", "end_of_day": "25:00"}, {"feedback_workdays": 0}, None]
)
def test_bad_region_settings_fall_back_to_the_defaults(world, conf):
    world.baoan.settings = {"tickets": conf}
    days, end = clocks.rules(world.baoan)
    assert days == {"feedback": 1, "path": 2, "progress": 3}
    assert (end.hour, end.minute) == (18, 0)


def test_escalation_is_one_more_working_day_after_the_due_day(world):
    # feedback due Friday 2026-11-27 18:00 escalates at the end of Monday 2026-11-30
    due = datetime(2026, 11, 27, 18, tzinfo=TZ)
    assert clocks.escalation_at(due, world.baoan).astimezone(TZ) == datetime(
        2026, 11, 30, 18, tzinfo=TZ
    )


@pytest.mark.parametrize(
    ("now", "light"),
    [
        (datetime(2026, 10, 7, 12, tzinfo=TZ), "on_time"),
        (datetime(2026, 10, 8, 12, tzinfo=TZ), "due_today"),
        (datetime(2026, 10, 8, 18, 1, tzinfo=TZ), "overdue"),
    ],
)
def test_light_follows_the_next_milestone(make_ticket, now, light):
    ticket = make_ticket()
    assert clocks.light(ticket, now=now) == light


def test_a_list_reads_the_same_light_from_its_next_due_column(world, make_ticket, assigned):
    """The API's list gives the light from `next_due` (annotated in SQL) and the status, without
    ticket instances: the same light as `clocks.light` on the ticket, whatever milestones are met
    and whenever it is asked."""
    from greenlight.tickets import services
    from greenlight.tickets.models import Ticket

    fresh = make_ticket()
    met, resolved = make_ticket(), make_ticket()
    for ticket in (met, resolved):
        services.assign(
            ticket=ticket, actor=world.users.coordinator, lead=world.eco, cooperating=[]
        )
    at = datetime(2026, 10, 8, 9, tzinfo=TZ)
    met = services.record_milestone(
        ticket=met, actor=world.users.approver, milestone="feedback", text="已联系", at=at
    )
    resolved = services.resolve(ticket=resolved, actor=world.users.approver, text="已解决", at=at)
    ids = [fresh.pk, assigned.pk, met.pk, resolved.pk]
    rows = Ticket.objects.filter(pk__in=ids).annotate(next_due=clocks.next_due_expression())
    moments = [
        datetime(2026, 10, d, h, m, tzinfo=TZ) for d in (7, 8, 9, 12) for h, m in ((12, 0), (18, 1))
    ]
    seen = set()
    for ticket in rows:
        for now in moments:
            expected = clocks.light(ticket, now=now)
            assert clocks.light_of(ticket.status, ticket.next_due, now=now) == expected
            seen.add(expected)
    assert seen == {"", "on_time", "due_today", "overdue"}
