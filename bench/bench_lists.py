"""Lists and the dashboard at province size, as the province user: first page, a deep page,
a filter, in the API and on the pages, with their query counts.

Run from the repository root on a database filled by `analytics_generate.py`:
    .venv/bin/python bench/bench_lists.py --database-url postgres://postgres@127.0.0.1:5432/gl_province_bench

Each request goes through the whole Django stack in this process (middleware, session, views,
templates, serialisation; no network), signed in as `bench_province` (the province leader the
generator creates). Prints the best of `--runs` for each, the number of SQL queries, the
project count, and the load average; run it on the 13 k and the 130 k data sets to see the
growth. Goals (issue "Fast under load and at province scale"): a list page or API page
≤ 200 ms whatever the page and filter, the dashboard ≤ 500 ms.
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
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="only the requests whose name contains this")
    parser.add_argument(
        "--slowest", type=int, default=0, help="print each request's N slowest statements"
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "greenlight.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from greenlight.accounts.models import User
    from greenlight.projects.models import Project
    from tests.auth import verified_login

    user = User.objects.get(username="bench_province")
    client = verified_login(Client(), user)
    n = Project.objects.visible_to(user).count()
    last_api = max(1, (n + 49) // 50)
    last_page = max(1, (n + 24) // 25)
    requests = [
        ("API projects, page 1", "/api/v1/projects?page=1"),
        ("API projects, last page", f"/api/v1/projects?page={last_api}"),
        ("API projects, stage filter", "/api/v1/projects?stage=construction"),
        ("API projects, search", "/api/v1/projects?q=测试项目12"),
        ("projects page 1", "/projects/"),
        ("projects, last page", f"/projects/?page={last_page}"),
        ("projects, stage filter", "/projects/?stage=construction"),
        ("dashboard", "/analytics/"),
    ]
    print(f"{n:,} projects visible to {user.username}; best of {args.runs}")
    print("| request | ms | queries | status |\n|---|---:|---:|---:|")
    for name, url in requests:
        if args.only not in name:
            continue
        best, queries, status, slow = float("inf"), 0, 0, []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                answer = client.get(url)
                wall = time.perf_counter() - t0
            status = answer.status_code
            if wall < best:
                best, queries = wall, len(ctx.captured_queries)
                slow = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
        print(f"| {name} (`{url}`) | {best * 1000:.0f} | {queries} | {status} |")
        for q in slow[: args.slowest]:
            print(f"|   {float(q['time']) * 1000:.0f} ms: {q['sql'][:150]} | | | |")
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
