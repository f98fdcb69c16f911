"""What plans add to the project page (through `greenlight.kernel.slots`): the chart links with
the 拿地即开工 verdict, and the serial-versus-parallel summary of the plan in force."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from greenlight.catalog import calendars
from greenlight.kernel.roles import Role
from greenlight.projects import selectors as project_selectors

from . import charting, planning, views


def project_links(request, project) -> str:
    """Buttons to the project's charts, and the verdict when a land date is set."""
    user = request.user
    context = {
        "project": project,
        "verdict": charting.verdict(project, user=user, today=timezone.localdate()),
        "can_edit_plan": views.can_edit_plan(user, project),
        "views": charting.view_titles(),
        "company": user.role == Role.COMPANY,
    }
    return render_to_string("plans/_project_links.html", context, request=request)


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
