"""`POST /api/v1/schedule`: auth, the same JSON as `greenlight plan --json`, 422 naming the task."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from greenlight.accounts.models import ApiToken
from greenlight.catalog import calendars
from greenlight.engine.calendar import provisional_warning

pytestmark = pytest.mark.django_db

URL = "/api/v1/schedule"

# A plan running over National Day 2026, with a bundle and a target.
NATIONAL_DAY = {
    "name": "危险边坡治理工程审批",
    "start": "2026-09-01",
    "tasks": [
        {"id": "geo", "name": "地质灾害危险性评估", "duration": 30, "unit": "day"},
        {"id": "eia", "department": "生态环境局", "duration": 20, "after": ["geo"]},
        {"id": "discharge", "department": "生态环境局", "duration": 10, "after": ["geo"]},
        {
            "id": "permit",
            "duration": 5,
            "after": ["eia", {"task": "discharge", "type": "FS", "lag": 0}],
        },
    ],
    "bundles": [{"id": "eia_permit", "tasks": ["eia", "discharge"], "duration": 11}],
    "target": {"task": "permit", "by": "2026-12-15"},
}


@pytest.fixture(autouse=True)
def fresh_cache():
    calendars.invalidate()
    yield
    calendars.invalidate()


def _post(client, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **extra)


def test_anonymous_gets_401(client, world):
    # given no credentials
    # when a plan is posted
    response = _post(client, NATIONAL_DAY)
    # then 401
    assert response.status_code == 401


def test_a_logged_in_user_gets_the_plan_commands_json(client_for, world, tmp_path):
    # given a coordinator's session and the same plan as a file
    client = client_for(world.users.coordinator)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(NATIONAL_DAY, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("plan", str(path), "--json", stdout=out)
    # when the plan is posted
    response = _post(client, NATIONAL_DAY)
    # then 200 with exactly the command's JSON; the EIA starts after the holiday
    body = response.json()
    assert response.status_code == 200
    assert body == json.loads(out.getvalue())
    assert body["tasks"][1]["early_start"] == "2026-10-08"
    assert body["parallel"] == {"finish": "2026-10-28", "days": 58, "workdays": 38}
    assert body["target"]["feasible"] is True


def test_a_bearer_token_works_too(client, world):
    # given a company user's token
    _, raw = ApiToken.issue(user=world.users.company)
    # when a plan is posted with it
    response = _post(client, NATIONAL_DAY, HTTP_AUTHORIZATION=f"Bearer {raw}")
    # then 200
    assert response.status_code == 200


def test_a_cycle_is_422_naming_the_tasks(client_for, world):
    # given a plan where a and b wait for each other
    plan = {
        "start": "2026-03-02",
        "tasks": [
            {"id": "a", "duration": 1, "after": ["b"]},
            {"id": "b", "duration": 1, "after": ["a"]},
        ],
    }
    # when posted
    response = _post(client_for(world.users.coordinator), plan)
    # then 422 with the loop and the first task's location
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["tasks", "0", "after"], "msg": "cycle: a → b → a", "type": "plan_invalid"}
    ]


def test_an_unknown_prerequisite_is_422_at_its_location(client_for, world):
    # given a task waiting for a task that does not exist
    plan = {"start": "2026-03-02", "tasks": [{"id": "a", "duration": 1, "after": ["ghost"]}]}
    # when posted
    response = _post(client_for(world.users.coordinator), plan)
    # then the task, the prerequisite and the location are named
    (error,) = response.json()["detail"]
    assert response.status_code == 422
    assert error["loc"] == ["tasks", "0", "after", "0"]
    assert error["msg"] == 'task "a": unknown prerequisite "ghost"'


@pytest.mark.parametrize("body", ["{not json", "", b"\xff\xfe"])
def test_invalid_json_is_422(client_for, world, body):
    # given a body that is not JSON
    # when posted
    response = _post(client_for(world.users.coordinator), body)
    # then 422 saying so
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["type"] == "json_invalid" and error["loc"] == []


def test_a_json_list_is_422(client_for, world):
    # given JSON that is not a plan document
    # when posted
    response = _post(client_for(world.users.coordinator), [1, 2])
    # then 422 naming the problem
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "plan: expected a mapping"


def test_strict_calendar_refuses_a_provisional_year(client_for, world):
    # given a plan in 2028 (no State Council notice: provisional)
    plan = {"start": "2028-03-01", "tasks": [{"id": "a", "duration": 5}]}
    client = client_for(world.users.coordinator)
    # when posted leniently, then strictly
    lenient = _post(client, plan)
    strict = client.post(
        URL + "?strict_calendar=true", data=json.dumps(plan), content_type="application/json"
    )
    # then a warning naming the provisional year, then a 422
    assert lenient.json()["warnings"] == [provisional_warning(2028)]
    assert lenient.json()["provisional_years"] == [2028]
    assert strict.status_code == 422
    detail = strict.json()["detail"][0]
    assert (detail["msg"], detail["type"]) == (
        provisional_warning(2028),
        "calendar_provisional_year",
    )


def test_the_openapi_document_describes_the_endpoint(client):
    # given the API
    # when the OpenAPI document is fetched
    response = client.get("/api/v1/openapi.json")
    # then the endpoint and its body are described
    operation = response.json()["paths"][URL]["post"]
    assert response.status_code == 200
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["start", "tasks"]
    assert "422" in operation["responses"]
