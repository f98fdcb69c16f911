"""Linear-interpolated percentiles as an ORM aggregate on both databases.

PostgreSQL has `percentile_cont`; SQLite gets the same arithmetic (`percentile`) as an aggregate
function registered on each new connection (`register_sqlite`, connected in `apps.py`), so the
group figures of `rules.GROUP_FIGURES` are one ORM expression on either database."""

from __future__ import annotations

import math

from django.db.models import Aggregate, FloatField

SQLITE_NAME = "greenlight_percentile_cont"


def percentile(values: list[float], p: float) -> float | None:
    """Linear-interpolated percentile of `values` (PostgreSQL's percentile_cont)."""
    if not values:
        return None
    s = sorted(values)
    pos = p * (len(s) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return float(s[lo] + (s[hi] - s[lo]) * (pos - lo))


class PercentileCont(Aggregate):
    """`percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`; NULLs are left out."""

    function = "percentile_cont"
    name = "PercentileCont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError(fraction)
        super().__init__(expression, fraction=repr(float(fraction)), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function=SQLITE_NAME,
            template="%(function)s(%(expressions)s, %(fraction)s)",
            **extra_context,
        )


class _SqlitePercentile:
    def __init__(self):
        self.values: list = []
        self.fraction = 0.5

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return percentile(self.values, self.fraction)


def register_sqlite(sender=None, connection=None, **kwargs) -> None:
    """`connection_created` receiver: the percentile aggregate on a new SQLite connection."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_NAME, 2, _SqlitePercentile)
