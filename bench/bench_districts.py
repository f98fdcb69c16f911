"""The district comparison at province scale: `/analytics/districts/` as the province leader.

    .venv/bin/python bench/analytics_generate.py --projects 130000       # once: greenlight_bench
    .venv/bin/python bench/bench_districts.py [--database-url URL] [--year 2025] [--runs 3]

Times, best of `--runs` after one warm-up: `districts.compare` (every figure of every district,
the queries' own time) and the whole page through Django's test client (login with the second
factor, template, charts' JSON); prints the query count, the sizes and the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def best(fn, runs: int) -> float:
    fn()  # warm-up: connection, caches, the facts' catch-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    from analytics_generate import DEFAULT_URL

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-catch-up",
        action="store_true",
        help="read the fact table as it is (while the generator is still filling it)",
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlight.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from greenlight.accounts.models import User
    from greenlight.analytics import districts
    from greenlight.analytics.models import CaseFact
    from greenlight.projects.models import Project
    from tests.auth import verified_login

    settings.ALLOWED_HOSTS = ["*"]
    if args.no_catch_up:
        from greenlight.analytics import casefacts

        casefacts.catch_up = lambda: None
    user = User.objects.get(username="bench_province")
    compare = best(lambda: districts.compare(user=user, year=args.year), args.runs)
    with CaptureQueriesContext(connection) as queries:
        data = districts.compare(user=user, year=args.year)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    client = Client()
    verified_login(client, user)
    url = f"/analytics/districts/?year={args.year}"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    whole = best(page, args.runs)
    load = os.getloadavg()
    print(
        f"projects {Project.objects.count()}, case facts {CaseFact.objects.count()}, "
        f"districts {len(data['rows'])}, cases decided in {args.year} {data['totals']['decided']}"
    )
    print(f"districts.compare: {compare:.3f} s, page: {whole:.3f} s")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for q in slowest:
        print(f"  {float(q['time']):.3f} s  {q['sql'][:110]}")


if __name__ == "__main__":
    main()
