"""The optional bridge to problem tickets (another app, which may not have landed yet).

Every call is guarded: without `greenlight.tickets.selectors.open_for_projects` the agenda has
no tickets, and without `greenlight.tickets.services.record_meeting_decision` a ticket is not
told about the meeting's decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module


def _function(module: str, name: str):
    try:
        return getattr(import_module(f"greenlight.tickets.{module}"), name, None)
    except ImportError:
        return None


def available() -> bool:
    """Whether the tickets app offers open tickets by project."""
    return _function("selectors", "open_for_projects") is not None


def open_for_projects(project_ids: Iterable[int]) -> list:
    """Open problem tickets of these projects, or [] when the tickets app does not offer them."""
    fn = _function("selectors", "open_for_projects")
    return list(fn(list(project_ids))) if fn is not None else []


def find_open(ticket_id: int, project_ids: Iterable[int]):
    """The open ticket `ticket_id` among these projects' tickets, or None."""
    return next((t for t in open_for_projects(project_ids) if t.pk == ticket_id), None)


def record_decision(*, ticket, meeting, decision: str, actor) -> bool:
    """Tell the ticket about the meeting's decision, when the tickets app can hear it."""
    fn = _function("services", "record_meeting_decision")
    if fn is None:
        return False
    fn(ticket=ticket, meeting=meeting, decision=decision, actor=actor)
    return True


def label(ticket) -> str:
    """A short label for a ticket of unknown shape."""
    title = getattr(ticket, "title", None) or getattr(ticket, "subject", None) or str(ticket)
    return f"#{ticket.pk} {title}"
