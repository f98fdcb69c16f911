"""Catalog API: reading for all, writing for administrators, loops and unknown departments refused."""

import json

import pytest

from greenlight.catalog.models import Matter

pytestmark = pytest.mark.django_db


def _matter(code, **extra):
    body = {
        "code": code,
        "name": f"事项{code}",
        "department": "ecology",
        "stage": "land_planning",
        "statutory_limit": 20,
        "statutory_unit": "workday",
        "committed_limit": 10,
        "committed_unit": "workday",
        "prerequisites": [],
    }
    body.update(extra)
    return json.dumps(body)


def _post(client, body):
    return client.post("/api/v1/matters", body, content_type="application/json")


def test_matters_need_a_login(client, world):
    assert client.get("/api/v1/matters").status_code == 401


def test_every_role_reads_the_catalog(client_for, world):
    response = client_for(world.users.company).get("/api/v1/matters")
    assert response.status_code == 200
    assert response.json()[0]["name"] == "环境影响评价报告表审批"


def test_admin_adds_a_matter_with_prerequisites(client_for, world):
    client = client_for(world.users.admin)
    response = _post(client, _matter("X-1", prerequisites=[world.matter.code]))
    assert response.status_code == 201, response.content
    assert response.json()["prerequisites"] == [world.matter.code]


def test_other_roles_may_not_change_the_catalog(client_for, world):
    assert _post(client_for(world.users.coordinator), _matter("X-2")).status_code == 403


def test_unknown_department_is_named(client_for, world):
    response = _post(client_for(world.users.admin), _matter("X-3", department="magic"))
    assert response.status_code == 400
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["department"] and "magic" in detail["msg"]
    assert not Matter.objects.filter(code="X-3").exists()


def test_a_prerequisite_loop_is_refused_with_its_matters(client_for, world):
    # given A <- B
    client = client_for(world.users.admin)
    assert _post(client, _matter("A")).status_code == 201
    assert _post(client, _matter("B", prerequisites=["A"])).status_code == 201
    # when A is made to wait for B
    response = client.put(
        "/api/v1/matters/A", _matter("A", prerequisites=["B"]), content_type="application/json"
    )
    # then
    assert response.status_code == 400
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["prerequisites"]
    assert "A" in detail["msg"] and "B" in detail["msg"]
    assert list(Matter.objects.get(code="A").prerequisites.all()) == []


def test_unknown_prerequisite_is_named(client_for, world):
    response = _post(client_for(world.users.admin), _matter("C", prerequisites=["NOPE"]))
    assert response.status_code == 400
    assert "NOPE" in response.json()["detail"][0]["msg"]


def test_negative_limit_is_named(client_for, world):
    response = _post(client_for(world.users.admin), _matter("D", statutory_limit=-1))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["statutory_limit"]


def test_admin_form_refuses_a_loop(client_for, world):
    from tests.factories import MatterFactory

    a = MatterFactory(code="FA")
    b = MatterFactory(code="FB")
    b.prerequisites.add(a)
    client = client_for(world.users.admin)
    world.users.admin.is_staff = True
    world.users.admin.save()
    data = {
        "code": "FA",
        "name": a.name,
        "department_kind": "ecology",
        "stage": "land_planning",
        "statutory_limit": 20,
        "statutory_unit": "workday",
        "committed_limit": 10,
        "committed_unit": "workday",
        "materials": "[]",
        "prerequisites": [b.pk],
        "is_active": "on",
    }
    response = client.post(f"/admin/catalog/matter/{a.pk}/change/", data)
    assert response.status_code == 200
    assert "FA" in str(response.context["adminform"].form.errors["prerequisites"])
