"""Project API: auth, visibility triad, filters, errors naming the field."""

import json

import pytest

from greenlight.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _bearer(user):
    _, raw = ApiToken.issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_anonymous_gets_401(client, world):
    response = client.get("/api/v1/projects")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_bad_token_gets_401(client, world):
    response = client.get("/api/v1/projects", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401


def test_company_lists_its_own_projects_with_a_token(client, world):
    response = client.get("/api/v1/projects", **_bearer(world.users.company))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["items"][0]["id"] == world.project1.pk


def test_session_auth_works_too(client_for, world):
    response = client_for(world.users.coordinator).get("/api/v1/projects")
    assert response.json()["count"] == 2


def test_another_tenants_project_is_404(client, world):
    headers = _bearer(world.users.company)
    assert client.get(f"/api/v1/projects/{world.project2.pk}", **headers).status_code == 404
    headers = _bearer(world.users.coordinator)
    assert client.get(f"/api/v1/projects/{world.project_ns.pk}", **headers).status_code == 404


def test_detail_lists_approvals(client, world):
    response = client.get(f"/api/v1/projects/{world.project1.pk}", **_bearer(world.users.approver))
    assert response.status_code == 200
    assert response.json()["approvals"][0]["matter_name"] == "环境影响评价报告表审批"


def test_filters_stage_and_search(client, world):
    headers = _bearer(world.users.coordinator)
    world.project2.stage = "construction"
    world.project2.save()
    assert client.get("/api/v1/projects?stage=construction", **headers).json()["count"] == 1
    assert client.get("/api/v1/projects?q=鹏鼎", **headers).json()["count"] == 1
    bad = client.get("/api/v1/projects?stage=nonsense", **headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["stage"]


def _body(world, **overrides):
    body = {
        "code": "2503-440306-04-01-654321",
        "name": "魏桥二期",
        "owner": world.org2.pk,
        "category": "social_industry",
        "industry": "manufacturing",
        "location": "深圳市宝安区沙井街道",
        "construction_nature": "expansion",
        "scale_content": "新建厂房3栋，建筑面积6万平方米",
        "funding_source": "social",
        "total_investment": "8000.5",
    }
    body.update(overrides)
    return json.dumps(body)


def test_coordinator_creates_a_project(client, world):
    response = client.post(
        "/api/v1/projects",
        _body(world),
        content_type="application/json",
        **_bearer(world.users.coordinator),
    )
    assert response.status_code == 201, response.content
    assert response.json()["owner_id"] == world.org2.pk


def test_company_creates_only_for_itself(client, world):
    response = client.post(
        "/api/v1/projects",
        _body(world),
        content_type="application/json",
        **_bearer(world.users.company),
    )
    assert response.status_code == 201
    assert response.json()["owner_id"] == world.org1.pk


def test_approver_may_not_create_projects(client, world):
    response = client.post(
        "/api/v1/projects",
        _body(world),
        content_type="application/json",
        **_bearer(world.users.approver),
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"code": "ABC"}, "code"),
        ({"total_investment": "-1"}, "total_investment"),
        ({"total_investment": "lots"}, "total_investment"),
        ({"owner": 999999}, "owner"),
        ({"category": "castle"}, "category"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, world, override, field):
    from greenlight.projects.models import Project

    before = Project.objects.count()
    response = client.post(
        "/api/v1/projects",
        _body(world, **override),
        content_type="application/json",
        **_bearer(world.users.coordinator),
    )
    assert response.status_code in (400, 422)
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == field and detail["msg"]
    assert Project.objects.count() == before


def test_errors_are_in_chinese_by_default(client, world):
    response = client.post(
        "/api/v1/projects",
        _body(world, total_investment="-1"),
        content_type="application/json",
        **_bearer(world.users.coordinator),
    )
    assert "负" in response.json()["detail"][0]["msg"]


def test_patch_by_another_company_is_404_and_by_leader_403(client, world):
    patch = json.dumps({"name": "x"})
    r1 = client.patch(
        f"/api/v1/projects/{world.project2.pk}",
        patch,
        content_type="application/json",
        **_bearer(world.users.company),
    )
    r2 = client.patch(
        f"/api/v1/projects/{world.project2.pk}",
        patch,
        content_type="application/json",
        **_bearer(world.users.leader),
    )
    assert (r1.status_code, r2.status_code) == (404, 403)


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/projects" in response.json()["paths"]
