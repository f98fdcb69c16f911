"""Receivers of the projects' hooks (`greenlight.projects.hooks`): a project is planned as soon
as it is registered, and replanned when it or its matters change."""

from __future__ import annotations

from . import planning


def plan_registered(*, project, actor) -> None:
    """A new project (any channel): compute and store its plan at once."""
    planning.replan(project)


def replan_changed(*, project, fields, actor) -> None:
    """A project or its set of matters changed: its plan follows."""
    if fields:
        planning.replan(project)
