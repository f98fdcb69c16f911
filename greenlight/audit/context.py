"""The request context (request id, actor, address) that audit events carry."""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str = ""
    path: str = ""


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "greenlight_request", default=None
)


def current() -> RequestContext | None:
    """The context of the request being served, or None outside a request (CLI, tick)."""
    return _current.get()


def bind(ctx: RequestContext | None) -> contextvars.Token:
    """Make `ctx` current; pass the token to `reset`."""
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    """Restore the previous context."""
    _current.reset(token)


def new_request_id() -> str:
    """A fresh request id."""
    return uuid.uuid4().hex
