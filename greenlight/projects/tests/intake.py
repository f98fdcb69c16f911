"""Helpers of the intake tests: the seed catalog with every department, and a project's data."""

from __future__ import annotations

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
