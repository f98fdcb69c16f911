"""Middleware binding a request id to every request, echoed as `X-Request-ID`."""

from __future__ import annotations

import re

from . import context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """Binds the request's id and address so that audit events can carry them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else context.new_request_id()
        ctx = context.RequestContext(
            request_id=request_id, ip=request.META.get("REMOTE_ADDR", ""), path=request.path[:200]
        )
        token = context.bind(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response
