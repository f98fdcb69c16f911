"""Domain errors that views and the API turn into 4xx answers naming the field."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; `field` names what was wrong, when one thing was."""

    status = 400

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "invalid",
        extra: dict | None = None,
    ):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code
        self.extra = extra or {}

    def as_dict(self) -> dict:
        """The JSON body of an error answer."""
        detail = {"msg": str(self.message), "code": self.code}
        if self.field:
            detail["loc"] = [self.field]
        return {"detail": [detail], **self.extra}


class NotPermitted(DomainError):
    """The user may see the object but not do this to it (403)."""

    status = 403

    def __init__(self, message: str = "", *, code: str = "forbidden", field: str | None = None):
        super().__init__(message, code=code, field=field)


class Conflict(DomainError):
    """A stale or conflicting update (409)."""

    status = 409


class InvalidInput(DomainError):
    """A well-formed request whose content the domain refuses, naming the field (422)."""

    status = 422
