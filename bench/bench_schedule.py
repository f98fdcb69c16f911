"""Plans per second of greenlight.engine on generated 60-task plans, against a networkx reference.

Run from the repository root:  .venv/bin/python bench/bench_schedule.py [--plans 2000] [--seed N]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from networkx_reference import reference_schedule  # noqa: E402
from plans import plans  # noqa: E402

from greenlight.engine.calendar import WorkCalendar  # noqa: E402
from greenlight.engine.network import Network  # noqa: E402
from greenlight.engine.schedule import schedule  # noqa: E402

START = date(2026, 3, 2)


def check_identical(generated, calendar) -> None:
    """Both implementations must agree on every date of every plan before anything is timed."""
    for k, tasks in enumerate(generated):
        ours = schedule(tasks, start=START, calendar=calendar)
        ref = reference_schedule(tasks, START, calendar)
        rows = {
            t.id: (t.early_start, t.early_finish, t.late_start, t.late_finish, t.float_days)
            for t in ours.tasks
        }
        same = (ours.parallel.finish, ours.serial.finish, rows) == (
            ref["parallel"],
            ref["serial"],
            ref["tasks"],
        )
        assert same, f"plan {k}: engine and networkx reference disagree"


def rate(fn, items, repeat: int = 5) -> float:
    """Best-of-`repeat` items per second."""
    best = 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        for item in items:
            fn(item)
        best = max(best, len(items) / (time.perf_counter() - t0))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--check", type=int, default=200, help="plans compared with networkx")
    args = parser.parse_args()
    calendar = WorkCalendar.from_package()
    generated = plans(args.plans, args.seed)
    check_identical(generated[: args.check], calendar)
    print(f"identical results on {min(args.check, len(generated))} plans")
    networks = [Network.build(p) for p in generated]
    full = rate(lambda p: schedule(p, start=START, calendar=calendar), generated)
    warm = rate(lambda n: schedule(n, start=START, calendar=calendar), networks)
    sample = generated[:100]
    reference = rate(lambda p: reference_schedule(p, START, calendar), sample, repeat=1)
    print(f"engine, build + schedule:      {full:8.0f} plans/s")
    print(f"engine, prebuilt network:      {warm:8.0f} plans/s")
    print(f"networkx reference:            {reference:8.0f} plans/s")
    print(f"ratio (engine build+schedule / networkx): {full / reference:.0f}x")


if __name__ == "__main__":
    main()
