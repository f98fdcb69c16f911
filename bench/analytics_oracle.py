"""An independent oracle for the bottleneck figures: the rules of `greenlight.analytics.rules`
restated as one PostgreSQL statement over the approvals themselves (no fact table): the
per-case part is the fact table's set-based rebuild (`greenlight.analytics.casefacts_sql`,
checked row by row against the Python rules), the groups' aggregate is written here again.

Not used by the product. `greenlight/analytics/tests/test_oracle.py` checks on PostgreSQL that
it and the fact table's figures agree; `analytics_bench.py` times it beside the fact table
("computed live"). The visible, filtered cases come from the ORM (`visible_to` stays the gate);
the working-day calendar is a cumulative count looked up in a constant array; the plan graph's
links are read from the same catalog tables `plans.planning.CatalogGraph` loads (the catalog's
prerequisites and the template's links, as `tasks_for` combines them).

    from analytics_oracle import cases, live_stats   # with bench/ on sys.path
    live_stats(user=user, period=rules.Period(date(2025, 1, 1), date(2026, 1, 1)), by="matter")
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from greenlight.analytics import casefacts_sql, rules
from greenlight.approvals.models import Approval

CASE_FIELDS = (
    "id",
    "project_id",
    "project__template_id",
    "matter_id",
    "department_id",
    "matter__stage",
    "matter__committed_unit",
    "matter__committed_limit",
    "matter__statutory_limit",
    "matter__statutory_unit",
    "critical",
    "acc",
    "dec",
    "sub",
    "mon",
)


def cases(*, user, period: rules.Period, matter=None, department=None, stage=None):
    """The decided cases of `period` that `user` may see, with their local days annotated."""
    start, end = period.bounds()
    qs = Approval.objects.visible_to(user).filter(
        status__in=rules.DECIDED,
        accepted_at__isnull=False,
        decided_at__gte=start,
        decided_at__lt=end,
    )
    if matter:
        qs = qs.filter(matter_id=matter)
    if department:
        qs = qs.filter(department_id=department)
    if stage:
        qs = qs.filter(matter__stage=stage)
    tz = timezone.get_current_timezone()
    return qs.annotate(
        acc=TruncDate("accepted_at", tzinfo=tz),
        dec=TruncDate("decided_at", tzinfo=tz),
        sub=TruncDate("submitted_at", tzinfo=tz),
        mon=TruncMonth("decided_at", tzinfo=tz),
    ).order_by()


def live_stats(*, user, period: rules.Period, by: str, **filters) -> dict:
    """Figures per group computed from the approvals in one statement (the shape of
    `bottlenecks.stats`); PostgreSQL only."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("the oracle is a PostgreSQL statement")
    return stats(cases(user=user, period=period, **filters), period=period, by=by)


BASE_COLUMNS = (
    "id, project_id, template_id, matter_id, department_id, stage, cu, cl, sl, su, critical, "
    "acc, dec, sub, mon"
)

KEYS = {
    "matter": ("matter_id", 1),
    "department": ("department_id", 1),
    "stage": ("stage", 1),
    "department_month": ("department_id, mon", 2),
}

# The per-case figures are `casefacts_sql`'s statement (the fact table's set-based rebuild,
# itself checked against the Python rules); the groups' figures are aggregated here, in SQL,
# independently of `rules.group_figures`.
AGGREGATE = """
SELECT {key},
  COUNT(*),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY h),
  percentile_cont(0.9) WITHIN GROUP (ORDER BY h),
  AVG(h::float / NULLIF(cl, 0)),
  COUNT(*) FILTER (WHERE h > cl),
  COUNT(*) FILTER (WHERE hs > sl),
  COUNT(*) FILTER (WHERE supp > 0),
  SUM(supp),
  COUNT(idle),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY idle),
  COALESCE(SUM(idle), 0),
  COUNT(*) FILTER (WHERE critical),
  COALESCE(SUM(delay) FILTER (WHERE critical), 0),
  SUM(delay)
FROM d GROUP BY {key}
"""

NAMES = (
    "n",
    "median",
    "p90",
    "ratio",
    "over",
    "over_statutory",
    "supplemented",
    "loops",
    "idle_n",
    "idle_median",
    "idle_total",
    "critical",
    "critical_days",
    "delay",
)


INTEGERS = (
    "n",
    "over",
    "over_statutory",
    "supplemented",
    "loops",
    "idle_n",
    "idle_total",
    "critical",
    "critical_days",
    "delay",
)


def stats(qs, *, period: rules.Period, by: str) -> dict:
    """Figures per group of a `cases()` queryset, computed by PostgreSQL."""
    base_sql, base_params = qs.values_list(*CASE_FIELDS).query.sql_with_params()
    key, width = KEYS[by]
    sql, params = casefacts_sql.per_case(base_sql, base_params, period=period, columns=BASE_COLUMNS)
    # The planner's cost guesses for this statement trigger JIT compilation, which costs
    # seconds for a query that runs in milliseconds on a district.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")
        cur.execute(sql + AGGREGATE.format(key=key), params)
        rows = cur.fetchall()
    return _collect(rows, width)


def _day(value):
    if hasattr(value, "date") and callable(value.date):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _collect(rows, width: int) -> dict:
    out = {}
    for row in rows:
        k = row[0] if width == 1 else (row[0], _day(row[1]))
        values = dict(zip(NAMES, row[width:], strict=True))
        for name in INTEGERS:
            values[name] = int(values[name] or 0)
        out[k] = rules.rates(**values)
    return out
