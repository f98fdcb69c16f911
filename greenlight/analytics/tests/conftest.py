"""A small fixed scenario of decided approvals whose figures are computed by hand (March 2025:
no holidays; 03-03 is a Monday)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from greenlight.accounts.choices import DepartmentKind
from greenlight.approvals.choices import PauseReason, Status
from greenlight.approvals.models import Pause
from greenlight.catalog.choices import Unit
from greenlight.catalog.models import Template, TemplateLink
from tests import factories as f


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2025, month, day, hour, minute))


def decided(project, matter, *, acc, dec, sub=None, critical=False, status=Status.APPROVED):
    return f.ApprovalFactory(
        project=project,
        matter=matter,
        status=status,
        submitted_at=sub or acc,
        accepted_at=acc,
        decided_at=dec,
        critical=critical,
    )


def pause(approval, begin, end, reason=PauseReason.SUPPLEMENT):
    return Pause.objects.create(approval=approval, reason=reason, started_at=begin, ended_at=end)


@pytest.fixture
def scenario(world):
    """M1 (3 cases, pauses, one critical), M2 (calendar days), M3 and M4 with idle time."""
    eco = DepartmentKind.ECOLOGY
    m1 = f.MatterFactory(
        code="M1", name="环评审批", department_kind=eco, committed_limit=5, statutory_limit=10
    )
    m2 = f.MatterFactory(
        code="M2",
        name="排水许可",
        department_kind=DepartmentKind.WATER,
        committed_limit=10,
        committed_unit=Unit.DAY,
        statutory_limit=20,
        statutory_unit=Unit.WORKDAY,
    )
    m3 = f.MatterFactory(code="M3", name="水保方案", department_kind=eco, committed_limit=3)
    m4 = f.MatterFactory(code="M4", name="排污许可", department_kind=eco, committed_limit=5)
    m3.prerequisites.set([m1, m2])
    template = Template.objects.create(code="TT", name="测试模板", category="social_industry")
    TemplateLink.objects.create(template=template, predecessor=m1, successor=m4)
    p1, p2 = world.project1, world.project2
    p3 = f.ProjectFactory(owner=world.org2, name="第三个项目")
    p2.template = template
    p2.save()
    # M1: A 5 days; B 6 days (paused Thu..Mon = 3), critical; C 5 days (two 1-day pauses)
    a = decided(p1, m1, acc=at(3, 3), dec=at(3, 10, 16))
    b = decided(p2, m1, acc=at(3, 3), dec=at(3, 14, 16), critical=True)
    pause(b, at(3, 5, 15), at(3, 10, 9))
    c = decided(p3, m1, acc=at(3, 3), dec=at(3, 12, 16))
    pause(c, at(3, 4, 15), at(3, 5, 9))
    pause(c, at(3, 6, 15), at(3, 7, 9))
    # M2 in calendar days: 14 days, paused Wed..Sat (3 days) -> 11 (8 working days)
    d = decided(p1, m2, acc=at(3, 3), dec=at(3, 17, 16))
    pause(d, at(3, 5, 15), at(3, 8, 9), PauseReason.EXPERT_REVIEW)
    # M3 waits for M1 and M2 of p1: done 03-17, submitted 03-20 -> idle 3; handled in 2
    e = decided(p1, m3, sub=at(3, 20, 9), acc=at(3, 20), dec=at(3, 24, 16), critical=True)
    # M4 waits for M1 of p2 (template link): done 03-14 (Fri), submitted 03-17 -> idle 1;
    # handled in 8 working days against 5 -> overrun 3
    g = decided(p2, m4, sub=at(3, 17, 9), acc=at(3, 17), dec=at(3, 27, 16), critical=True)
    # outside: another tenant, decided outside the period, not accepted
    decided(world.project_ns, m1, acc=at(3, 3), dec=at(3, 20, 16))
    decided(f.ProjectFactory(owner=world.org1), m1, acc=at(1, 6), dec=at(1, 20, 16))
    f.ApprovalFactory(
        project=p3,
        matter=m2,
        status=Status.NOT_ACCEPTED,
        submitted_at=at(3, 3),
        decided_at=at(3, 4),
    )
    return SimpleNamespace(
        m1=m1,
        m2=m2,
        m3=m3,
        m4=m4,
        a=a,
        b=b,
        c=c,
        d=d,
        e=e,
        g=g,
        p1=p1,
        p2=p2,
        p3=p3,
        template=template,
    )
