"""Who may read, issue and answer supervision notices (visibility itself is `visible_to`)."""

from __future__ import annotations

from greenlight.kernel.roles import Role


def can_read(user) -> bool:
    """Staff read supervision notices; project owners never do."""
    return user.is_authenticated and user.role != Role.COMPANY


def can_issue(user) -> bool:
    """Coordinators (the command office) issue notices."""
    return user.is_authenticated and user.role == Role.COORDINATOR


def can_reply(user, notice) -> bool:
    """The addressed department's approvers answer a notice (once: see `services`)."""
    return (
        user.is_authenticated
        and user.role == Role.APPROVER
        and user.department_id is not None
        and user.department_id == notice.department_id
    )
