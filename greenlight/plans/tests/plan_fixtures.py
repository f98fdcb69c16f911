"""A major project with a small dependency graph of approvals, for the plan tests."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from greenlight.accounts.choices import DepartmentKind
from greenlight.catalog.choices import Stage
from tests import factories as f


def build_plan_world(world) -> SimpleNamespace:
    """project1 becomes major with matters A → (B, C) → D over ecology and water."""
    p = world.project1
    p.is_major = True
    p.plan_start = date(2026, 3, 2)
    p.save()
    world.approval1.delete()
    a = f.MatterFactory(code="A-1", name="甲事项", stage=Stage.LAND_PLANNING, committed_limit=5,
                        materials=["申请表"])  # fmt: skip
    b = f.MatterFactory(code="B-1", name="乙事项", stage=Stage.ENGINEERING_PERMIT,
                        committed_limit=10, department_kind=DepartmentKind.WATER)  # fmt: skip
    c = f.MatterFactory(
        code="C-1", name="丙事项", stage=Stage.ENGINEERING_PERMIT, committed_limit=3
    )
    d = f.MatterFactory(
        code="D-1", name="丁事项", stage=Stage.CONSTRUCTION_PERMIT, committed_limit=4
    )
    extra = f.MatterFactory(code="E-1", name="戊事项", stage=Stage.COMPLETION, committed_limit=2)
    b.prerequisites.add(a)
    c.prerequisites.add(a)
    d.prerequisites.add(b, c)
    for m in (a, b, c, d):
        f.ApprovalFactory(project=p, matter=m)
    return SimpleNamespace(project=p, matters=SimpleNamespace(a=a, b=b, c=c, d=d, extra=extra))


def late_enough() -> str:
    """A land date the plan meets on whatever day the tests run: the 拿地即开工 verdict judges
    today's forecast, and nothing unstarted is forecast before today."""
    return (timezone.localdate() + timedelta(days=365)).isoformat()
