"""Seconds for `greenlight replan --all` on the demo district, and where the time goes.

Run from the repository root:  .venv/bin/python bench/bench_replan.py [--projects 850] [--runs 3]

Builds the demo district in a throwaway SQLite file (never the configured database), then times
the real command (`call_command("replan", "--all")`: load, schedule, compare and store every
project's plan), the tick's daily re-forecast (`plans.jobs.reforecast`, each run a day later so
every project is due, and once more the same day, when it has nothing to do) and, separately,
the engine part alone (`planning.compute` on prefetched rows, no writes). Figures are the best
of `--runs`.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from contextlib import redirect_stderr
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = date(2026, 11, 26)


CPU: dict[str, float] = {}


def best_of(runs: int, fn) -> float:
    """The fastest of `runs` calls, in seconds (wall clock; the process's CPU time of that
    call goes to `CPU[fn.__name__]`, steadier on a shared machine)."""
    best = float("inf")
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = time.perf_counter() - t0
        if wall < best:
            best, CPU[fn.__name__] = wall, time.process_time() - c0
    return best


def _fresh_postgres(url: str, name: str) -> str:
    """A new empty database `name` on the server of `url`; its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=850, help="demo projects (850 = 宝安区)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres): the bench "
        "creates its own database gl_bench_replan there and drops it at the end",
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="greenlight-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    if args.postgres:
        os.environ["DATABASE_URL"] = _fresh_postgres(args.postgres, "gl_bench_replan")
    os.environ["DJANGO_SETTINGS_MODULE"] = "greenlight.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Prefetch
    from django.utils import timezone

    from greenlight.approvals.models import Approval
    from greenlight.catalog import calendars
    from greenlight.demo import district as demo
    from greenlight.plans import jobs, planning
    from greenlight.projects.models import Project

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    with redirect_stderr(io.StringIO()):
        demo.build(today=TODAY, projects=args.projects)
    built = time.perf_counter() - t0
    projects = Project.objects.count()
    approvals = Approval.objects.count()
    print(
        f"demo district: {projects} projects, {approvals} approvals, built in {built:.1f} s "
        f"on {connection.vendor}"
    )

    def replan_all():
        with redirect_stderr(io.StringIO()):
            call_command("replan", "--all", "--today", TODAY.isoformat(), stdout=io.StringIO())

    days = iter(range(1, 1000))
    counted = {}

    def daily():
        moment = datetime.combine(TODAY + timedelta(days=next(days)), clock(2))
        first = jobs.reforecast(now=timezone.make_aware(moment))
        again = jobs.reforecast(now=timezone.make_aware(moment))["projects"]
        if not counted:  # the first day after the build: the most that changes
            counted.update(first, again=again)

    rows = Approval.objects.select_related("matter", "department")
    loaded = list(
        Project.objects.prefetch_related(
            Prefetch("approvals", queryset=rows, to_attr="approval_rows")
        )
    )
    graph, calendar = planning.CatalogGraph.load(), calendars.current()

    def engine_only():
        for p in loaded:
            planning.compute(p, p.approval_rows, graph=graph, calendar=calendar, today=TODAY)

    command = best_of(args.runs, replan_all)
    job = best_of(args.runs, daily)
    engine = best_of(args.runs, engine_only)
    shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"greenlight replan --all:       {command:6.2f} s  ({projects / command:6.0f} projects/s)"
        f"  cpu {CPU['replan_all']:.2f} s"
    )
    print(
        f"daily re-forecast (tick):      {job:6.2f} s  ({counted['projects']} projects, "
        f"{counted['approvals']} approvals changed on the first; the same day again: "
        f"{counted['again']})"
        f"  cpu {CPU['daily']:.2f} s"
    )
    print(f"  of which planning.compute:   {engine:6.2f} s  ({projects / engine:6.0f} projects/s)")
    print(f"  the rest (queries, writes):  {command - engine:6.2f} s")
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    connection.close()
    if args.postgres:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "gl_bench_replan"')


if __name__ == "__main__":
    main()
