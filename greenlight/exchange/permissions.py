"""Who runs and reads the data exchange: a district's coordinators (总指办)."""

from __future__ import annotations

from greenlight.kernel.roles import Role


def can_run(user) -> bool:
    """Coordinators of a region import, export, pull and push."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.role == Role.COORDINATOR
        and user.region_id is not None
    )


def can_read(user) -> bool:
    """Coordinators read the runs of their region (the province all of its districts')."""
    return can_run(user)
