"""Helpers of the intake tests: the seed catalog with every department, and a project's data."""

from __future__ import annotations

from greenlight.accounts.models import ApiToken
from greenlight.catalog import seeding


def seed(world) -> None:
    """Bao'an with the seed catalog and its eight departments."""
    seeding.load_catalog()
    seeding.seed_departments(world.baoan)


def record(world, **overrides) -> dict:
    """The data of a valid registration in Bao'an for owner 魏桥 (service and API shape)."""
    data = {
        "code": "2611-440306-04-01-654321",
        "name": "沙井智能装备产业园",
        "owner": world.org2.pk,
        "category": "social_industry",
        "industry": "manufacturing",
        "location": "深圳市宝安区沙井街道新沙路",
        "construction_nature": "new",
        "scale_content": "新建厂房3栋，总建筑面积6万平方米",
        "funding_source": "social",
        "contact_name": "李工",
        "contact_phone": "13812345678",
        "total_investment": "28000",
    }
    data.update(overrides)
    return data


def bearer(user) -> dict:
    """The header of a fresh API token of `user`, for the test client."""
    _, raw = ApiToken.issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def form(world, **overrides) -> dict:
    """The registration form's data for owner 魏桥 at the planning stage."""
    data = record(world, owner=world.org2.name)
    data.update(stage="planning", **overrides)
    return data
