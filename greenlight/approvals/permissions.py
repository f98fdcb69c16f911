"""Who may act on an approval: its department's approvers, or its applicant side."""

from __future__ import annotations

from greenlight.kernel.roles import Role

from .workflow import ACTIONS


def can_act(user, approval, action: str) -> bool:
    """Whether `user` may take `action` on `approval` (visibility is checked before this)."""
    if not user.is_authenticated or action not in ACTIONS:
        return False
    side = ACTIONS[action][2]
    if side == "department":
        return user.role == Role.APPROVER and user.department_id == approval.department_id
    if user.role == Role.COMPANY:
        return approval.project.owner_id == user.organization_id
    return user.role == Role.COORDINATOR


def can_read_supervision(user) -> bool:
    """Staff read overdue lists; project owners do not (notices: `supervision.permissions`)."""
    return user.is_authenticated and user.role != Role.COMPANY
