"""The fact table's full rebuild on PostgreSQL: the set-based statement against the Python rules.

Run from the repository root on a database filled by `analytics_generate.py`:
    .venv/bin/python bench/bench_facts_rebuild.py --database-url postgres://postgres@127.0.0.1:5432/greenlight_bench [--python]

Times `casefacts.refresh_all()` (one `INSERT … SELECT`, `casefacts_sql`) and, with `--python`,
the same rebuild through the Python rules a chunk of projects at a time (the path SQLite and the
tick's incremental refresh take), in the same run; then checks that both wrote the same number
of rows. Prints seconds, rows per second, the ratio and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--python", action="store_true", help="also time the Python rules")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "greenlight.settings"
    import django

    django.setup()
    from django.db import connection

    from greenlight.analytics import casefacts
    from greenlight.analytics.models import CaseFact
    from greenlight.kernel.progress import Progress

    assert connection.vendor == "postgresql", "the set-based rebuild is PostgreSQL's"
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    t0 = time.perf_counter()
    counts = casefacts.refresh_all()
    sql = time.perf_counter() - t0
    print(
        f"set-based rebuild: {counts['facts']:,} facts of {counts['projects']:,} projects "
        f"in {sql:.1f} s ({counts['facts'] / sql:,.0f} facts/s)"
    )
    if args.python:
        ids = list(casefacts.decided().values_list("project_id", flat=True).distinct().order_by())
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {CaseFact._meta.db_table}")
        t0 = time.perf_counter()
        n = casefacts.refresh(
            project_ids=ids, progress=Progress("python rules", len(ids)), chunk=2000, upsert=False
        )
        py = time.perf_counter() - t0
        print(
            f"Python rules:      {n:,} facts in {py:.1f} s ({n / py:,.0f} facts/s); "
            f"set-based is {py / sql:.1f}x faster"
        )
        assert n == counts["facts"], (n, counts["facts"])
        casefacts.refresh_all()  # leave the table as the product builds it
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
