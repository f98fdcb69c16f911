"""Special procedures (特别程序): pause kinds with their legal caps, shown to the owner, and the
paused time per department in the supervisors' figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from greenlight.approvals import procedures, services
from greenlight.approvals.models import Pause

pytestmark = pytest.mark.django_db


@pytest.fixture
def paused(world):
    a = world.approval1
    start = timezone.now() - timedelta(days=25)
    services.transition(approval=a, action="submit", actor=world.users.company, at=start)
    services.transition(approval=a, action="accept", actor=world.users.approver, at=start)
    services.transition(
        approval=a,
        action="pause",
        actor=world.users.approver,
        at=start + timedelta(hours=1),
        reason="利害关系人申请听证",
        pause_reason="hearing",
    )
    return a


def test_a_hearing_past_its_20_days_is_flagged(world, paused):
    pause = Pause.objects.get()
    assert procedures.rule(pause.reason).cap_days == 20
    assert procedures.over_cap(pause, now=timezone.now())
    assert not procedures.over_cap(pause, now=pause.started_at + timedelta(days=19))
    # an expert review has no cap in the law
    pause.reason = "expert_review"
    assert not procedures.over_cap(pause, now=timezone.now())


def test_the_owner_sees_the_kind_and_its_cap(client_for, world, paused):
    html = client_for(world.users.company).get(f"/approvals/{paused.pk}/").content.decode()
    assert "听证" in html and "第四十七条" in html and "超过法定期限" in html


def test_paused_time_per_department_for_the_supervisor(client_for, world, paused):
    rows = procedures.paused_by_department(
        user=world.users.supervisor,
        since=timezone.now() - timedelta(days=365),
        now=timezone.now(),
    )
    assert [r["department"] for r in rows] == [world.eco]
    assert rows[0]["n"] == 1 and rows[0]["days"] == 25 and rows[0]["over_cap"] == 1
    assert rows[0]["kinds"][0][1] == 25
    assert not procedures.paused_by_department(
        user=world.users.nanshan, since=timezone.now() - timedelta(days=365), now=timezone.now()
    )
    page = client_for(world.users.supervisor).get("/approvals/overdue/").content.decode()
    assert "暂停" in page and world.eco.short_name in page
