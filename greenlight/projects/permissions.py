"""What each role may do to projects (visibility itself lives in `visible_to`)."""

from __future__ import annotations

from greenlight.kernel import sm4
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


def can_see_contact(user, project) -> bool:
    """Who needs the contact's phone in clear: the coordinators, the approvers who handle the
    project's matters, and the owner itself; leaders, supervisors and administrators see it
    masked."""
    if not user.is_authenticated:
        return False
    if user.role in (Role.COORDINATOR, Role.APPROVER):
        return True
    return user.role == Role.COMPANY and project.owner_id == user.organization_id


def contact_phone_for(user, project) -> str:
    """The project's contact phone as `user` may read it (clear or 138****5678)."""
    phone = project.contact_phone
    return phone if can_see_contact(user, project) else sm4.mask(phone)
