"""Every page route (from the URL resolver) and every API operation (from the OpenAPI document).

Nothing here names a route: pages come from walking `get_resolver()` (skipping the admin, the
language switch, static files and the API mount), operations from `api.get_openapi_schema()`
with their view functions from the ninja routers. A path parameter that is not an object
(a chart view, an export format, a ticket action) is expanded into one route per value with
`ENUMERATED`, keyed by parameter name; any other parameter must be filled from an object.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.views.generic import RedirectView

from greenlight.site.api import api

# URL names of pages that anonymous visitors may open: the login page (its second step, the
# unified sign-on and its callback), logging out, the probe.
PUBLIC_PAGES = frozenset(
    {
        "login",
        "logout",
        "healthz",
        "accounts:mfa_verify",
        "accounts:sso_login",
        "accounts:sso_callback",
    }
)


def _chart_views(route: Route) -> tuple[str, ...]:
    from greenlight.plans import charting

    return tuple(charting.VIEWS)


def _view_module_constant(name: str) -> Callable[[Route], tuple[str, ...]]:
    """Values of a constant of the view's own module (follows the view if it moves)."""

    def values(route: Route) -> tuple[str, ...]:
        found = inspect.unwrap(route.view).__globals__.get(name)
        return tuple(found or ())

    return values


def _subject_kinds(route: Route) -> tuple[str, ...]:
    from greenlight.supervision import subjects

    return tuple(subjects.kinds())


def _years() -> tuple[str, ...]:
    """A calendar year is a value, not an object: this year and the next (often provisional)."""
    from django.utils import timezone

    this = timezone.localdate().year
    return (str(this), str(this + 1))


# Path parameters that name a choice, not an object: parameter name -> its values.
ENUMERATED: dict[str, Callable[[Route], tuple[str, ...]]] = {
    "view": _chart_views,
    "fmt": lambda route: ("json", "xlsx", "bpmn"),
    "action": _view_module_constant("ACTIONS"),
    "kind": _subject_kinds,
    "year": lambda route: _years(),
}

_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_API_PARAM = re.compile(r"{(?P<name>[^}]+)}")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "int" or "str"


@dataclass(frozen=True)
class Route:
    """One page route or API operation; `fixed` holds the values of enumerated parameters."""

    kind: str  # "page" or "api"
    template: str  # "/projects/<int:pk>/" or "/api/v1/projects/{project_id}"
    name: str  # "projects:detail" or the operationId
    view: Callable = field(compare=False, hash=False)
    method: str = "GET"  # pages: GET until probing finds the view takes only POST
    params: tuple[Param, ...] = ()  # object parameters, to be filled from an object
    fixed: tuple[tuple[str, str], ...] = ()
    operation: dict | None = field(default=None, compare=False, hash=False)
    ninja: object = field(default=None, compare=False, hash=False)  # the ninja Operation

    @property
    def is_api(self) -> bool:
        return self.kind == "api"

    @property
    def id(self) -> str:
        shown = self.url({p.name: f"<{p.name}>" for p in self.params})
        return f"{self.method} {shown}" if self.is_api else shown

    @property
    def app(self) -> str:
        """The app a view belongs to: `greenlight.<app>.…`."""
        module = inspect.unwrap(self.view).__module__
        parts = module.split(".")
        return parts[1] if parts[0] == "greenlight" and len(parts) > 1 else parts[0]

    @property
    def alias(self) -> bool:
        """A RedirectView: an old address that forwards to a route without looking anything up."""
        view_class = getattr(self.view, "view_class", None)
        return isinstance(view_class, type) and issubclass(view_class, RedirectView)

    @property
    def public(self) -> bool:
        return not self.is_api and self.name in PUBLIC_PAGES

    @property
    def writes(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")

    def url(self, values: dict) -> str:
        values = {**dict(self.fixed), **values}
        if self.is_api:
            return _API_PARAM.sub(lambda m: str(values[m.group("name")]), self.template)
        return _PARAM.sub(lambda m: str(values[m.group("name")]), self.template)

    def with_method(self, method: str) -> Route:
        return replace(self, method=method)


# -- pages -------------------------------------------------------------------------------------


def _skipped(resolver: URLResolver) -> bool:
    urlconf = resolver.urlconf_name
    module = getattr(urlconf, "__name__", urlconf if isinstance(urlconf, str) else "")
    return (
        resolver.app_name == "admin"
        or resolver.namespace == api.urls_namespace
        or module == "django.conf.urls.i18n"
    )


def _walk(patterns, prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterable[tuple]:
    for p in patterns:
        if isinstance(p, URLResolver):
            if _skipped(p):
                continue
            ns = (*namespaces, p.namespace) if p.namespace else namespaces
            yield from _walk(p.url_patterns, prefix + _route_of(p.pattern), ns)
        elif isinstance(p, URLPattern):
            module = getattr(inspect.unwrap(p.callback), "__module__", "")
            if module.startswith(("django.views.static", "django.contrib.staticfiles")):
                continue
            yield prefix + _route_of(p.pattern), ":".join((*namespaces, p.name or "")), p.callback


def _route_of(pattern) -> str:
    if not isinstance(pattern, RoutePattern):
        raise AssertionError(
            f"regex URL pattern {pattern!r}: the isolation matrix only reads path() routes"
        )
    return str(pattern)


def _page_params(template: str) -> list[Param]:
    return [
        Param(m.group("name"), "int" if m.group("conv") == "int" else "str")
        for m in _PARAM.finditer(template)
    ]


@cache
def pages() -> tuple[Route, ...]:
    """Every page route, enumerated parameters expanded."""
    out = []
    for template, name, view in _walk(get_resolver().url_patterns):
        base = Route("page", "/" + template, name.strip(":"), view, params=())
        out += _expand(base, _page_params(base.template))
    return tuple(out)


# -- API ---------------------------------------------------------------------------------------


def _operations_by_id() -> dict[str, object]:
    """The ninja Operation of each operationId (its view function and parameter models)."""
    views: dict[str, object] = {}

    def visit(router):
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                views[op.operation_id or api.get_openapi_operation_id(op)] = op
        for _prefix, child in getattr(router, "_routers", []):
            visit(child)

    for _prefix, router in api._routers:
        visit(router)
    return views


@cache
def openapi() -> dict:
    return api.get_openapi_schema()


@cache
def operations() -> tuple[Route, ...]:
    """Every API operation of the OpenAPI document, enumerated parameters expanded."""
    views = _operations_by_id()
    out = []
    for path, methods in openapi()["paths"].items():
        for method, op in methods.items():
            op_id = op["operationId"]
            if op_id not in views:
                raise AssertionError(f"no view function for the API operation {op_id}")
            params = [
                Param(p["name"], "int" if p["schema"].get("type") == "integer" else "str")
                for p in op.get("parameters", [])
                if p["in"] == "path"
            ]
            ninja = views[op_id]
            base = Route(
                "api", path, op_id, ninja.view_func, method.upper(), operation=op, ninja=ninja
            )
            out += _expand(base, params)
    return tuple(out)


def _expand(base: Route, params: list[Param]) -> list[Route]:
    """One route per combination of enumerated values; the rest stay object parameters."""
    routes = [base]
    for p in params:
        if p.name in ENUMERATED and (p.kind == "str" or p.name == "year"):
            values = ENUMERATED[p.name](base)
            if not values:
                raise AssertionError(f"no values for the parameter {p.name} of {base.template}")
            routes = [replace(r, fixed=(*r.fixed, (p.name, v))) for r in routes for v in values]
    objects = tuple(
        p for p in params if not (p.name in ENUMERATED and (p.kind == "str" or p.name == "year"))
    )
    return [replace(r, params=objects) for r in routes]


def all_routes() -> tuple[Route, ...]:
    return pages() + operations()


def object_routes() -> tuple[Route, ...]:
    return tuple(r for r in all_routes() if r.params)


def plain_routes() -> tuple[Route, ...]:
    return tuple(r for r in all_routes() if not r.params)


def component_clashes() -> dict[str, list[str]]:
    """Schema names that two operations define differently: the OpenAPI document keeps one of
    them under that name, so it describes the other operation's body or answer wrongly."""
    seen: dict[str, dict[str, list[str]]] = {}
    for route in operations():
        op = route.ninja
        models = [
            *op.models,
            *(m for m in op.response_models.values() if hasattr(m, "model_json_schema")),
        ]
        for model in models:
            for name, schema in model.model_json_schema().get("$defs", {}).items():
                key = json.dumps(schema, sort_keys=True)
                seen.setdefault(name, {}).setdefault(key, []).append(route.id)
    return {
        name: [ids[0] for ids in variants.values()]
        for name, variants in sorted(seen.items())
        if len(variants) > 1
    }
