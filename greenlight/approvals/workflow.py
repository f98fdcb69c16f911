"""The approval state machine: one (from, to) table and who may make each move."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenlight.kernel.errors import Conflict

from .choices import Status

S = Status
# action -> (allowed from-states, to-state, actor side)
#   side "department": approvers of the matter's department
#   side "applicant": the project's company, or a coordinator of the region
ACTIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "consult": (frozenset({S.NOT_STARTED}), S.CONSULTING, "applicant"),
    "submit": (frozenset({S.NOT_STARTED, S.CONSULTING}), S.SUBMITTED, "applicant"),
    "accept": (frozenset({S.SUBMITTED}), S.ACCEPTED, "department"),
    "not_accept": (frozenset({S.SUBMITTED}), S.NOT_ACCEPTED, "department"),
    "pause": (frozenset({S.ACCEPTED}), S.PAUSED, "department"),
    "resume": (frozenset({S.PAUSED}), S.ACCEPTED, "department"),
    "approve": (frozenset({S.ACCEPTED}), S.APPROVED, "department"),
    "reject": (frozenset({S.ACCEPTED}), S.REJECTED, "department"),
    "withdraw": (
        frozenset({S.NOT_STARTED, S.CONSULTING, S.SUBMITTED, S.ACCEPTED, S.PAUSED}),
        S.WITHDRAWN,
        "applicant",
    ),
}
# Each action in words: the buttons, the messages, the refusals.
ACTION_LABELS = {
    "consult": gettext_lazy("Start early intervention"),
    "submit": gettext_lazy("Submit the application"),
    "accept": gettext_lazy("Accept"),
    "not_accept": gettext_lazy("Do not accept"),
    "pause": gettext_lazy("Pause the clock"),
    "resume": gettext_lazy("Resume the clock"),
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "withdraw": gettext_lazy("Withdraw"),
}
# (from, to) pairs: the transition table the issue asks for, derived from ACTIONS.
TRANSITIONS = frozenset((frm, to) for froms, to, _side in ACTIONS.values() for frm in froms)
NEEDS_REASON = frozenset({"not_accept", "pause", "reject", "withdraw"})
EVENT_KIND = {
    "consult": "consulting_started",
    "submit": "submitted",
    "accept": "accepted",
    "not_accept": "not_accepted",
    "pause": "paused",
    "resume": "resumed",
    "approve": "approved",
    "reject": "rejected",
    "withdraw": "withdrawn",
}


def target(action: str, current: str) -> str:
    """The state `action` leads to from `current`; Conflict (409) when the table forbids it."""
    if action not in ACTIONS:
        raise Conflict(_("unknown action %(action)s") % {"action": action}, field="action")
    froms, to, _side = ACTIONS[action]
    if current not in froms:
        raise Conflict(
            _("cannot “%(action)s”: the approval is %(status)s")
            % {"action": ACTION_LABELS[action], "status": Status(current).label},
            field="action",
            code="transition_not_allowed",
            extra={"status": current},
        )
    return to


def actions_from(status: str) -> list[str]:
    """Actions the table allows from `status`, in table order."""
    return [a for a, (froms, _to, _side) in ACTIONS.items() if status in froms]
