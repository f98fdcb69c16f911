"""Seconds for the ticket escalation tick, the list by light and the department figures.

Run from the repository root:  .venv/bin/python bench/bench_tickets.py [--tickets 5000] [--runs 3]

Builds a small demo district in a throwaway SQLite file (never the configured database), copies
its demo tickets (as reported and never answered) until there are `--tickets`, then times
`tickets.jobs.escalate` (first run: flags and escalates every missed milestone; second run:
nothing left to do), the list page's reads (lights of the 300 most urgent, counts per light)
and `department_figures`.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from contextlib import redirect_stderr
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = date(2026, 11, 26)


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="greenlight-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "greenlight.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Max

    from greenlight.accounts.models import User
    from greenlight.demo import district as demo
    from greenlight.tickets import jobs, selectors
    from greenlight.tickets.models import Ticket, TicketEvent

    call_command("migrate", verbosity=0)
    with redirect_stderr(io.StringIO()):
        demo.build(today=TODAY, projects=200, stdout=io.StringIO())
    TicketEvent.objects.filter(kind__in=["overdue", "escalated"]).delete()
    Ticket.objects.update(escalated_at=None)
    seed = list(Ticket.objects.all())
    copies, shift = [], 0
    while len(seed) + len(copies) < args.tickets:
        shift += 1
        for t in seed:
            t2 = Ticket(**{f.attname: getattr(t, f.attname) for f in Ticket._meta.concrete_fields})
            t2.pk = None
            for name in ("reported_at", "feedback_due", "path_due", "progress_due"):
                setattr(t2, name, getattr(t, name) - timedelta(days=shift))
            # as just reported and never answered: the demo's own tickets are mostly resolved
            # (they end with their blockers), the copies give the tick open ones to flag
            t2.status, t2.satisfaction, t2.reopen_count = "reported", None, 0
            for name in ("feedback_at", "path_at", "progress_at", "resolved_at", "closed_at"):
                setattr(t2, name, None)
            copies.append(t2)
    Ticket.objects.bulk_create(copies[: args.tickets - len(seed)], batch_size=1000)
    n = Ticket.objects.count()
    now = Ticket.objects.aggregate(m=Max("progress_due"))["m"] + timedelta(days=3)
    first, counts = timed(lambda: jobs.escalate(now=now))
    again = min(timed(lambda: jobs.escalate(now=now))[0] for _ in range(args.runs))
    coordinator = User.objects.get(username="coordinator")
    flt = selectors.TicketFilter()

    def page():
        rows = selectors.ticket_list(user=coordinator, filters=flt, now=now)
        selectors.with_lights(rows[:300], now=now)
        selectors.light_counts(user=coordinator, filters=flt, now=now)

    listing = min(timed(page)[0] for _ in range(args.runs))
    figures = min(
        timed(lambda: selectors.department_figures(user=coordinator))[0] for _ in range(args.runs)
    )
    print(f"tickets: {n}; first tick flagged {counts['overdue']}, escalated {counts['escalated']}")
    print(f"escalate, first run (flags, events, audit, inbox) : {first:7.2f} s")
    print(f"escalate, second run (nothing to do)              : {again:7.3f} s")
    print(f"list page reads (300 rows with lights + counts)   : {listing:7.3f} s")
    print(f"department figures                                : {figures:7.3f} s")


if __name__ == "__main__":
    main()
