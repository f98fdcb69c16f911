"""Who may do what in analytics: everyone reads their share; a few write investment reports."""

from __future__ import annotations

from greenlight.kernel.roles import Role


def can_report(user, project) -> bool:
    """The project's owner reports its investment; the command office may correct it."""
    if not user.is_authenticated:
        return False
    if user.role == Role.COMPANY:
        return project.owner_id == user.organization_id
    return user.role == Role.COORDINATOR


def can_enter_reports(user) -> bool:
    """Whether the user sees the report entry form and the Excel import at all."""
    return user.is_authenticated and user.role in (Role.COMPANY, Role.COORDINATOR)


def can_see_scorecards(user) -> bool:
    """Department scorecards are for government staff, not project owners."""
    return user.is_authenticated and user.role != Role.COMPANY


def can_see_department(user, department) -> bool:
    """The detailed scorecard of one department: its own approvers, and the region's overseers."""
    if not can_see_scorecards(user):
        return False
    if user.role == Role.APPROVER:
        return user.department_id == department.pk
    return True
