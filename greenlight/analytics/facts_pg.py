"""The bottleneck arithmetic of `facts.py` as one PostgreSQL statement (percentile_cont).

The visible, filtered cases come from the ORM (so `visible_to` stays the single gate); the
working-day calendar is a cumulative count looked up in a constant array; the plan graph's links
are read from the same catalog tables `projects.planning.CatalogGraph` loads (the catalog's
prerequisites and the template's links, as `tasks_for` combines them), so that the planner has
their statistics and every figure is computed next to the data.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from greenlight.approvals.choices import PauseReason, Status
from greenlight.catalog.models import Matter, TemplateLink

from . import facts as F

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


def stats(qs, *, period: F.Period, by: str) -> dict:
    """Figures per group, computed by PostgreSQL."""
    base_sql, base_params = qs.values_list(*F.CASE_FIELDS).query.sql_with_params()
    key, width = KEYS[by]
    tz = timezone.get_current_timezone_name()
    dates, cum = F.counter_for(period).arrays()
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


FACTS_SQL = """
WITH f(matter_id, department_id, stage, mon, h, cl, overdue, overdue_statutory, supp, idle,
       critical, delay) AS ({base_sql})
SELECT {key},
  COUNT(*),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY h),
  percentile_cont(0.9) WITHIN GROUP (ORDER BY h),
  AVG(h::float / NULLIF(cl, 0)),
  COUNT(*) FILTER (WHERE overdue),
  COUNT(*) FILTER (WHERE overdue_statutory),
  COUNT(*) FILTER (WHERE supp > 0),
  SUM(supp),
  COUNT(idle),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY idle),
  COALESCE(SUM(idle), 0),
  COUNT(*) FILTER (WHERE critical),
  COALESCE(SUM(delay) FILTER (WHERE critical), 0),
  SUM(delay)
FROM f GROUP BY {key}
"""


def stats_from_facts(qs, *, by: str) -> dict:
    """Figures per group of a `CaseFact` queryset: one aggregate over the narrow fact rows."""
    base_sql, params = qs.values_list(
        "matter_id",
        "department_id",
        "stage",
        "month",
        "handling",
        "committed_limit",
        "overdue",
        "overdue_statutory",
        "supplements",
        "idle",
        "critical",
        "delay",
    ).query.sql_with_params()
    key, width = KEYS[by]
    # As above, JIT compilation costs more than it saves; the sort by group fits in 64 MB
    # (about 30 MB for a province year) instead of spilling to disk.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")
        cur.execute("SET LOCAL work_mem = '64MB'")
        cur.execute(FACTS_SQL.format(base_sql=base_sql, key=key), params)
        rows = cur.fetchall()
    return _collect(rows, width)


def _collect(rows, width: int) -> dict:
    out = {}
    for row in rows:
        k = row[0] if width == 1 else (row[0], _day(row[1]))
        values = dict(zip(NAMES, row[width:], strict=True))
        for name in INTEGERS:
            values[name] = int(values[name] or 0)
        out[k] = F.figures(**values)
    return out
