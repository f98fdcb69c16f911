"""Tenant isolation, generated (NetBox-style): every page route of the URL resolver and every
operation of the OpenAPI document, asked by every role, against the rules in tests/matrix.

No route is named here: a new route is covered as soon as it exists, and one that takes an id
fails with "no object found for route …" until the world has an object the owner side opens.
Two hint tables exist for what probing cannot guess: routes.ENUMERATED (path parameters that
name a choice, by parameter name) and probe.OBJECT_HINTS (an object per route id; empty).
The world (the demo district, topped up) is built once for the module inside a transaction
that is rolled back at the end; every request runs in a savepoint of its own.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests.matrix import routes
from tests.matrix.probe import has_body
from tests.matrix.rules import (
    OBJECT_ROLES,
    PLAIN_ROLES,
    VALID_BODY_PLAIN_ROLES,
    VALID_BODY_ROLES,
    Matrix,
)
from tests.matrix.world import MARKED, build

pytestmark = pytest.mark.django_db

OBJECT_ROUTES = routes.object_routes()
PLAIN_ROUTES = routes.plain_routes()
WRITES_WITH_BODY = tuple(r for r in OBJECT_ROUTES if r.is_api and r.writes and has_body(r))
PLAIN_WRITES_WITH_BODY = tuple(r for r in PLAIN_ROUTES if r.is_api and r.writes and has_body(r))


def _id(route: routes.Route) -> str:
    return route.id


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    hasher = f"{MD5PasswordHasher.__module__}.{MD5PasswordHasher.__name__}"
    media = tmp_path_factory.mktemp("matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=[hasher], MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        matrix = Matrix(build(timezone.localdate()))
        matrix.log_in_everyone()
        yield matrix
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The root conftest empties the calendar cache around each test; the matrix's world keeps
    one calendar for the whole module."""
    yield


def _targets(matrix: Matrix, route: routes.Route, role: str):
    found = matrix.discovery(route)
    if found.failure:
        message = found.failure.replace("<route>", route.id, 1)
        if role == "owner":
            pytest.fail(message)
        pytest.skip(f"{message} (fails as the owner)")
    return found.targets


@pytest.mark.parametrize("role", OBJECT_ROLES)
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_id)
def test_object_route(matrix, route, role):
    """Empty bodies for writes: nothing changes for the owner; others are refused first."""
    if route.alias:
        matrix.check_alias(route, role)
        return
    for target in _targets(matrix, route, role):
        matrix.check_object(route, target, role, body="empty")


@pytest.mark.parametrize("role", VALID_BODY_ROLES)
@pytest.mark.parametrize("route", WRITES_WITH_BODY, ids=_id)
def test_object_write_with_a_valid_body(matrix, route, role):
    """A body the schema accepts reaches the view: another tenant must still get 404, a
    leader 403 (the owner's change is rolled back with the request's savepoint)."""
    for target in _targets(matrix, route, role):
        matrix.check_object(route, target, role, body="valid")


@pytest.mark.parametrize("role", PLAIN_ROLES)
@pytest.mark.parametrize("route", PLAIN_ROUTES, ids=_id)
def test_route_without_object(matrix, route, role):
    if route.alias:
        matrix.check_alias(route, role)
        return
    matrix.check_plain(route, role)


@pytest.mark.parametrize("role", VALID_BODY_PLAIN_ROLES)
@pytest.mark.parametrize("route", PLAIN_WRITES_WITH_BODY, ids=_id)
def test_write_without_object_with_a_valid_body(matrix, route, role):
    matrix.check_plain(route, role, body="valid")


def test_the_markers_show_where_the_rows_may_be_seen(matrix):
    """The leak check looks for row markers; a province-level user finds projects, tickets and
    candidates of both districts in the lists, so a marker in the wrong answer would show."""
    shown = matrix.shown_markers("province", PLAIN_ROUTES)
    for model, (_field, prefix, region) in MARKED.items():
        pks = [int(m[len(prefix) : -1]) for m in shown if m.startswith(prefix)]
        regions = set(model.objects.filter(pk__in=pks).values_list(region, flat=True))
        assert regions == {"440306", "440305"}, f"{model.__name__} markers shown for {regions}"


def test_openapi_schema_names_are_unambiguous():
    """Each component name of the OpenAPI document stands for one schema (the matrix reads
    request bodies from the operations' own models because of this)."""
    clashes = routes.component_clashes()
    assert not clashes, "one name, two schemas (name: an operation of each): " + "; ".join(
        f"{name}: {', '.join(ops)}" for name, ops in clashes.items()
    )
