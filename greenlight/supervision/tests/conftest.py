"""Subjects for notices over the `world`: an accepted approval, an assigned ticket, a batch."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from greenlight.accounts.choices import DepartmentKind
from greenlight.approvals import services as approvals
from greenlight.reviews import services as reviews
from greenlight.tickets import services as tickets
from tests import factories as f

TZ = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approval(world):
    """approval1 (ecology), submitted and accepted on Tuesday 2026-09-01."""
    a = world.approval1
    approvals.transition(approval=a, action="submit", actor=world.users.company, at=at(2026, 9, 1))
    approvals.transition(approval=a, action="accept", actor=world.users.approver, at=at(2026, 9, 1))
    a.refresh_from_db()
    return a


@pytest.fixture
def ticket(world):
    """A ticket of project1 reported 2026-09-30, led by ecology with water cooperating."""
    t = tickets.report(
        actor=world.users.company,
        project=world.project1,
        title="施工临时用电报装进度缓慢",
        category="site",
        reported_at=at(2026, 9, 30, 16),
    )
    return tickets.assign(
        ticket=t, actor=world.users.coordinator, lead=world.eco, cooperating=[world.water]
    )


@pytest.fixture
def batch(world):
    """A joint-review batch of project1 and project2 involving ecology and water."""
    water_matter = f.MatterFactory(department_kind=DepartmentKind.WATER, name="排水许可")
    f.ApprovalFactory(project=world.project2, matter=water_matter, department=world.water)
    return reviews.issue_batch(
        title="2026年第一批联审联批项目清单",
        projects=[world.project1, world.project2],
        actor=world.users.coordinator,
    )
