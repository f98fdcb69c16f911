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
