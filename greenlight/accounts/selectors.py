"""Reads of the accounts app shared by other apps' commands."""

from __future__ import annotations

from greenlight.kernel.roles import Role

from .models import User


def acting_coordinator(username: str | None) -> tuple[User | None, str]:
    """The coordinator a command acts as: the one named, else the only one there is.
    Returns (user, "") or (None, the reason in a line for the command's error output)."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            return None, f"no active user {username}"
        if user.role != Role.COORDINATOR or user.region_id is None:
            return None, f"{username} is not a coordinator of a region"
        return user, ""
    coordinators = list(
        User.objects.filter(role=Role.COORDINATOR, is_active=True, region__isnull=False)
    )
    if len(coordinators) == 1:
        return coordinators[0], ""
    names = ", ".join(sorted(u.username for u in coordinators)) or "none"
    return None, f"name the coordinator to act as with --as USERNAME (coordinators: {names})"
