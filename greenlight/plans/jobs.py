"""The daily re-forecast run by `greenlight tick`: stored plans follow today, not the day they
were computed (each event replans its own project at once; this catches the calendar up)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from greenlight.catalog import calendars
from greenlight.projects.models import Project

from . import planning


def stale(today: date):
    """Projects whose plan was last forecast before `today` (or never)."""
    return Project.objects.filter(Q(forecast_on__isnull=True) | Q(forecast_on__lt=today))


def reforecast(*, now: datetime, progress: Callable[[int], object] | None = None) -> dict:
    """Replan, as of today, every project not yet forecast today; a second run the same day
    finds none and does nothing. `progress(total)` makes the bar (from the command line)."""
    today = timezone.localdate(now)
    projects = stale(today).order_by("pk")
    total = projects.count()
    if not total:
        return {"projects": 0, "approvals": 0}
    return planning.replan_many(
        projects,
        graph=planning.CatalogGraph.load(),
        calendar=calendars.current(),
        today=today,
        progress=progress(total) if progress else None,
    )
