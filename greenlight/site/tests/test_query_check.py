"""Unknown query parameters on the API get a 422 naming them (never silently ignored)."""

import pytest

pytestmark = pytest.mark.django_db


def test_limit_is_refused_naming_it_and_what_the_list_takes(client_for, world):
    client = client_for(world.users.coordinator)
    r = client.get("/api/v1/projects?limit=20&page=1")
    assert r.status_code == 422
    (error,) = r.json()["detail"]
    assert error["loc"] == ["limit"] and error["type"] == "unknown_query_parameter"
    assert "page_size" in error["msg"] and "未知" in error["msg"]


def test_known_parameters_pass(client_for, world):
    client = client_for(world.users.coordinator)
    assert client.get("/api/v1/projects?page=1&page_size=5&stage=planning").status_code == 200
    assert client.get(f"/api/v1/projects/{world.project1.pk}").status_code == 200


def test_a_detail_route_refuses_any_query_parameter(client_for, world):
    r = client_for(world.users.coordinator).get(f"/api/v1/projects/{world.project1.pk}?x=1")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["x"]


def test_anonymous_still_gets_401(client):
    assert client.get("/api/v1/projects?limit=20").status_code == 401


def test_pages_are_not_checked(client_for, world):
    assert client_for(world.users.coordinator).get("/projects/?utm=1").status_code == 200
