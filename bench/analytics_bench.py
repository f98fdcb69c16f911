"""Time the analytics on the bench database (see analytics_generate.py).

    .venv/bin/python bench/analytics_bench.py [--pm4py-python /tmp/pm4py-venv/bin/python]

As the province-level leader (who sees every district): the dashboard's queries (one call of
`dashboard.summary`, every figure of the page), and the bottleneck analysis of one year (figures
per matter: one aggregate over the per-case fact table that `analytics_generate.py` fills, and
for comparison the same figures computed live from the approvals by the SQL oracle,
`analytics_oracle.py`), each the best of `--runs`. Then the year's flat
event log is exported with our CSV export and pm4py (optional, AGPL: the `bench` extra only)
computes its performance DFG from it; the ratio compares the two analyses.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PM4PY_SCRIPT = r"""
import json, sys, time
import pandas as pd
import pm4py
t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
df = pm4py.format_dataframe(df, case_id="case_id", activity_key="activity", timestamp_key="timestamp")
t1 = time.perf_counter()
dfg, start, end = pm4py.discover_performance_dfg(df)
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "dfg": t2 - t1, "edges": len(dfg), "version": pm4py.__version__}))
"""


def best(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    from analytics_generate import DEFAULT_URL

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pm4py-python", default="")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlight.settings")
    import django

    django.setup()
    from analytics_oracle import cases as live_cases
    from analytics_oracle import live_stats
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from greenlight.accounts.models import User
    from greenlight.analytics import bottlenecks, dashboard, ocel
    from greenlight.analytics.models import CaseFact
    from greenlight.approvals.models import Approval

    user = User.objects.get(username="bench_province")
    today = date(2026, 11, 26)
    now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    approvals = Approval.objects.count()
    period = bottlenecks.period_for_year(args.year)
    print(
        f"approvals: {approvals}, projects: {user.region and Approval.objects.values('project').distinct().count()}"
    )

    with CaptureQueriesContext(connection) as q:
        dashboard.summary(user=user, today=today, now=now)
    dash, _ = best(lambda: dashboard.summary(user=user, today=today, now=now), args.runs)
    print(f"dashboard: {dash:.3f} s in {len(q.captured_queries)} queries")

    cases = live_cases(user=user, period=period).count()
    bn, rows = best(lambda: bottlenecks.table(user=user, period=period, by="matter"), args.runs)
    print(f"bottlenecks {args.year}: {bn:.3f} s over {cases} decided cases, {len(rows)} matters")

    facts_n = CaseFact.objects.count()
    live, _ = best(lambda: live_stats(user=user, period=period, by="matter"), 1)
    print(
        f"  from {facts_n} stored case facts; computed live from the approvals instead: {live:.3f} s"
    )

    out = {
        "live_s": live,
        "facts": facts_n,
        "approvals": approvals,
        "dashboard_s": dash,
        "queries": len(q.captured_queries),
        "bottleneck_s": bn,
        "cases": cases,
    }
    if args.pm4py_python:
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
            t0 = time.perf_counter()
            for chunk in ocel.csv_rows(user=user, period=period):
                fh.write(chunk)
            export = time.perf_counter() - t0
        size = Path(fh.name).stat().st_size
        res = subprocess.run(
            [args.pm4py_python, "-c", PM4PY_SCRIPT, fh.name], capture_output=True, text=True
        )
        os.unlink(fh.name)
        if res.returncode:
            print("pm4py failed:", res.stderr[-2000:])
        else:
            pm = json.loads(res.stdout.strip().splitlines()[-1])
            out.update(export_s=export, csv_mb=size / 1e6, pm4py=pm)
            print(
                f"CSV export {export:.1f} s ({size / 1e6:.0f} MB); pm4py {pm['version']}: load "
                f"{pm['load']:.1f} s, performance DFG {pm['dfg']:.1f} s; "
                f"ratio DFG / ours {pm['dfg'] / bn:.1f}x, (load + DFG) / ours {(pm['load'] + pm['dfg']) / bn:.1f}x"
            )
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
