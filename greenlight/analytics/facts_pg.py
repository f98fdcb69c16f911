"""The bottleneck arithmetic of `facts.py` as one PostgreSQL statement (percentile_cont).

The visible, filtered cases come from the ORM (so `visible_to` stays the single gate); the
working-day calendar is joined as a cumulative count passed in as arrays, and the plan graph's
prerequisite links likewise, so every figure is computed next to the data.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from greenlight.approvals.choices import PauseReason, Status
from greenlight.projects import planning

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
WITH cal(d, wd) AS (SELECT * FROM unnest(%s::date[], %s::int[])),
links(t, pred, succ) AS (SELECT * FROM unnest(%s::int[], %s::int[], %s::int[])),
base({base_columns}) AS ({base_sql}),
ps AS (
  SELECT x.id,
    COUNT(*) FILTER (WHERE x.reason = %s) AS supp,
    COALESCE(SUM(ce.wd - cb.wd) FILTER (WHERE x.pe > x.pb), 0) AS lost_wd,
    COALESCE(SUM(x.pe - x.pb) FILTER (WHERE x.pe > x.pb), 0) AS lost_cd
  FROM (
    SELECT b.id, p.reason, (p.started_at AT TIME ZONE %s)::date AS pb,
      LEAST(COALESCE((p.ended_at AT TIME ZONE %s)::date, b.dec), b.dec) AS pe
    FROM base b JOIN approvals_pause p ON p.approval_id = b.id
  ) x
  JOIN cal cb ON cb.d = x.pb JOIN cal ce ON ce.d = x.pe
  GROUP BY x.id
),
pre AS (
  SELECT b.id, (MAX(a2.decided_at) AT TIME ZONE %s)::date AS done,
    BOOL_AND(a2.status = %s) AS all_done
  FROM base b
  JOIN links l ON l.succ = b.matter_id AND (l.t = 0 OR l.t = b.template_id)
  JOIN approvals_approval a2 ON a2.project_id = b.project_id AND a2.matter_id = l.pred
  GROUP BY b.id
),
f AS (
  SELECT b.*,
    GREATEST(0, (cd.wd - ca.wd) - COALESCE(ps.lost_wd, 0)) AS h_wd,
    GREATEST(0, (b.dec - b.acc) - COALESCE(ps.lost_cd, 0)) AS h_cd,
    COALESCE(ps.supp, 0) AS supp,
    CASE WHEN pre.all_done AND b.sub IS NOT NULL THEN GREATEST(0,
      CASE WHEN b.cu = 'workday' THEN cs.wd - cp.wd ELSE b.sub - pre.done END) END AS idle
  FROM base b
  JOIN cal ca ON ca.d = b.acc JOIN cal cd ON cd.d = b.dec
  LEFT JOIN ps ON ps.id = b.id
  LEFT JOIN pre ON pre.id = b.id
  LEFT JOIN cal cp ON cp.d = pre.done
  LEFT JOIN cal cs ON cs.d = b.sub
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


def link_arrays(graph: planning.CatalogGraph) -> tuple[list[int], list[int], list[int]]:
    """The plan graph's edges as (template or 0 for every template, predecessor, successor)."""
    t, pred, succ = [], [], []
    for m, ps in graph.prerequisites.items():
        for p in ps:
            t.append(0), pred.append(p), succ.append(m)
    for tid, links in graph.template_links.items():
        for p, s in links:
            t.append(tid), pred.append(p), succ.append(s)
    return t, pred, succ


def stats(qs, *, period: F.Period, by: str, graph=None) -> dict:
    """Figures per group, computed by PostgreSQL."""
    base_sql, base_params = qs.values_list(*F.CASE_FIELDS).query.sql_with_params()
    key, width = KEYS[by]
    tz = timezone.get_current_timezone_name()
    dates, cum = F.counter_for(period).arrays()
    t, pred, succ = link_arrays(graph or planning.CatalogGraph.load())
    sql = SQL.format(base_columns=BASE_COLUMNS, base_sql=base_sql, key=key)
    params = [dates, cum, t, pred, succ, *base_params]
    params += [PauseReason.SUPPLEMENT.value, tz, tz, tz, Status.APPROVED.value]
    out = {}
    # The planner cannot estimate the unnested calendar and links; its cost guess then
    # triggers JIT compilation, which costs seconds for a query that runs in milliseconds.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")
        cur.execute(sql, params)
        rows = cur.fetchall()
    for row in rows:
        k = row[0] if width == 1 else (row[0], _day(row[1]))
        values = dict(zip(NAMES, row[width:], strict=True))
        for name in INTEGERS:
            values[name] = int(values[name] or 0)
        out[k] = F.figures(**values)
    return out


def _day(value):
    if hasattr(value, "date") and callable(value.date):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
