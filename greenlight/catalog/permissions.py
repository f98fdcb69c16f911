"""Who may change the catalog."""

from greenlight.kernel.roles import Role


def can_edit_catalog(user) -> bool:
    """Administrators keep the catalog, the calendar and the users."""
    return user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser)


def can_read_calendar_changes(user) -> bool:
    """Coordinators and administrators see the calendar and what its changes moved."""
    return user.is_authenticated and (
        user.role in (Role.ADMIN, Role.COORDINATOR) or user.is_superuser
    )
