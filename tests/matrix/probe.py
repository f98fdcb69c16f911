"""Asking the platform: one request per (route, user), inside a savepoint that is rolled back,
so that nothing an answer does survives it; and who may see what (finder.py finds, for each
route that takes an object id, an object that the owner side can open).

What "granted" means depends on the method:

* reading (GET): 2xx, or a redirect that is not the login page (a page that forwards to
  another view of the same object);
* writing (POST/PUT/PATCH/DELETE) with an empty or invalid body: 2xx, a redirect (a form post
  that went back to the object's page), or 400/409/422 (the request reached the view and was
  refused for its content, or the object's state forbids the move).

401, 403, 404, 405 and 5xx are never "granted".
"""

from __future__ import annotations

import copy
import json
import traceback
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.shortcuts import resolve_url
from django.test import Client

from tests.auth import verified_login

from .routes import Route, openapi
from .world import MARKED, MARKER, World, marker

REDIRECT = range(300, 400)
WRITE_REFUSALS = (400, 409, 422)


@dataclass
class Answer:
    status: int
    location: str = ""
    markers: frozenset[str] = frozenset()  # the row markers the body contains (world.MARKED)
    error: str = ""  # the exception when the view raised one (reported as a 500)

    def __str__(self) -> str:
        where = f" -> {self.location}" if self.location else ""
        return f"{self.status}{where}" + (f" ({self.error.splitlines()[-1]})" if self.error else "")

    @property
    def to_login(self) -> bool:
        return self.status in REDIRECT and urlsplit(self.location).path == resolve_url(
            settings.LOGIN_URL
        )


def granted(route: Route, answer: Answer) -> bool:
    if answer.error or answer.status >= 500:
        return False
    if 200 <= answer.status < 300:
        return True
    if answer.status in REDIRECT:
        return not answer.to_login
    return route.writes and answer.status in WRITE_REFUSALS


# -- request bodies and query strings ---------------------------------------------------------


def _resolve(schema: dict, defs: dict) -> dict:
    while "$ref" in schema:
        where, name = schema["$ref"].rsplit("/", 1)
        schema = defs[name] if where == "#/$defs" else openapi()["components"]["schemas"][name]
    return schema


def example(schema: dict, defs: dict | None = None, refer=None, name: str = ""):
    """The smallest instance a JSON schema accepts: required fields only, first enum values,
    lower bounds; `refer(name, type)` may name a real row for a field called like a model."""
    defs = defs or {}
    schema = _resolve(schema, defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s, defs).get("type") != "null"]
            return example(options[0] if options else schema[key][0], defs, refer, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {
            k: example(props[k], defs, refer, k) for k in schema.get("required", []) if k in props
        }
    if kind == "array":
        return [example(schema.get("items", {}), defs, refer, name)] * schema.get("minItems", 0)
    if refer is not None and kind in ("integer", "string") and "format" not in schema:
        found = refer(name, kind)
        if found is not None:
            return found
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(schema.get("minimum", 1)), 1)
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return "2030-01-15"
        if fmt == "date-time":
            return "2030-01-15T10:00:00+08:00"
        return "x" * max(int(schema.get("minLength", 1)), 1)
    return None


def body_schema(route: Route) -> tuple[dict, dict] | None:
    """The JSON body's schema and its definitions, from the operation's own body model (the
    document's components may be another app's schema of the same name)."""
    for model in getattr(route.ninja, "models", ()):
        if model.__ninja_param_source__ != "body":
            continue
        schema = model.model_json_schema()
        props = schema.get("properties", {})
        if len(props) == 1:  # a single body parameter is the whole body
            return next(iter(props.values())), schema.get("$defs", {})
        return schema, schema.get("$defs", {})
    return None


def has_body(route: Route) -> bool:
    return body_schema(route) is not None


def _query(route: Route) -> dict:
    return {
        p["name"]: example(p.get("schema", {}))
        for p in (route.operation or {}).get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }


def _model_for(name: str) -> list:
    tokens = [t for t in name.removesuffix("_ids").removesuffix("_id").split("_") if t]
    pool = [m for m in apps.get_models() if m.__module__.startswith("greenlight.")]
    out = []
    for token in reversed(tokens):
        out += [m for m in pool if m._meta.model_name == token]
        out += [m for m in pool if m._meta.model_name.endswith(token) and m not in out]
    return out


# -- requests ----------------------------------------------------------------------------------


class Prober:
    """One logged-in test client per user; every request rolled back."""

    def __init__(self, world: World):
        self.world = world
        self._clients: dict[int | None, Client] = {}
        self._bodies: dict[Route, object] = {}
        self._answers: dict[tuple, Answer] = {}

    def refer(self, name: str, kind: str):
        """A real row for a body field named like a model: the first the district's
        coordinator sees (its id, or the value of its unique code for a string field)."""
        for model in _model_for(name):
            if not is_scoped(model):
                continue
            row = visible(model, self.world.user("coordinator")).order_by("pk").first()
            if row is None:
                continue
            if kind == "integer":
                return row.pk
            for f in model._meta.concrete_fields:
                if f.unique and not f.primary_key and isinstance(f, models.CharField):
                    return getattr(row, f.attname)
        return None

    def valid_body(self, route: Route):
        if route not in self._bodies:
            schema, defs = body_schema(route)
            self._bodies[route] = example(schema, defs, self.refer)
        return self._bodies[route]

    def client(self, user) -> Client:
        key = user.pk if user is not None else None
        if key not in self._clients:
            client = Client(raise_request_exception=True)
            if user is not None:
                verified_login(client, user)
            self._clients[key] = client
        return self._clients[key]

    def ask(self, route: Route, user, values: dict, *, body: str = "empty") -> Answer:
        """`body`: "empty" ({} or a form with no fields) or "valid" (the schema's example).
        The world does not change between requests, so each is asked once."""
        key = (route, getattr(user, "pk", None), tuple(sorted(values.items())), body)
        if key not in self._answers:
            self._answers[key] = self._ask(route, user, values, body)
        return self._answers[key]

    def _ask(self, route: Route, user, values: dict, body: str) -> Answer:
        url = route.url(values)
        client = self.client(user)
        method = route.method.lower()
        kwargs: dict = {}
        if route.is_api:
            if has_body(route):
                data = self.valid_body(route) if body == "valid" else {}
                kwargs = {"data": json.dumps(data), "content_type": "application/json"}
            query = _query(route)
            if query:
                url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        cookies = copy.deepcopy(client.cookies)  # a logout must not log the client out for good
        with transaction.atomic():
            try:
                response = getattr(client, method)(url, **kwargs)
                # (the client closes the response; closing it again would fire
                # request_finished with close_old_connections connected: a closed connection)
                if getattr(response, "streaming", False):
                    content = b"".join(response.streaming_content)
                else:
                    content = response.content
                found = frozenset(m.decode() for m in MARKER.findall(content))
                answer = Answer(response.status_code, response.get("Location", ""), found)
            except Exception as exc:  # a view that raised: the platform would answer 500
                answer = Answer(500, error="".join(traceback.format_exception(exc)[-3:]))
            transaction.set_rollback(True)
        client.cookies = cookies
        return answer


def login_redirect_ok(route: Route, answer: Answer, values: dict) -> bool:
    if not answer.to_login:
        return False
    query = parse_qs(urlsplit(answer.location).query)
    return query.get("next") == [route.url(values)]


# -- who sees what -----------------------------------------------------------------------------


def scoping_parent(model) -> models.ForeignKey | None:
    """The foreign key through which a model without `visible_to` is scoped."""
    for f in model._meta.concrete_fields:
        if f.is_relation and f.many_to_one and hasattr(f.related_model.objects, "visible_to"):
            return f
    return None


def is_scoped(model) -> bool:
    return hasattr(model._default_manager, "visible_to") or scoping_parent(model) is not None


def visible(model, user):
    """`Model.objects.visible_to(user)`, or through the model's scoping parent."""
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    parent = scoping_parent(model)
    return manager.filter(**{f"{parent.name}__in": visible(parent.related_model, user)})


def sees(user, obj) -> bool:
    return user is not None and visible(type(obj), user).filter(pk=obj.pk).exists()


def forbidden_markers(user) -> frozenset[str]:
    """Markers of the projects, tickets and candidates the user may not see."""
    out = set()
    for model in MARKED:
        hidden = model.objects.exclude(pk__in=visible(model, user).values("pk"))
        out |= {marker(model, pk) for pk in hidden.values_list("pk", flat=True)}
    return frozenset(out)
