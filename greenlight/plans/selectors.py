"""Reads of plans: a project's custom plan in force and its versions."""

from __future__ import annotations

from greenlight.engine import planfile
from greenlight.engine.network import Bundle, Task
from greenlight.projects.models import Project

from .models import PlanVersion


def latest_version(project: Project) -> PlanVersion | None:
    """The version in force (the highest number), or None while the catalog plan applies."""
    return PlanVersion.objects.filter(project=project).order_by("-number").first()


def custom_tasks(project: Project) -> tuple[list[Task], list[Bundle]] | None:
    """For `planning.compute`: the tasks and bundles of the project's custom plan, if any.

    Only major projects get custom plans, so other projects cost no query (replan of the whole
    district stays fast).
    """
    if not project.is_major or project.pk is None:
        return None
    cached = getattr(project, "_custom_plan", None)
    if cached is not None:
        return cached or None
    row = (
        PlanVersion.objects.filter(project=project)
        .order_by("-number")
        .values_list("document", flat=True)
        .first()
    )
    plan = planfile.from_dict(row) if row else None
    found = (list(plan.tasks), list(plan.bundles)) if plan else ()
    project._custom_plan = found
    return found or None
