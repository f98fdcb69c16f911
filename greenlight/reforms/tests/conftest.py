"""A tiny catalog whose template durations are known by hand (calendar-day limits)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from greenlight.catalog.models import Template, TemplateItem, TemplateLink
from greenlight.reforms import services
from tests import factories as f


@pytest.fixture
def tiny(world):
    """Template T: A (5 d) -> B (10 d), C (8 d) alone; B handled 3 times in the last year."""
    a = f.MatterFactory(code="A", committed_limit=5, committed_unit="day", statutory_limit=20)
    b = f.MatterFactory(code="B", committed_limit=10, committed_unit="day", statutory_limit=20)
    c = f.MatterFactory(code="C", committed_limit=8, committed_unit="day", statutory_limit=20)
    t = Template.objects.create(code="T", name="测试模板", category="social_industry")
    for i, m in enumerate((a, b, c)):
        TemplateItem.objects.create(template=t, matter=m, position=i)
    TemplateLink.objects.create(template=t, predecessor=a, successor=b)
    now = timezone.now()
    for days in (10, 100, 300, 400):
        f.ApprovalFactory(
            project=f.ProjectFactory(owner=world.org1),
            matter=b,
            department=world.eco,
            accepted_at=now - timedelta(days=days),
        )
    item = services.create_item(
        region=world.baoan,
        data={
            "document": "《宝安区社会投资项目审批流程》",
            "finding": "B事项承诺时限过长",
            "kind": "immediate",
            "owner_department": world.eco.pk,
            "due": "2025-06-30",
        },
        actor=world.users.coordinator,
    )
    return type("Tiny", (), {"a": a, "b": b, "c": c, "template": t, "item": item})
