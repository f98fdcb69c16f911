"""Finding, for each route that takes an object id, an object that the owner side can open:
the models the route may address (named by its path, its view's code, its app), the values of
an object its path parameters may take, and the request that proves the owner is granted it
(probe.py asks; rules.py judges every other role against the object found here)."""

from __future__ import annotations

import inspect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

from greenlight.accounts.models import Department, User
from greenlight.kernel.roles import Role

from .probe import Prober, granted, has_body, is_scoped, sees, visible
from .routes import Param, Route
from .world import MISSING_ID, MISSING_SLUG, World


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
