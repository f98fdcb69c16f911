"""Plans follow a calendar change: every project's plan is recomputed on the new calendar.

Receiver of `catalog.hooks.calendar_changing` (every project re-forecast on the current calendar
first) and `catalog.hooks.calendar_changed`: `planning.replan_many` over every project on the new
one, then the projects whose forecast construction start moved are returned as `Moved`. It runs after the
approvals' receiver (receivers run in app order), so the forecasts see the new due times.
"""

from __future__ import annotations

from django.utils import timezone

from greenlight.catalog.choices import MovedDate, MovedKind
from greenlight.catalog.hooks import Moved
from greenlight.projects.models import Project

from . import planning


def on_calendar_changing(*, calendar, years, at) -> None:
    """Before the days change: every project re-forecast as of today on the current calendar, so
    that the moves listed afterwards are the calendar's doing (not a forecast gone stale)."""
    planning.replan_many(
        Project.objects.all(),
        graph=planning.CatalogGraph.load(),
        calendar=calendar,
        today=timezone.localdate(at),
    )


def on_calendar_changed(*, change, calendar, years, at, actor) -> list[Moved]:
    """Replan every project on `calendar`; return the forecasts that moved."""
    before = dict(Project.objects.values_list("pk", "forecast_start"))
    planning.replan_many(
        Project.objects.all(),
        graph=planning.CatalogGraph.load(),
        calendar=calendar,
        today=timezone.localdate(at),
    )
    rows = Project.objects.values_list(
        "pk", "name", "code", "forecast_start", "region_id", "owner_id"
    )
    return [
        Moved(
            kind=MovedKind.PROJECT,
            object_id=pk,
            label=f"{name} · {code}",
            what=MovedDate.FORECAST_START,
            url=f"/projects/{pk}/",
            before=before.get(pk),
            after=forecast,
            region_id=region_id,
            organization_id=owner_id,
        )
        for pk, name, code, forecast, region_id, owner_id in rows
        if forecast != before.get(pk)
    ]
