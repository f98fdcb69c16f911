"""Demo data of analytics: monthly investment reports (报数) of the demo district's started
projects, with a few reports of last month still missing. Deterministic."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from greenlight.analytics.investment import QUALIFYING_INVESTMENT, next_month, previous_month
from greenlight.projects import bulk as project_bulk
from greenlight.projects.models import InvestmentReport, Project


def build(*, today: date, stdout=None) -> int:
    """Reports from each qualifying project's start month to last month; ~10 % of the projects
    have not reported last month yet. Returns the number of reports."""
    rng = random.Random(20261126)
    last = previous_month(today)
    rows = []
    projects = Project.objects.filter(
        actual_start__isnull=False, total_investment__gte=QUALIFYING_INVESTMENT
    ).order_by("id")
    for p in projects.values("id", "actual_start", "completed_on", "total_investment"):
        month = p["actual_start"].replace(day=1)
        months = []
        while month <= last and (p["completed_on"] is None or month <= p["completed_on"]):
            months.append(month)
            month = next_month(month)
        if months and months[-1] == last and rng.random() < 0.1:
            months.pop()
        share = p["total_investment"] / Decimal(max(24, len(months) + 6))
        for m in months:
            amount = (share * Decimal(str(round(rng.uniform(0.4, 1.6), 2)))).quantize(
                Decimal("0.01")
            )
            rows.append(InvestmentReport(project_id=p["id"], month=m, amount=amount))
    project_bulk.record_reports(rows)
    if stdout is not None:
        stdout.write(f"investment reports: {len(rows)}\n")
    return len(rows)
