"""Who may do what in project generation (visibility itself lives in `visible_to`)."""

from __future__ import annotations

from greenlight.kernel.roles import Role

READERS = frozenset({Role.COORDINATOR, Role.APPROVER, Role.LEADER})


def can_manage(user) -> bool:
    """Coordinators issue targets, keep pools, run the matching and record decisions."""
    return user.is_authenticated and user.role == Role.COORDINATOR and user.region_id is not None


def can_read(user) -> bool:
    """Coordinators, departments and leaders see targets, pools, matching and decisions."""
    return user.is_authenticated and user.role in READERS and user.region_id is not None


def can_see_candidates(user) -> bool:
    """Staff readers see the region's candidates; a company sees its own proposals."""
    if not user.is_authenticated:
        return False
    if user.role == Role.COMPANY:
        return user.organization_id is not None
    return can_read(user)


def can_propose(user) -> bool:
    """Coordinators propose for any owner of the region; companies for their organization."""
    if not user.is_authenticated:
        return False
    if user.role == Role.COMPANY:
        return user.organization_id is not None and user.region_id is not None
    return can_manage(user)


def can_acknowledge(user, target) -> bool:
    """A department's approver acknowledges its department's target; coordinators the rest."""
    if not user.is_authenticated:
        return False
    if target.department_id:
        return user.role == Role.APPROVER and user.department_id == target.department_id
    return can_manage(user)
