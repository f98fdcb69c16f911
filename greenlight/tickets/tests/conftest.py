"""Ticket test helpers: uploads land in a temporary MEDIA_ROOT; a ticket maker."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from greenlight.tickets import services

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_ticket(world):
    """Report a ticket on project1 as company1 (or the given reporter) at the given moment."""

    def make(at=datetime(2026, 9, 30, 16, tzinfo=TZ), *, reporter=None, project=None, **kw):
        fields = {"title": "施工临时用电报装进度缓慢", "category": "site", **kw}
        return services.report(
            actor=reporter or world.users.company,
            project=project or world.project1,
            reported_at=at,
            **fields,
        )

    return make


@pytest.fixture
def assigned(world, make_ticket):
    """A ticket reported Wednesday 2026-09-30 16:00, led by ecology with water cooperating."""
    ticket = make_ticket()
    return services.assign(
        ticket=ticket, actor=world.users.coordinator, lead=world.eco, cooperating=[world.water]
    )
