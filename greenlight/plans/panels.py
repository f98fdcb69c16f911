"""What plans add to the project page (through `greenlight.kernel.slots`): the chart links with
the 拿地即开工 verdict, and the serial-versus-parallel summary of the plan in force."""

from __future__ import annotations

from django.db.models import Max, Min
from django.template.loader import render_to_string
from django.utils import timezone

from greenlight.catalog import calendars
from greenlight.kernel.roles import Role
from greenlight.projects import selectors as project_selectors

from . import planning


def project_links(request, project) -> str:
    """Buttons to the project's charts, and the verdict when a land date is set."""
    from . import charting, views  # at the first page, not when the app starts (CLI commands)

    user = request.user
    context = {
        "project": project,
        "verdict": charting.verdict(project, user=user, today=timezone.localdate()),
        "can_edit_plan": views.can_edit_plan(user, project),
        "views": charting.view_titles(),
        "company": user.role == Role.COMPANY,
        "provisional_years": _provisional_years(project),
    }
    return render_to_string("plans/_project_links.html", context, request=request)


def _provisional_years(project) -> list[int]:
    """The provisional calendar years the project's plan and clocks reach into (one query)."""
    span = project.approvals.aggregate(
        first=Min("planned_start"),
        finish=Max("planned_finish"),
        forecast=Max("forecast_finish"),
        due=Max("due_at"),
    )
    days = [span["first"], span["finish"], span["forecast"], project.forecast_start]
    if span["due"] is not None:
        days.append(timezone.localtime(span["due"]).date())
    days = [d for d in days if d is not None]
    return calendars.provisional_span(min(days), max(days)) if days else []


def project_summary(request, project) -> str:
    """Serial days → parallel days of the project's plan, with its start and finish."""
    approvals = project_selectors.project_approvals(project=project, user=request.user)
    plan = planning.compute(
        project,
        approvals,
        graph=planning.CatalogGraph.load(),
        calendar=calendars.current(),
        today=timezone.localdate(),
    )
    return render_to_string("plans/_project_summary.html", {"plan": plan}, request=request)
