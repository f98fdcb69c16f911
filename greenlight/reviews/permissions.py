"""Who may do what in the joint review (visibility itself lives in `visible_to`)."""

from __future__ import annotations

from greenlight.kernel.roles import Role


def can_run(user) -> bool:
    """Coordinators (总指办) issue batches, schedule meetings and record minutes."""
    return user.is_authenticated and user.role == Role.COORDINATOR and user.region_id is not None


def can_record_opinion(user, opinion) -> bool:
    """Only approvers of the opinion's department record it."""
    return (
        user.is_authenticated
        and user.role == Role.APPROVER
        and user.department_id == opinion.department_id
    )


def can_feed_back(user, item) -> bool:
    """Only approvers of the owner department feed back on an action item."""
    return (
        user.is_authenticated
        and user.role == Role.APPROVER
        and user.department_id == item.department_id
    )


def can_read_decisions(user) -> bool:
    """Everyone logged in reads decisions (a company only on its own projects)."""
    return user.is_authenticated
