"""Reads of exchange runs, always through `visible_to`."""

from __future__ import annotations

from django.db.models import QuerySet

from .choices import RowOutcome
from .models import ExchangeRow, ExchangeRun


def runs(*, user) -> QuerySet[ExchangeRun]:
    """The runs of the user's region and below, newest first."""
    return ExchangeRun.objects.visible_to(user).select_related("region", "actor")


def failed_rows(*, run: ExchangeRun) -> QuerySet[ExchangeRow]:
    """The rows of a run that failed, in file order."""
    return run.rows.filter(outcome=RowOutcome.FAILED).order_by("number", "id")


def failed_by_run(runs, *, first: int = 5) -> dict[int, list[ExchangeRow]]:
    """The first failed rows of each of `runs` (one query), for the runs page."""
    ids = [r.pk for r in runs if r.failed]
    out: dict[int, list[ExchangeRow]] = {}
    rows = ExchangeRow.objects.filter(run_id__in=ids, outcome=RowOutcome.FAILED)
    for row in rows.order_by("run_id", "number", "id"):
        kept = out.setdefault(row.run_id, [])
        if len(kept) < first:
            kept.append(row)
    return out
