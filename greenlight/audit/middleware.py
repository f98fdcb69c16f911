"""Middleware binding a server-made request id to every request, echoed as `X-Request-ID`."""

from __future__ import annotations

from . import context


class RequestContextMiddleware:
    """Binds the request's id and address so that audit events can carry them.

    The id is always made here: a client's `X-Request-ID` is never taken over, so nobody can
    give two requests one id or plant a chosen value in the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = context.new_request_id()
        request.request_id = request_id
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
