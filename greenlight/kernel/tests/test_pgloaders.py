"""On PostgreSQL, timestamps are read by psycopg's compiled loader, with the same values as
Django's own loader: aware, in UTC, to the microsecond."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader

from greenlight.kernel import pgloaders

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg loaders: PostgreSQL"),
]

STAMPS = [
    "2026-01-01 12:00:00.123456+08",
    "2026-12-31 23:59:59.999999+08",
    "1899-06-30 00:00:00-05",
    "2000-02-29 08:30:00+00",
    "2025-03-30 02:30:00+02",
    "0001-01-01 00:00:00+00",
]


def _read(cursor) -> list:
    cursor.execute(
        "SELECT v::timestamptz FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n",
        [STAMPS],
    )
    return [row[0] for row in cursor.fetchall()]


def test_the_connection_reads_timestamps_with_the_compiled_loader():
    compiled = pgloaders.compiled_loader()
    assert compiled is not None, "psycopg[binary] is a dependency: its loader exists"
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(1184, 0)  # timestamptz, text
        assert loader is compiled
        values = _read(cursor)
    assert all(v.tzinfo is datetime.UTC for v in values)
    assert values[0] == datetime.datetime(2026, 1, 1, 4, 0, 0, 123456, tzinfo=datetime.UTC)


def test_the_values_are_those_of_djangos_loader():
    with connection.cursor() as cursor:
        compiled = _read(cursor)
        # Django's loader on this cursor only, as Django installs it
        django_loader = type("Loader", (BaseTzLoader,), {"timezone": connection.timezone})
        cursor.cursor.adapters.register_loader("timestamptz", django_loader)
        python = _read(cursor)
    assert compiled == python
    assert [v.tzinfo for v in compiled] == [v.tzinfo for v in python]


def test_a_database_in_another_time_zone_keeps_djangos_loader():
    from django.db.backends.postgresql.base import DatabaseWrapper

    other = DatabaseWrapper({**connection.settings_dict, "TIME_ZONE": "Asia/Shanghai"}, "tz")
    try:
        with other.cursor() as cursor:
            loader = cursor.cursor.adapters.get_loader(1184, 0)
            assert loader is not pgloaders.compiled_loader()
            values = _read(cursor)
        shanghai = datetime.timezone(datetime.timedelta(hours=8))
        assert values[0].astimezone(shanghai).hour == 12 and values[0].tzinfo is not None
    finally:
        other.close()
