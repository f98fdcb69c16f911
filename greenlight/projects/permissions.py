"""What each role may do to projects (visibility itself lives in `visible_to`)."""

from __future__ import annotations

from greenlight.kernel.roles import Role


def can_create_project(user) -> bool:
    """Coordinators register projects for any owner of their region; companies for themselves."""
    if not user.is_authenticated:
        return False
    if user.role == Role.COMPANY:
        return user.organization_id is not None
    return user.role == Role.COORDINATOR and user.region_id is not None


def can_edit_project(user, project) -> bool:
    """Coordinators edit their region's projects; a company its own while not yet building."""
    if user.role == Role.COORDINATOR:
        return True
    if user.role == Role.COMPANY:
        return project.owner_id == user.organization_id and project.stage in {
            "planning",
            "preparation",
            "approval",
        }
    return False


def can_change_matters(user, project) -> bool:
    """Coordinators add matters to and remove them from the projects they see."""
    return user.is_authenticated and user.role == Role.COORDINATOR


def can_import_projects(user) -> bool:
    """Bulk registration from Excel is the coordinators' office's."""
    return user.is_authenticated and user.role == Role.COORDINATOR and user.region_id is not None
