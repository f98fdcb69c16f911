"""Answers the platform gives at its edge without reaching a view: a body too large (413) and
the database unreachable (503), as JSON under /api/ and as the platform's own page elsewhere.

Neither answer names a host, port, database or exception: the message says what happened and
what to do. Pages render without the request's context processors, which would query the
database that is down.
"""

from __future__ import annotations

import logging
import sqlite3

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger("greenlight.edge")

# Errors that mean "the database cannot be reached or used now", not "this query is wrong".
OUTAGE_ERRORS = (OperationalError, InterfaceError)
# SQLite says OperationalError for a wrong query too ("no such column"); these are its outages.
_SQLITE_OUTAGES = ("unable to open", "locked", "disk i/o", "readonly", "disk is full", "busy")
RETRY_AFTER_SECONDS = 30


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def is_outage(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) says the database is unavailable."""
    while exc is not None:
        if isinstance(exc, InterfaceError):
            return True
        if isinstance(exc, OperationalError):
            cause = exc.__cause__
            if isinstance(cause, sqlite3.Error):
                return any(word in str(cause).lower() for word in _SQLITE_OUTAGES)
            return True
        if isinstance(exc, DatabaseError):
            return False
        exc = exc.__cause__ or exc.__context__
    return False


def _answer(request, status: int, title: str, message: str, *, code: str) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": [{"msg": message, "code": code}]}, status=status)
    html = render_to_string(
        "kernel/unavailable.html",
        {"title": title, "message": message, "retry": status == 503},
    )
    return HttpResponse(html, status=status)


def unavailable(request, exc: BaseException | None = None) -> HttpResponse:
    """503: the database is down; the request changed nothing and may be retried."""
    log.error("database unavailable for %s %s: %r", request.method, request.path, exc)
    response = _answer(
        request,
        503,
        _("Temporarily unavailable"),
        _(
            "The platform cannot reach its database right now. Nothing was saved; "
            "please try again in a minute."
        ),
        code="unavailable",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def too_large(request) -> HttpResponse:
    """413: the request body passes the configured limit."""
    limit = max_body_bytes(request)
    return _answer(
        request,
        413,
        _("Request too large"),
        _("The request is larger than %(mb)s MB; send a smaller file or less text.")
        % {"mb": round(limit / 1_048_576, 1)},
        code="too_large",
    )


def malformed_body(request) -> HttpResponse | None:
    """400 for a body that cannot be parsed as it says it is: a multipart body without its
    boundary (Django's parser would fail later, deep in a view, as a server error)."""
    if request.content_type != "multipart/form-data":
        return None
    if "boundary=" in request.META.get("CONTENT_TYPE", ""):
        return None
    return _answer(
        request,
        400,
        _("Bad request"),
        _("The request says multipart/form-data but gives no boundary; send the form again."),
        code="malformed_body",
    )


def max_body_bytes(request) -> int:
    """The body limit: uploads (multipart) get FILE_UPLOAD_LIMIT, everything else
    DATA_UPLOAD_MAX_MEMORY_SIZE."""
    if request.content_type == "multipart/form-data":
        return settings.FILE_UPLOAD_LIMIT
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440
