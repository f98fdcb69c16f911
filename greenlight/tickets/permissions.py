"""What each role may do to tickets (visibility itself lives in `visible_to`).

Companies report and close their own projects' tickets; the lead and cooperating departments act
on the tickets assigned to them; coordinators assign (and supervise: `greenlight.supervision`);
leaders read.
"""

from __future__ import annotations

from greenlight.kernel.roles import Role

from .choices import OPEN_STATUSES, Status


def can_report(user) -> bool:
    """Companies (for their own projects) and working staff (for any visible project)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.COMPANY:
        return user.organization_id is not None
    return user.role in (Role.COORDINATOR, Role.APPROVER)


def is_owner(user, ticket) -> bool:
    return user.role == Role.COMPANY and ticket.project.owner_id == user.organization_id


def department_ids(ticket) -> set[int]:
    """The lead and cooperating departments of a ticket."""
    ids = {d.pk for d in ticket.cooperating_departments.all()}
    if ticket.lead_department_id:
        ids.add(ticket.lead_department_id)
    return ids


def can_assign(user, ticket) -> bool:
    """Coordinators assign (and re-assign) departments while the ticket is open."""
    return user.role == Role.COORDINATOR and ticket.status in OPEN_STATUSES


def can_work(user, ticket) -> bool:
    """Approvers of the lead or a cooperating department record feedback, path and progress."""
    return (
        user.role == Role.APPROVER
        and user.department_id is not None
        and user.department_id in department_ids(ticket)
        and ticket.status in OPEN_STATUSES
    )


def can_resolve(user, ticket) -> bool:
    """The lead department declares the problem solved."""
    return (
        user.role == Role.APPROVER
        and user.department_id is not None
        and user.department_id == ticket.lead_department_id
        and ticket.status in OPEN_STATUSES
    )


def can_close(user, ticket) -> bool:
    """The project's company confirms a resolution, with its satisfaction."""
    return is_owner(user, ticket) and ticket.status == Status.RESOLVED


def can_reopen(user, ticket) -> bool:
    """The company or a coordinator reopens a resolved or closed ticket."""
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        return False
    return is_owner(user, ticket) or user.role == Role.COORDINATOR


def can_comment(user, ticket) -> bool:
    """The company, the assigned departments and coordinators write on the timeline."""
    if user.role == Role.COORDINATOR or is_owner(user, ticket):
        return True
    return user.role == Role.APPROVER and user.department_id in department_ids(ticket)


def can_attach(user, ticket) -> bool:
    """Whoever may comment may add files."""
    return can_comment(user, ticket)


def can_read_figures(user) -> bool:
    """Staff read the boards and figures; companies see only their own tickets' list."""
    return user.is_authenticated and user.role != Role.COMPANY
