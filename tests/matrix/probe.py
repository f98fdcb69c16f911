"""Asking the platform: one request per (route, user), inside a savepoint that is rolled back,
so that nothing an answer does survives it; and finding, for each route that takes an object
id, an object that the owner side can open.

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
import inspect
import itertools
import json
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.shortcuts import resolve_url
from django.test import Client

from greenlight.accounts.models import Department, User
from greenlight.kernel.roles import Role
from tests.auth import verified_login

from .routes import Param, Route, openapi
from .world import MARKED, MARKER, MISSING_ID, MISSING_SLUG, World, marker

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


# -- finding an object for a route -------------------------------------------------------------


@dataclass
class Target:
    """An object a route addresses, the path values that address it and who may open it."""

    model: type[models.Model]
    obj: models.Model
    values: dict
    owner: str  # who was granted: "coordinator", "company", "approver of department", …
    user: object
    method: str

    def __str__(self) -> str:
        return f"{self.model._meta.label} #{self.obj.pk}"


@dataclass
class Discovery:
    targets: list[Target] = field(default_factory=list)
    method: str = "GET"
    tried: list[str] = field(default_factory=list)
    blind: str = ""  # set when a missing id is granted too: the route looks nothing up

    @property
    def failure(self) -> str:
        if self.blind:
            return f"route <route> grants a missing id too ({self.blind}): it looks no object up"
        if self.targets:
            return ""
        shown = "; ".join(self.tried[:12]) + (" …" if len(self.tried) > 12 else "")
        return f"no object found for route <route>: tried {shown or 'no model'}"


def _tokens(route: Route) -> set[str]:
    words = re.split(r"[^a-z0-9]+", re.sub(r"<[^>]*>|{[^}]*}", " ", route.template.lower()))
    words += re.split(r"_", route.view.__name__.lower())
    words += [p.name.removesuffix("_id").removesuffix("_pk") for p in route.params]
    words += [value for _name, value in route.fixed]  # e.g. a subject kind: "ticket"
    out = set()
    for w in words:
        if len(w) > 2:
            out |= {w, w.removesuffix("s")}
    return out


def _code_names(func, depth: int = 2) -> set[str]:
    """Global names a view function uses, following module-level helpers it calls."""
    func = inspect.unwrap(func)
    code = getattr(func, "__code__", None)
    if code is None:
        return set()
    names = set(code.co_names)
    if depth:
        for name in list(names):
            helper = func.__globals__.get(name)
            if inspect.isfunction(helper) and helper.__module__ == func.__module__:
                names |= _code_names(helper, depth - 1)
    return names


def candidate_tiers(route: Route) -> list[list[type[models.Model]]]:
    """Models a route may address, most likely first: named like a path word; named in the
    view's code; of the view's app; imported by the view's module; any other."""
    pool = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("greenlight.") and is_scoped(m) and m._meta.pk is not None
    ]
    tokens = _tokens(route)
    view = inspect.unwrap(route.view)
    used = _code_names(view)
    named = {n.lower().removesuffix("s") for n in used} | {n.lower() for n in used}
    module_models = {v for v in view.__globals__.values() if isinstance(v, type) and v in pool}
    tiers = [
        [m for m in pool if any(m._meta.model_name.endswith(t) for t in tokens)],
        # a model the view's code names: a class (Approval) or a related manager (approvals)
        [m for m in pool if m._meta.model_name in named],
        [m for m in pool if m._meta.app_label == route.app],
        [m for m in pool if m in module_models],
        pool,
    ]
    seen: set = set()
    out = []
    for tier in tiers:
        fresh = [m for m in tier if m not in seen]
        seen |= set(fresh)
        if fresh:
            out.append(fresh)
    return out


def _param_options(p: Param, model, obj) -> list[tuple[str, object]]:
    """Values of `obj` a path parameter may take, the likeliest first, each with its source:
    "" for the object's own (its id or one of its fields), else the foreign key it came by
    (a related object's id, or a field of it: an approval's matter code)."""
    name = model._meta.model_name
    out: list[tuple[str, object]] = []
    fields = model._meta.concrete_fields
    foreign = [f for f in fields if f.is_relation and f.many_to_one]
    if p.name in ("pk", "id", f"{name}_id", f"{name}_pk"):
        out.append(("", obj.pk))
    for f in fields:
        if f.is_relation and p.name in (f.name, f.attname):
            out.append((f.name, getattr(obj, f.attname)))
        elif not f.is_relation and p.name == f.name and not f.primary_key:
            out.append(("", getattr(obj, f.attname)))
    if p.name.endswith(("_id", "_pk")) or p.name == "pk":
        out.append(("", obj.pk))
    if p.name == "pk":
        out += [(f.name, getattr(obj, f.attname)) for f in foreign]
    if not out:  # a field of a related object: {code} of an approval is its matter's code
        for f in foreign:
            related = getattr(obj, f.name)
            if related is not None and p.name in {g.name for g in related._meta.concrete_fields}:
                out.append((f.name, getattr(related, p.name)))
    wanted = int if p.kind == "int" else str
    values, seen = [], set()
    for source, v in out:
        if v is None or not isinstance(v, wanted) or isinstance(v, bool) or v in seen:
            continue
        seen.add(v)
        values.append((source, v))
    return values


def _addresses(combo) -> bool:
    """Path values address the object when one is its own, or when they come through two
    foreign keys or more (a project and a matter name the project's approval of it)."""
    sources = [source for source, _v in combo]
    return "" in sources or len(set(sources)) >= 2


# Per-route hints, by route id ("/x/<pk>/" or "POST /api/v1/x/<x_id>"): the object to try
# first when probing cannot guess it. Empty: every route of today is found by probing.
OBJECT_HINTS: dict[str, Callable[[World], models.Model]] = {}


def missing_values(route: Route) -> dict:
    return {p.name: MISSING_ID if p.kind == "int" else MISSING_SLUG for p in route.params}


class Finder:
    """Finds, for each route, one object per model it addresses that the owner side opens."""

    PER_MODEL = 40  # objects tried per model (in the fallback tier of all models: 3)

    def __init__(self, prober: Prober):
        self.prober = prober
        self.world = prober.world

    def owner_side(self, obj) -> list[tuple[str, object]]:
        """The district coordinator, the owning company, the object's departments' approvers,
        the users it names, and the administrator."""
        world = self.world
        users = [("coordinator", world.user("coordinator"))]
        company = world.user("company")
        if sees(company, obj):
            users.append(("company", company))
        for f in type(obj)._meta.concrete_fields:
            if not (f.is_relation and f.many_to_one):
                continue
            value = getattr(obj, f.attname)
            if value is None:
                continue
            if f.related_model is Department:
                approver = User.objects.filter(
                    role=Role.APPROVER, department_id=value, is_active=True
                ).first()
                if approver is not None:
                    users.append((f"approver of {f.name}", approver))
            elif f.related_model is User:
                users.append((f"{f.name}", User.objects.get(pk=value)))
        users.append(("admin", world.user("admin")))
        out, seen = [], set()
        for role, user in users:
            if user.pk not in seen:
                seen.add(user.pk)
                out.append((role, user))
        return out

    def objects(self, model, limit: int) -> list:
        """The company's objects first, then the rest of the coordinator's."""
        world = self.world
        mine = list(visible(model, world.user("company")).order_by("pk")[:limit])
        rest = visible(model, world.user("coordinator")).exclude(pk__in=[o.pk for o in mine])
        return (mine + list(rest.order_by("pk")[:limit]))[:limit]

    def discover(self, route: Route) -> Discovery:
        found = Discovery(method=route.method)
        hint = OBJECT_HINTS.get(route.id)
        if not route.is_api:
            found.method = self._page_method(route)
        route = route.with_method(found.method)
        body = "valid" if route.is_api and route.writes and has_body(route) else "empty"
        if hint is not None:
            obj = hint(self.world)
            target = self._try(route, type(obj), [obj], body, found)
            if target is not None or found.blind:
                found.targets += [target] if target else []
                return found
        tiers = candidate_tiers(route)
        for depth, tier in enumerate(tiers):
            # A few objects of each model first; all of them only if none was opened.
            passes = ((0, 3), (3, self.PER_MODEL)) if depth < len(tiers) - 1 else ((0, 3),)
            for start, stop in passes:
                for model in tier:
                    objects = self.objects(model, stop)[start:stop]
                    target = self._try(route, model, objects, body, found)
                    if found.blind:
                        return found
                    if target is not None:
                        found.targets.append(target)
                if found.targets:
                    return found
        return found

    def _page_method(self, route: Route) -> str:
        values = missing_values(route)
        answer = self.prober.ask(route, self.world.user("coordinator"), values)
        return "POST" if answer.status == 405 else "GET"

    def _try(self, route: Route, model, objects, body: str, found: Discovery) -> Target | None:
        coordinator = self.world.user("coordinator")
        for obj in objects:
            options = [_param_options(p, model, obj) for p in route.params]
            if not all(options):
                found.tried.append(f"{model._meta.label} (no value for a parameter)")
                return None
            combos = [c for c in itertools.product(*options) if _addresses(c)]
            for combo in combos[:6]:
                values = {p.name: v for p, (_src, v) in zip(route.params, combo, strict=True)}
                for role, user in self.owner_side(obj):
                    answer = self.prober.ask(route, user, values, body=body)
                    if granted(route, answer):
                        missing = self.prober.ask(route, user, missing_values(route), body=body)
                        if granted(route, missing):
                            found.blind = f"{missing} as {role}"
                            return None
                        return Target(model, obj, values, role, user, route.method)
                    found.tried.append(
                        f"{model._meta.label} #{obj.pk} {values} as {role}: {answer}"
                    )
                    if answer.status == 404 and user == coordinator and sees(user, obj):
                        break  # the coordinator sees it, yet the route does not: not this one
        return None
