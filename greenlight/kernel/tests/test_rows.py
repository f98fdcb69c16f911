"""Rows: a schema's fields as plain lookups, in its order, with its defaults; a field with a
resolver must be computed by the caller."""

from types import SimpleNamespace

import pytest
from ninja import Field, Schema

from greenlight.kernel.rows import Rows


class Out(Schema):
    id: int
    owner_name: str = Field(alias="owner.name")
    street: str | None = Field(None, alias="street.name")
    light: str = ""


class Resolved(Schema):
    id: int
    phone: str

    @staticmethod
    def resolve_phone(obj) -> str:
        return "138****5678"


def test_lookups_follow_the_schema_through_relations():
    assert Rows(Out).lookups() == ["id", "owner__name", "street__name", "light"]


def test_values_rows_and_objects_give_the_schemas_keys_in_order():
    rows = Rows(Out)
    values = {"id": 1, "owner__name": "鹏鼎", "street__name": None, "light": "red"}
    assert list(rows.from_values(values)) == ["id", "owner_name", "street", "light"]
    obj = SimpleNamespace(id=2, owner=SimpleNamespace(name="魏桥"), street=None)
    assert rows.from_object(obj) == {"id": 2, "owner_name": "魏桥", "street": None, "light": ""}


def test_a_resolved_field_must_be_computed_by_the_caller():
    with pytest.raises(ValueError, match="phone"):
        Rows(Resolved)
    rows = Rows(Resolved, computed=("phone",))
    assert rows.from_values({"id": 3}, phone="x") == {"id": 3, "phone": "x"}


def test_the_encoder_writes_what_ninjas_writes():
    import json
    from datetime import UTC, date, datetime, time, timedelta
    from decimal import Decimal
    from enum import Enum
    from zoneinfo import ZoneInfo

    from ninja.responses import NinjaJSONEncoder

    from greenlight.kernel.rows import Encoder

    class Colour(Enum):
        RED = "red"

    values = [
        date(2026, 12, 4),
        datetime(2026, 12, 4, 9, 30, 1, 123456, tzinfo=UTC),
        datetime(2026, 12, 4, 9, 30),
        datetime(2026, 12, 4, 9, 30, 0, 999, tzinfo=UTC),
        datetime(2026, 12, 4, 17, 30, 5, tzinfo=ZoneInfo("Asia/Shanghai")),
        datetime(2026, 12, 4, 17, 30, 5, 250000, tzinfo=ZoneInfo("Asia/Shanghai")),
        time(8, 15, 0, 5000),
        timedelta(days=2, hours=3),
        Decimal("12345.6700"),
        Decimal("-0.5"),
        Colour.RED,
        "项目",
        None,
        3,
    ]
    assert json.dumps(values, cls=Encoder) == json.dumps(values, cls=NinjaJSONEncoder)
    with pytest.raises(TypeError):
        json.dumps([object()], cls=Encoder)
