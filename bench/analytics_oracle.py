"""An independent oracle for the bottleneck figures: the rules of `greenlight.analytics.rules`
restated as one PostgreSQL statement over the approvals themselves (no fact table).

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

from greenlight.analytics import rules
from greenlight.approvals.choices import PauseReason, Status
from greenlight.approvals.models import Approval
from greenlight.catalog.models import Matter, TemplateLink

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

SQL = """
WITH base({base_columns}) AS ({base_sql}),
ps AS (
  SELECT x.id,
    COUNT(*) FILTER (WHERE x.reason = %s) AS supp,
    COALESCE(SUM({wd_pe} - {wd_pb}) FILTER (WHERE x.pe > x.pb), 0) AS lost_wd,
    COALESCE(SUM(x.pe - x.pb) FILTER (WHERE x.pe > x.pb), 0) AS lost_cd
  FROM (
    SELECT b.id, p.reason, (p.started_at AT TIME ZONE %s)::date AS pb,
      LEAST(COALESCE((p.ended_at AT TIME ZONE %s)::date, b.dec), b.dec) AS pe
    FROM base b JOIN approvals_pause p ON p.approval_id = b.id
  ) x
  GROUP BY x.id
),
pre AS (
  SELECT b.id, (MAX(a2.decided_at) AT TIME ZONE %s)::date AS done,
    BOOL_AND(a2.status = %s) AS all_done
  FROM (
    SELECT b.id, b.project_id, mp.to_matter_id AS pred FROM base b
    JOIN {prerequisites} mp ON mp.from_matter_id = b.matter_id
    UNION ALL
    SELECT b.id, b.project_id, tl.predecessor_id FROM base b
    JOIN {template_links} tl ON tl.template_id = b.template_id AND tl.successor_id = b.matter_id
  ) b
  JOIN approvals_approval a2 ON a2.project_id = b.project_id AND a2.matter_id = b.pred
  GROUP BY b.id
),
f AS (
  SELECT b.*,
    GREATEST(0, ({wd_dec} - {wd_acc}) - COALESCE(ps.lost_wd, 0)) AS h_wd,
    GREATEST(0, (b.dec - b.acc) - COALESCE(ps.lost_cd, 0)) AS h_cd,
    COALESCE(ps.supp, 0) AS supp,
    CASE WHEN pre.all_done AND b.sub IS NOT NULL AND b.stage <> 'completion' THEN GREATEST(0,
      CASE WHEN b.cu = 'workday' THEN {wd_sub} - {wd_done} ELSE b.sub - pre.done END) END AS idle
  FROM base b
  LEFT JOIN ps ON ps.id = b.id
  LEFT JOIN pre ON pre.id = b.id
),
g AS (
  SELECT f.*,
    CASE WHEN cu = 'workday' THEN h_wd ELSE h_cd END AS h,
    CASE WHEN su = 'workday' THEN h_wd ELSE h_cd END AS hs
  FROM f
),
d AS (SELECT g.*, GREATEST(h - cl, 0) + COALESCE(idle, 0) AS delay FROM g)
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
    tz = timezone.get_current_timezone_name()
    dates, cum = rules.counter_for(period).arrays()
    # Working days as an O(1) lookup in a constant array (our own integers, safe to inline):
    # joins against an unnested calendar misled the planner into nested loops.
    array = "'{" + ",".join(map(str, cum)) + "}'::int[]"
    lo = dates[0].isoformat()

    def wd(expr: str) -> str:
        return f"({array})[({expr}) - DATE '{lo}' + 1]"

    sql = SQL.format(
        wd_pb=wd("x.pb"),
        wd_pe=wd("x.pe"),
        wd_acc=wd("b.acc"),
        wd_dec=wd("b.dec"),
        wd_sub=wd("b.sub"),
        wd_done=wd("pre.done"),
        base_columns=BASE_COLUMNS,
        base_sql=base_sql,
        key=key,
        prerequisites=Matter.prerequisites.through._meta.db_table,
        template_links=TemplateLink._meta.db_table,
    )
    params = list(base_params)
    params += [PauseReason.SUPPLEMENT.value, tz, tz, tz, Status.APPROVED.value]
    # The planner's cost guesses for this statement trigger JIT compilation, which costs
    # seconds for a query that runs in milliseconds on a district.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")
        cur.execute(sql, params)
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
