"""The rules each answer of the matrix must follow.

For a route that takes an object id, the object is one the owner side opens (see finder.py);
for every other user the expectation follows from `Model.objects.visible_to(user)`:

* anonymous: the login page with ?next= (pages), 401 (API); public pages anything but 5xx;
* owner (whoever of the district coordinator, the owning company, the object's department or
  named users opened it when it was found): granted;
* a user who may not see the object (another company, another district, a company on staff
  data): 404 — or 403 when the route refuses the role before looking the object up, which
  shows because a missing id gets the same 403. Any other answer that differs from the one
  for a missing id tells the object exists: a leak. A 400/422 equal to the missing id's
  answer means the input was validated before the lookup: a failure too (404 is due);
* a user who may see it: granted, 403 (a role without the right) or 404 (a view narrower
  than visible_to, e.g. notices for other departments' approvers) — never 5xx/401/405; the
  district coordinator reads (GET) everything of its district; a leader (read-only) never
  writes: no 2xx with an empty body, 403/404 with a valid one.

Parameterless routes: anonymous as above; every role 2xx/redirect or 403 for reads, and for
writes with an empty body anything but 5xx, 401 and 405. No answer to a signed-in user may
contain the marker of a project, ticket or candidate the user may not see.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from greenlight.accounts.models import User

from .finder import Discovery, Finder, Target, missing_values
from .probe import (
    Answer,
    Prober,
    forbidden_markers,
    granted,
    login_redirect_ok,
    sees,
)
from .routes import Route
from .world import World

# Who asks for an object: "owner" is whoever opened it when it was found (see finder.py).
OBJECT_ROLES = (
    "anonymous",
    "owner",
    "coordinator",
    "approver",
    "company",
    "company_other",
    "leader",
    "supervisor",
    "province",
    "other_district",
)
# With a body the schema accepts: the owner side, the other tenants and the read-only leader.
VALID_BODY_ROLES = (
    "owner",
    "coordinator",
    "approver",
    "company",
    "company_other",
    "leader",
    "other_district",
)
# Writes without an object, with a body the schema accepts: never a 5xx.
VALID_BODY_PLAIN_ROLES = ("coordinator", "company", "leader", "other_district")
# Routes without an object: every role of kernel/roles.py, the province and another district.
PLAIN_ROLES = (
    "anonymous",
    "coordinator",
    "approver",
    "company",
    "company_other",
    "leader",
    "supervisor",
    "admin",
    "province",
    "other_district",
)
VALIDATED_FIRST = (400, 422)


class Matrix:
    def __init__(self, world: World):
        self.world = world
        self.prober = Prober(world)
        self.finder = Finder(self.prober)
        self._found: dict[Route, Discovery] = {}
        self._methods: dict[Route, str] = {}
        self._forbidden: dict[int, frozenset[str]] = {}

    def log_in_everyone(self) -> None:
        """Sessions for every user the matrix may ask as, made before any test's savepoint
        (a session made inside one would vanish with it)."""
        self.prober.client(None)
        for user in User.objects.filter(is_active=True):
            self.prober.client(user)

    # -- lookups -------------------------------------------------------------------------------

    def discovery(self, route: Route) -> Discovery:
        if route not in self._found:
            self._found[route] = self.finder.discover(route)
        return self._found[route]

    def method(self, route: Route) -> str:
        """A page's method: GET, or POST when GET is refused with 405."""
        if route.is_api:
            return route.method
        if route not in self._methods:
            answer = self.prober.ask(route, self.world.user("coordinator"), {})
            self._methods[route] = "POST" if answer.status == 405 else "GET"
        return self._methods[route]

    def forbidden(self, user) -> frozenset[str]:
        if user.pk not in self._forbidden:
            self._forbidden[user.pk] = forbidden_markers(user)
        return self._forbidden[user.pk]

    def shown_markers(self, role: str, plain_routes) -> set[str]:
        """Markers in the user's answers to every route without an object that reads."""
        user = self.world.user(role)
        shown = set()
        for r in plain_routes:
            if not r.public and self.method(r) == "GET":
                shown |= self.prober.ask(r.with_method("GET"), user, {}).markers
        return shown

    # -- checks --------------------------------------------------------------------------------

    def check_object(self, route: Route, target: Target, role: str, *, body: str) -> None:
        route = route.with_method(target.method)
        user = target.user if role == "owner" else self.world.user(role)
        answer = self.prober.ask(route, user, target.values, body=body)
        name = user.username if user is not None else "-"
        who = f"{route.id} {target.values} as {role} ({name}) on {target} [{body} body]"
        if user is None:
            self._anonymous(route, answer, target.values, who)
            return
        self._markers(user, answer, who)
        if role == "owner":
            assert granted(route, answer), f"{who}: the owner side was refused: {answer}"
        elif not sees(user, target.obj):
            self._denied(route, user, answer, body, who)
        else:
            self._allowed(route, role, answer, body, who)

    def check_plain(self, route: Route, role: str, *, body: str = "empty") -> None:
        route = route.with_method(self.method(route))
        user = self.world.user(role)
        answer = self.prober.ask(route, user, {}, body=body)
        name = user.username if user is not None else "-"
        who = f"{route.id} as {role} ({name}) [{body} body]"
        if user is None:
            self._anonymous(route, answer, {}, who)
            return
        self._markers(user, answer, who)
        assert not answer.error and answer.status < 500, f"{who}: {answer}\n{answer.error}"
        if route.public:
            return  # the login page, logging out, the health probe
        assert answer.status not in (401, 405) and not answer.to_login, f"{who}: {answer}"
        if not route.writes:
            assert granted(route, answer) or answer.status == 403, (
                f"{who}: expected 2xx or 403, got {answer}"
            )

    def check_alias(self, route: Route, role: str) -> None:
        """An old address forwards everyone to the route it names, with the same path values,
        whatever they are (so it tells nothing); that route is in the matrix itself."""
        values = missing_values(route)
        user = None if role in ("anonymous", "owner") else self.world.user(role)
        answer = self.prober.ask(route, user, values)
        who = f"{route.id} as {role}"
        assert answer.status in (301, 302, 307, 308), f"{who}: expected a redirect, got {answer}"
        target = resolve(urlsplit(answer.location).path)
        assert target.func is not route.view and not target.route == route.template[1:], who
        assert {k: str(v) for k, v in target.kwargs.items()} == {
            k: str(v) for k, v in values.items()
        }, f"{who}: {answer} does not keep the path values {values}"

    def _anonymous(self, route: Route, answer: Answer, values: dict, who: str) -> None:
        if route.public:
            assert not answer.error and answer.status < 500, f"{who}: {answer}"
        elif route.is_api:
            assert answer.status == 401, f"{who}: expected 401, got {answer}"
        else:
            assert login_redirect_ok(route, answer, values), (
                f"{who}: expected the login page with next={route.url(values)}, got {answer}"
            )

    def _markers(self, user, answer: Answer, who: str) -> None:
        leaked = sorted(answer.markers & self.forbidden(user))
        assert not leaked, f"{who}: the answer names rows the user may not see: {leaked}"

    def _denied(self, route: Route, user, answer: Answer, body: str, who: str) -> None:
        if answer.status == 404:
            return
        if answer.status in (403, *VALIDATED_FIRST):
            missing = self.prober.ask(route, user, missing_values(route), body=body)
            assert missing.status == answer.status, (
                f"{who}: LEAK: {answer} for an object the user may not see, but {missing} "
                "for a missing id — the answer tells the object exists"
            )
            if answer.status == 403:
                return  # the role is refused before any lookup
            pytest.fail(
                f"{who}: {answer.status} before the object is looked up (the input is validated "
                "first); a missing id gets the same, so nothing leaks, but it must be 404 "
                "(mark the operation kernel.api_input.found_first)"
            )
        pytest.fail(f"{who}: expected 404 for an object the user may not see, got {answer}")

    def _allowed(self, route: Route, role: str, answer: Answer, body: str, who: str) -> None:
        assert not answer.error and answer.status < 500, f"{who}: {answer}\n{answer.error}"
        assert answer.status not in (401, 405) and not answer.to_login, f"{who}: {answer}"
        if route.writes and role == "leader":
            if body == "valid":
                assert answer.status in (403, 404), f"{who}: a leader (read-only) got {answer}"
            else:
                assert not 200 <= answer.status < 300, f"{who}: a leader (read-only) got {answer}"
        if role == "coordinator" and not route.writes:
            assert granted(route, answer), (
                f"{who}: the district coordinator reads everything of its district, got {answer}"
            )
        assert granted(route, answer) or answer.status in (403, 404), f"{who}: {answer}"
