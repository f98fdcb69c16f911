"""Does an approval transition wait on another user's 5,000-row ticket import? (PostgreSQL)

The audit trail used to be one hash chain with one head row locked FOR UPDATE by every write,
so an import (all rows in one transaction) held it until it committed and every other writer
waited. Now each project (else each region) has its own chain; this measures an approver's
pause/resume transitions on a project of another company while company1 imports 5,000 problem
tickets on its own project, with the per-project chains and, for comparison, with every event
forced into a single chain (the old design, same code otherwise).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_audit_lock.py

It creates and drops its own database (gl_bench_audit) on that server.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import threading
import time
from contextlib import redirect_stderr
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
TODAY = date(2026, 11, 25)


def _database(server_url: str) -> str:
    import psycopg

    base = server_url.rsplit("/", 1)[0]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS gl_bench_audit")
        conn.execute("CREATE DATABASE gl_bench_audit")
    return f"{base}/gl_bench_audit"


def _workbook(code: str, rows: int) -> bytes:
    from openpyxl import Workbook

    from greenlight.tickets.importer import COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append([c.header for c in COLUMNS])
    for i in range(rows):
        ws.append([code, f"导入问题{i}", "施工条件", "批量导入基准", "2026-11-20 10:00"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _transitions(approval, approver, *, until=None, count: int = 0) -> list[float]:
    """Pause then resume the approval, timing each transition, `count` times or until set."""
    from django.db import connection

    from greenlight.approvals import services

    times = []
    while (until is None and len(times) < count) or (until is not None and not until.is_set()):
        for action in ("pause", "resume"):
            start = time.perf_counter()
            services.transition(
                approval=approval,
                action=action,
                actor=approver,
                pause_reason="supplement",
                reason="基准测试：补正材料" if action == "pause" else "",
            )
            times.append(time.perf_counter() - start)
    connection.close()
    return times


def _run(label: str, data: bytes, company, approval, approver) -> dict:
    from django.db import connection

    from greenlight.tickets import importer

    done = threading.Event()
    began = threading.Event()
    result: dict = {}

    def load():
        began.set()
        start = time.perf_counter()
        importer.commit(data, user=company)
        result["import_s"] = time.perf_counter() - start
        connection.close()
        done.set()

    thread = threading.Thread(target=load)
    thread.start()
    began.wait()
    time.sleep(1.0)  # the import's transaction has written its first audit rows
    load_before = os.getloadavg()[0]
    during = _transitions(approval, approver, until=done)
    thread.join()
    result.update(label=label, during=during, load=max(load_before, os.getloadavg()[0]))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL server (the benchmark makes its own database)")
    os.environ["DATABASE_URL"] = _database(server)
    os.environ["DJANGO_SETTINGS_MODULE"] = "greenlight.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from greenlight.accounts.models import User
    from greenlight.approvals.models import Approval
    from greenlight.audit import services as audit
    from greenlight.demo import district as demo
    from greenlight.projects.models import Project

    call_command("migrate", verbosity=0)
    with redirect_stderr(io.StringIO()):
        demo.build(today=TODAY, projects=40, stdout=io.StringIO())
    company = User.objects.get(username="company1")
    project = Project.objects.filter(owner=company.organization).order_by("pk").first()
    approval = (
        Approval.objects.filter(status="accepted", project__region=project.region)
        .exclude(project__owner=company.organization)
        .order_by("pk")
        .first()
    )
    approver = User.objects.filter(role="approver", department=approval.department).first()
    data = _workbook(project.code, args.rows)
    alone = _transitions(approval, approver, count=10)
    per_project = _run("chains per project", data, company, approval, approver)
    original = audit._chain_of
    audit._chain_of = lambda obj, region: "-"  # every event in one chain: the old single head
    try:
        single = _run("one global chain (before)", data, company, approval, approver)
    finally:
        audit._chain_of = original

    base = statistics.median(alone)
    print(f"transition alone (median of {len(alone)}): {base * 1000:8.1f} ms")
    print(
        f"{'design':<28}{'import s':>9}{'n':>5}{'median ms':>11}{'max ms':>9}"
        f"{'max/alone':>10}{'load 1m':>9}"
    )
    for r in (per_project, single):
        d = r["during"]
        print(
            f"{r['label']:<28}{r['import_s']:9.1f}{len(d):5d}"
            f"{statistics.median(d) * 1000:11.1f}{max(d) * 1000:9.1f}"
            f"{max(d) / base:10.1f}{r['load']:9.2f}"
        )


if __name__ == "__main__":
    main()
