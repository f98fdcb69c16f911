"""Unknown query parameters on the API are refused (422 naming each), not silently ignored: a
client sending `?limit=20` learns at once that the API pages with `page` and `page_size`.

The parameters an operation takes are those its OpenAPI document declares (built once per
process, see `site.api.Api`). Anonymous requests are left to the API's own 401.
"""

from __future__ import annotations

import re

from django.http import JsonResponse
from django.utils.translation import gettext as _

_CONVERTER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def _template(route: str) -> str:
    return "/" + _CONVERTER.sub(r"{\1}", route)


class UnknownQueryParameters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not request.GET or match is None or not request.path_info.startswith("/api/"):
            return None
        if not (request.user.is_authenticated or request.headers.get("Authorization")):
            return None
        from .api import api

        operations = api.get_openapi_schema()["paths"].get(_template(match.route))
        if operations is None:  # the docs and the document itself
            return None
        operation = operations.get(request.method.lower())
        if operation is None:
            return None
        allowed = {p["name"] for p in operation.get("parameters", ()) if p.get("in") == "query"}
        unknown = sorted(set(request.GET) - allowed)
        if not unknown:
            return None
        known = "、".join(sorted(allowed)) or "—"
        return JsonResponse(
            {
                "detail": [
                    {
                        "loc": [name],
                        "msg": _("unknown query parameter; this request takes: %(known)s")
                        % {"known": known},
                        "type": "unknown_query_parameter",
                    }
                    for name in unknown
                ]
            },
            status=422,
        )
