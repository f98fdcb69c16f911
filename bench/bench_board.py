"""The joint-review board page (step 4) of the demo's largest batch, rendered in-process.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/bench_board.py [--runs 7]

Prints the cells shown, the median wall time of the whole page (view, queries, template) as the
coordinator, and the median of `/healthz` in the same process as the yardstick (ratio), with the
load average. Build the demo first (`greenlight demo`).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlight.settings")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ns = ap.parse_args()
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    from greenlight.accounts.models import User
    from greenlight.reviews.models import Batch

    setup_test_environment()
    batch = Batch.objects.annotate(n=Count("projects")).order_by("-n", "pk").first()
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username="coordinator"))

    def timed(url: str) -> float:
        times = []
        for _ in range(ns.runs):
            t = time.perf_counter()
            r = client.get(url)
            times.append(time.perf_counter() - t)
            assert r.status_code == 200, (url, r.status_code)
        return statistics.median(times)

    page = client.get(f"/reviews/{batch.pk}/board/").content.decode()
    cells = page.count('class="ap ')
    board = timed(f"/reviews/{batch.pk}/board/")
    ceiling = timed("/healthz")
    print(f"batch {batch.pk}: {batch.n} projects, {cells} approvals on the board")
    print(
        f"board page {board * 1000:.0f} ms (median of {ns.runs}); /healthz {ceiling * 1000:.1f} ms"
    )
    print(f"ratio board / healthz: {board / ceiling:.0f}x; load average {os.getloadavg()[:2]}")


if __name__ == "__main__":
    main()
