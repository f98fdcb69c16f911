"""The per-case facts as one PostgreSQL statement: the full rebuild of the fact table without
a round trip per case (`casefacts.refresh_all` on PostgreSQL).

The rules are `rules.case_fact`'s, restated in SQL; `tests/test_oracle.py` checks on PostgreSQL
that this statement and the Python rules (which the tick's incremental refresh and SQLite use)
write the same rows on the hand-computed scenario and a seeded random quarter. In short:
* handling days = the days in (accepted, decided] in the unit, less the days of each pause
  (from its first day to its last, capped at the decision), never below 0; once in the committed
  limit's unit, once in the statutory limit's;
* idle days = from the last prerequisite's decision to the submission, when every prerequisite
  present in the project is approved (prerequisites: the catalog's and the template's links, as
  the planner combines them), not for completion-stage cases;
* overdue: handling over the limit; delay = the overrun plus the idle days.
Working days are a lookup in a constant array of cumulative counts (`rules.DayCounter`): a join
against an unnested calendar misled the planner into nested loops.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from greenlight.approvals.choices import PauseReason, Status
from greenlight.catalog.models import Matter, TemplateLink

from . import rules

# the columns of the base query, in the order of `casefacts.ROW_FIELDS`
BASE_COLUMNS = (
    "id, project_id, template_id, matter_id, department_id, stage, cu, cl, sl, su, critical, "
    "acc, dec, sub, mon, decided_at, version, region_id"
)

PER_CASE = """
base({base_columns}) AS ({base_sql}),
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
    CASE WHEN pre.all_done AND b.sub IS NOT NULL AND b.stage <> %s THEN GREATEST(0,
      CASE WHEN b.cu = %s THEN {wd_sub} - {wd_done} ELSE b.sub - pre.done END) END AS idle
  FROM base b
  LEFT JOIN ps ON ps.id = b.id
  LEFT JOIN pre ON pre.id = b.id
),
g AS (
  SELECT f.*,
    CASE WHEN cu = %s THEN h_wd ELSE h_cd END AS h,
    CASE WHEN su = %s THEN h_wd ELSE h_cd END AS hs
  FROM f
),
d AS (SELECT g.*, GREATEST(h - cl, 0) + COALESCE(idle, 0) AS delay FROM g)
"""

INSERT = """
INSERT INTO {table} (approval_id, project_id, region_id, matter_id, department_id, stage,
  decided_at, month, unit, committed_limit, statutory_limit, handling, handling_statutory, idle,
  overdue, overdue_statutory, supplements, critical, delay, version, computed_at)
SELECT id, project_id, region_id, matter_id, department_id, stage,
  decided_at, mon, cu, cl, sl, h, hs, idle,
  h > cl, hs > sl, supp, critical, delay, version, now()
FROM d
"""


def per_case(base_sql: str, base_params, *, period: rules.Period, columns: str = BASE_COLUMNS):
    """`WITH …` CTEs ending in `d`, one row per case of the base query (whose columns are
    `columns`) with its figures: h, hs (handling days), idle, supp, delay; and the parameters."""
    dates, cum = rules.counter_for(period).arrays()
    array = "'{" + ",".join(map(str, cum)) + "}'::int[]"  # our own integers, safe to inline
    lo = dates[0].isoformat()

    def wd(expr: str) -> str:
        return f"({array})[({expr}) - DATE '{lo}' + 1]"

    sql = "WITH " + PER_CASE.format(
        wd_pb=wd("x.pb"),
        wd_pe=wd("x.pe"),
        wd_acc=wd("b.acc"),
        wd_dec=wd("b.dec"),
        wd_sub=wd("b.sub"),
        wd_done=wd("pre.done"),
        base_columns=columns,
        base_sql=base_sql,
        prerequisites=Matter.prerequisites.through._meta.db_table,
        template_links=TemplateLink._meta.db_table,
    )
    tz = timezone.get_current_timezone_name()
    workday = rules.Unit.WORKDAY.value
    params = [*base_params, PauseReason.SUPPLEMENT.value, tz, tz, tz, Status.APPROVED.value]
    params += [rules.COMPLETION, workday, workday, workday]
    return sql, params


def insert_all(rows, *, period: rules.Period, table: str) -> int:
    """Insert the facts of every case of `rows` (approvals' values in the order of
    `BASE_COLUMNS`: `casefacts.ROW_FIELDS`) into `table` in one statement; the rows written."""
    base_sql, base_params = rows.query.sql_with_params()
    sql, params = per_case(base_sql, base_params, period=period)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")
        cur.execute("SET LOCAL work_mem = '256MB'")
        cur.execute(sql + INSERT.format(table=table), params)
        return cur.rowcount
