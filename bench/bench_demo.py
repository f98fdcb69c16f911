"""Seconds to build the demo district (`greenlight migrate` + `greenlight demo`), with the load
average of the machine, which is shared: a figure taken under load says so.

Run from the repository root:  .venv/bin/python bench/bench_demo.py [--projects 850] [--runs 1]
                                                                     [--seed 440306]

Each run builds the demo in a fresh throwaway SQLite file (never the configured database): the
migrations, then the demo command as `make run` calls it. It prints the wall and CPU seconds of
each part, the load average (1, 5, 15 minutes) before and after, and the demo's counts; the
best run is the figure to quote.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-12-02"


def run(args: list[str], env: dict) -> tuple[float, float, str]:
    """Wall and CPU (user + system of the child) seconds of one command, and its stdout."""
    t0 = time.perf_counter()
    before = os.times()
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    after = os.times()
    wall = time.perf_counter() - t0
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode})")
    return wall, cpu, done.stdout


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=850)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=440306)
    args = parser.parse_args()
    greenlight = str(ROOT / ".venv" / "bin" / "greenlight")
    best = None
    out = io.StringIO()
    for i in range(args.runs):
        workdir = tempfile.mkdtemp(prefix="greenlight-bench-demo-")
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir}/demo.sqlite3"}
        try:
            start_load = load()
            m_wall, m_cpu, _ = run([greenlight, "migrate", "--noinput"], env)
            d_wall, d_cpu, stdout = run(
                [greenlight, "demo", "--projects", str(args.projects), "--today", TODAY,
                 "--seed", str(args.seed)],
                env,
            )  # fmt: skip
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        counts = next((line for line in stdout.splitlines() if line.startswith("Demo loaded")), "")
        total = m_wall + d_wall
        print(
            f"run {i + 1}: migrate {m_wall:.1f} s (cpu {m_cpu:.1f}), demo {d_wall:.1f} s "
            f"(cpu {d_cpu:.1f}), total {total:.1f} s; load average {start_load} -> {load()}",
            file=out,
        )
        print(f"       {counts}", file=out)
        best = total if best is None else min(best, total)
    print(out.getvalue(), end="")
    print(f"best: {best:.1f} s for migrate + demo ({args.projects} projects, seed {args.seed})")


if __name__ == "__main__":
    main()
