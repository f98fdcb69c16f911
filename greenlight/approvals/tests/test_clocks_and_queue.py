"""Clocks across a holiday and a pause; the work queue; supervision notices; reminders."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from greenlight.approvals import jobs, services
from greenlight.notifications.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _accepted(world, at, limit=5, unit="workday"):
    world.matter.committed_limit, world.matter.committed_unit = limit, unit
    world.matter.save()
    a = world.approval1
    services.transition(approval=a, action="submit", actor=world.users.company, at=at)
    services.transition(approval=a, action="accept", actor=world.users.approver, at=at)
    a.refresh_from_db()
    return a


def test_clock_skips_national_day_and_counts_the_makeup_saturday(world):
    # given acceptance on Wednesday 2026-09-30 with 5 working days
    a = _accepted(world, datetime(2026, 9, 30, 10, tzinfo=TZ))
    # then Oct 1-7 are off, Oct 8, 9, 10 (make-up Saturday), 12, 13 count
    assert a.due_at.astimezone(TZ) == datetime(2026, 10, 13, 18, tzinfo=TZ)


def test_calendar_day_limits_count_holidays_but_never_end_on_one(world):
    # 7 days from 09-30 end on 10-07, inside the National Day holiday: due on 10-08 (民法典 203)
    a = _accepted(world, datetime(2026, 9, 30, 10, tzinfo=TZ), limit=7, unit="day")
    assert a.due_at.astimezone(TZ).date().isoformat() == "2026-10-08"


def test_a_pause_moves_the_due_date_by_the_working_days_paused(world):
    # given acceptance Monday 2026-11-02, 5 working days: due Monday 2026-11-09
    a = _accepted(world, datetime(2026, 11, 2, 10, tzinfo=TZ))
    assert a.due_at.astimezone(TZ).date().isoformat() == "2026-11-09"
    # when paused Tuesday for supplements and resumed Thursday
    services.transition(
        approval=a,
        action="pause",
        actor=world.users.approver,
        at=datetime(2026, 11, 3, 15, tzinfo=TZ),
        reason="缺少图纸",
        pause_reason="supplement",
    )
    services.transition(
        approval=a,
        action="resume",
        actor=world.users.approver,
        at=datetime(2026, 11, 5, 9, tzinfo=TZ),
    )
    a.refresh_from_db()
    # then Wednesday and Thursday do not count: due two working days later
    assert a.due_at.astimezone(TZ).date().isoformat() == "2026-11-11"
    assert a.pauses.get().ended_at is not None


def test_queue_shows_lights_and_counts(client_for, world):
    # given an approval due in 5 working days and one overdue
    _accepted(world, datetime(2026, 11, 2, 10, tzinfo=TZ))
    client = client_for(world.users.approver)
    # when the department opens its queue on 2026-11-26 (overdue) -- use the API for the light
    response = client.get("/api/v1/approvals/queue")
    # then
    assert response.status_code == 200
    rows = response.json()
    assert [r["id"] for r in rows] == [world.approval1.pk]
    assert rows[0]["light"] in {"red", "yellow", "green"}
    page = client.get("/approvals/")
    assert page.status_code == 200 and "待办" in page.content.decode()


def test_other_departments_queue_does_not_show_it(client_for, world):
    _accepted(world, datetime(2026, 11, 2, 10, tzinfo=TZ))
    assert client_for(world.users.water_approver).get("/api/v1/approvals/queue").json() == []


def test_queue_triad(client, client_for, world):
    assert client.get("/approvals/").status_code == 302
    assert client.get("/api/v1/approvals/queue").status_code == 401
    assert client_for(world.users.company).get("/approvals/overdue/").status_code == 403
    assert (
        client_for(world.users.nanshan).get(f"/approvals/{world.approval1.pk}/").status_code == 404
    )


def test_supervision_notice_round_trip(client_for, world):
    # given a late approval
    a = _accepted(world, datetime(2026, 9, 1, 10, tzinfo=TZ))
    # when the coordinator issues a notice
    response = client_for(world.users.coordinator).post(
        f"/api/v1/approvals/{a.pk}/notices",
        json.dumps({"text": "请三日内办结", "reply_days": 2}),
        content_type="application/json",
    )
    assert response.status_code == 201
    notice_id = response.json()["id"]
    # then the department sees it in its inbox, another department cannot reply, it can
    assert Notification.objects.filter(
        recipient=world.users.approver, event="notice_issued"
    ).exists()
    other = client_for(world.users.water_approver).post(
        f"/api/v1/notices/{notice_id}/reply",
        json.dumps({"text": "x"}),
        content_type="application/json",
    )
    assert other.status_code in (403, 404)
    ok = client_for(world.users.approver).post(
        f"/api/v1/notices/{notice_id}/reply",
        json.dumps({"text": "已安排专人，明日办结"}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["reply_text"] == "已安排专人，明日办结"
    again = client_for(world.users.approver).post(
        f"/api/v1/notices/{notice_id}/reply",
        json.dumps({"text": "again"}),
        content_type="application/json",
    )
    assert again.status_code == 409


def test_only_coordinators_issue_notices(client_for, world):
    a = _accepted(world, datetime(2026, 9, 1, 10, tzinfo=TZ))
    for user in (world.users.approver, world.users.leader):
        response = client_for(user).post(
            f"/api/v1/approvals/{a.pk}/notices",
            json.dumps({"text": "x"}),
            content_type="application/json",
        )
        assert response.status_code == 403
    assert client_for(world.users.company).get("/api/v1/notices").status_code == 403


def test_reminders_are_sent_once(world):
    # given an overdue approval
    _accepted(world, datetime(2026, 9, 1, 10, tzinfo=TZ))
    now = datetime(2026, 11, 26, 9, tzinfo=TZ)
    # when the tick runs twice
    first = jobs.notify_deadlines(now=now)
    second = jobs.notify_deadlines(now=now)
    # then the department and the coordinator got one message each
    assert first["overdue"] == 1 and second["overdue"] == 0
    assert Notification.objects.filter(event="approval_overdue").count() == 2


def test_pages_of_one_approval(client_for, world):
    a = _accepted(world, datetime(2026, 11, 2, 10, tzinfo=TZ))
    html = client_for(world.users.approver).get(f"/approvals/{a.pk}/").content.decode()
    assert "暂停计时" in html and "办结" in html
    html = client_for(world.users.leader).get(f"/approvals/{a.pk}/").content.decode()
    assert 'name="action"' not in html


def test_a_paused_clock_keeps_the_days_it_had_and_is_not_overdue(world, client_for):
    from greenlight.approvals import clocks, selectors
    from tests import factories as f

    # given accepted Monday 2026-11-02 with 5 working days (due 11-09), paused on Wednesday
    a = _accepted(world, datetime(2026, 11, 2, 10, tzinfo=TZ))
    services.transition(
        approval=a, action="pause", actor=world.users.approver,
        at=datetime(2026, 11, 4, 10, tzinfo=TZ), reason="缺少图纸", pause_reason="supplement",
    )  # fmt: skip
    # and another approval of the department accepted later, due 11-20, still running
    other = f.ApprovalFactory(project=world.project1, department=world.eco)
    services.transition(
        approval=other, action="submit", actor=world.users.company,
        at=datetime(2026, 11, 13, 9, tzinfo=TZ),
    )  # fmt: skip
    services.transition(
        approval=other, action="accept", actor=world.users.approver,
        at=datetime(2026, 11, 13, 9, tzinfo=TZ),
    )  # fmt: skip
    a.refresh_from_db()
    # when three weeks pass
    now = datetime(2026, 11, 25, 9, tzinfo=TZ)
    # then the paused one still has the 3 working days it had (Thu, Fri, Mon), frozen
    assert clocks.remaining(a, now=now) == 3
    rows, counts = selectors.queue(
        user=world.users.approver, filters=selectors.QueueFilter(), now=now
    )
    # and it sorts after the overdue running one, as "paused", not as most overdue
    assert [r.pk for r in rows] == [other.pk, a.pk]
    assert rows[1].light == "paused" and rows[1].remaining == 3
    page = client_for(world.users.approver).get(f"/approvals/{a.pk}/").content.decode()
    assert "计时暂停" in page and "-" not in page.split("计时暂停")[1][:30]


def test_the_apis_queue_reads_few_columns_and_answers_as_with_all(client_for, world):
    """The API reads only the columns it shows (selectors.queue's `columns`): the same answer
    as from whole rows, running, paused and waiting alike, in as many queries for 1 or 6 rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from greenlight.approvals import api, selectors
    from greenlight.kernel.rows import json_response
    from tests import factories as f

    def whole_rows() -> bytes:
        rows, _ = selectors.queue(
            user=world.users.approver, filters=selectors.QueueFilter(), now=timezone.now()
        )
        return json_response([api.QUEUE_ROWS.from_object(a) for a in rows]).content

    client = client_for(world.users.approver)
    _accepted(world, datetime(2026, 11, 2, 10, tzinfo=TZ))
    client.get("/api/v1/approvals/queue")
    with CaptureQueriesContext(connection) as one:
        response = client.get("/api/v1/approvals/queue")
    assert response.content == whole_rows()
    for i in range(5):
        a = f.ApprovalFactory(
            project=world.project2, matter=f.MatterFactory(), department=world.eco
        )
        services.transition(approval=a, action="submit", actor=world.users.company2)
        if i % 2:
            services.transition(approval=a, action="accept", actor=world.users.approver)
        if i == 3:
            services.transition(
                approval=a,
                action="pause",
                actor=world.users.approver,
                reason="缺少图纸",
                pause_reason="supplement",
            )
    with CaptureQueriesContext(connection) as six:
        response = client.get("/api/v1/approvals/queue")
    assert response.content == whole_rows()
    assert len(response.json()) == 6
    assert {"paused", "waiting"} <= {r["light"] for r in response.json()}
    assert len(six.captured_queries) == len(one.captured_queries)
