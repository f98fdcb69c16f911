"""Fixtures of the pipeline tests: the seed catalog, all departments, a year of pools."""

from datetime import date

import pytest

from greenlight.catalog import seeding
from greenlight.pipeline import services
from greenlight.pipeline.choices import FactorKind
from tests import factories as f

YEAR = 2025


@pytest.fixture
def pipeline(world):
    """Bao'an with the seed catalog, 8 departments, two subdistricts, pools and candidates."""
    seeding.load_catalog()
    seeding.seed_departments(world.baoan)
    xinqiao = f.SubdistrictFactory(region=world.baoan, name="新桥")
    shajing = f.SubdistrictFactory(region=world.baoan, name="沙井")
    coord = world.users.coordinator
    services.set_pool(
        region=world.baoan,
        year=YEAR,
        kind=FactorKind.LAND,
        subdistrict=xinqiao,
        amount_value=50000,
        actor=coord,
    )
    services.set_pool(
        region=world.baoan, year=YEAR, kind=FactorKind.ENERGY, amount_value=10000, actor=coord
    )

    def propose(name, investment, land, sub=xinqiao, owner=None, **extra):
        return services.propose_candidate(
            data={
                "name": name,
                "owner": (owner or world.org1).pk,
                "subdistrict": sub.pk if sub else None,
                "category": "social_industry",
                "industry": "manufacturing",
                "investment": investment,
                "funding": "company",
                "land_need": land,
                "energy_need": 1000,
                "priority": 3,
                **extra,
            },
            actor=coord,
            year=YEAR,
        )

    a = propose("新桥智造园一期", 30000, 30000)
    b = propose("新桥智造园二期", 25000, 25000)
    c = propose("新桥配套厂房", 10000, 15000, owner=world.org2)
    return type(
        "P",
        (),
        {
            "xinqiao": xinqiao,
            "shajing": shajing,
            "a": a,
            "b": b,
            "c": c,
            "propose": staticmethod(propose),
            "day": date(2025, 3, 10),
        },
    )
