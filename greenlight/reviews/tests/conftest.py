"""A joint review over the `world`: two projects with open approvals at ecology and water."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from greenlight.accounts.choices import DepartmentKind
from greenlight.approvals.choices import Status
from greenlight.kernel.roles import Role
from greenlight.reviews import services
from tests import factories as f

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def review(world):
    """A batch of project1 (ecology, water) and project2 (water), issued by the coordinator;
    a closed approval (housing) does not involve its department."""
    water_matter = f.MatterFactory(department_kind=DepartmentKind.WATER, name="排水许可")
    housing_matter = f.MatterFactory(department_kind=DepartmentKind.HOUSING, name="施工许可")
    a_water1 = f.ApprovalFactory(
        project=world.project1, matter=water_matter, department=world.water
    )
    a_water2 = f.ApprovalFactory(
        project=world.project2, matter=water_matter, department=world.water
    )
    housing = f.DepartmentFactory(
        region=world.baoan, kind=DepartmentKind.HOUSING, name="宝安区住建局"
    )
    f.ApprovalFactory(
        project=world.project2, matter=housing_matter, department=housing, status=Status.APPROVED
    )
    housing_approver = f.UserFactory(
        username="housing", role=Role.APPROVER, region=world.baoan, department=housing
    )
    batch = services.issue_batch(
        title="2026年第一批联审联批项目清单",
        projects=[world.project1, world.project2],
        actor=world.users.coordinator,
        opinion_workdays=5,
    )
    return SimpleNamespace(
        batch=batch,
        housing=housing,
        housing_approver=housing_approver,
        eco_opinion=batch.opinions.get(department=world.eco),
        water_opinions=list(batch.opinions.filter(department=world.water).order_by("project_id")),
        approvals=(world.approval1, a_water1, a_water2),
    )


@pytest.fixture
def meeting(world, review):
    """A meeting of the batch three days ahead."""
    return services.schedule_meeting(
        batch=review.batch,
        starts_at=timezone.now() + timedelta(days=3),
        place="区政府第一会议室",
        actor=world.users.coordinator,
    )


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)
