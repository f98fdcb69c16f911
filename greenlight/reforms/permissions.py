"""Who may do what with the re-optimization register and the standard reference."""

from __future__ import annotations

from greenlight.kernel.roles import Role

READERS = frozenset({Role.COORDINATOR, Role.APPROVER, Role.LEADER, Role.SUPERVISOR})


def can_read(user) -> bool:
    """Coordinators, departments, leaders and discipline inspection read the register."""
    return user.is_authenticated and user.role in READERS and user.region_id is not None


def can_manage(user) -> bool:
    """Coordinators keep the register and apply catalog changes through it."""
    return user.is_authenticated and user.role == Role.COORDINATOR and user.region_id is not None


def can_update_item(user, item) -> bool:
    """Coordinators update any item; a department its own items (status and evidence)."""
    if can_manage(user):
        return True
    return (
        user.is_authenticated
        and user.role == Role.APPROVER
        and item.owner_department_id is not None
        and user.department_id == item.owner_department_id
    )


def can_read_reference(user) -> bool:
    """The standard work reference is for everyone of the region, companies included."""
    return user.is_authenticated and user.region_id is not None
