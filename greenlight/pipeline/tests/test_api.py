"""Pipeline API: the triad, 422s naming the field, decisions all or nothing."""

import json

import pytest

from greenlight.pipeline.models import Candidate
from greenlight.projects.models import Project

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_anonymous_gets_401(client, world):
    for url in (
        "/api/v1/pipeline/targets",
        "/api/v1/pipeline/candidates",
        "/api/v1/pipeline/pools",
    ):
        assert client.get(url).status_code == 401


def test_roles_and_tenants(client_for, pipeline, world):
    assert client_for(world.users.company).get("/api/v1/pipeline/pools").status_code == 403
    assert (
        client_for(world.users.leader).get(f"/api/v1/pipeline/pools?year={YEAR}").status_code == 200
    )
    url = f"/api/v1/pipeline/candidates/{pipeline.a.pk}"
    assert client_for(world.users.nanshan).get(url).status_code == 404
    assert client_for(world.users.company2).get(url).status_code == 404
    assert client_for(world.users.company).get(url).status_code == 200
    body = client_for(world.users.company2).get("/api/v1/pipeline/candidates").json()
    assert [c["id"] for c in body] == [pipeline.c.pk]


def test_negative_quota_is_422_naming_the_field(client_for, world):
    response = _post(client_for(world.users.coordinator), "/api/v1/pipeline/pools", {})
    client = client_for(world.users.coordinator)
    response = client.put(
        "/api/v1/pipeline/pools",
        json.dumps({"year": YEAR, "kind": "land", "amount": -1}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["amount"]


def test_unknown_factor_is_422_naming_the_field(client_for, world):
    response = _post(
        client_for(world.users.company),
        "/api/v1/pipeline/candidates",
        {
            "name": "x",
            "category": "linear",
            "industry": "water",
            "investment": 1,
            "funding": "fiscal",
            "needs": {"water": 5},
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["needs", "water"]


def test_company_proposes_and_coordinator_pins_runs_and_decides(client_for, pipeline, world):
    created = _post(
        client_for(world.users.company),
        "/api/v1/pipeline/candidates",
        {
            "year": YEAR,
            "name": "鹏鼎三期",
            "category": "social_industry",
            "industry": "electronics",
            "investment": "9000",
            "funding": "company",
            "needs": {"land": 1000, "energy": 50},
        },
    )
    assert created.status_code == 201 and created.json()["owner_id"] == world.org1.pk
    coord = client_for(world.users.coordinator)
    pin = _post(coord, f"/api/v1/pipeline/candidates/{pipeline.b.pk}/pin", {"pin": "out"})
    assert pin.status_code == 200 and pin.json()["pin"] == "out"
    run = coord.post(f"/api/v1/pipeline/matching?year={YEAR}")
    assert run.status_code == 201 and run.json()["feasible"]
    assert coord.get(f"/api/v1/pipeline/matching?year={YEAR}").json()["id"] == run.json()["id"]
    decided = _post(
        coord,
        "/api/v1/pipeline/decisions",
        {
            "year": YEAR,
            "title": "决策会",
            "held_on": "2025-04-01",
            "minutes": "同意",
            "decisions": [{"candidate": pipeline.a.pk, "outcome": "start"}],
        },
    )
    assert decided.status_code == 201
    project = Project.objects.get(pk=decided.json()["decisions"][0]["project_id"])
    assert project.stage == "preparation"


def test_decision_on_another_tenants_candidate_changes_nothing(client_for, pipeline, world):
    response = _post(
        client_for(world.users.nanshan),
        "/api/v1/pipeline/decisions",
        {
            "year": YEAR,
            "title": "t",
            "held_on": "2025-04-01",
            "minutes": "m",
            "decisions": [{"candidate": pipeline.a.pk, "outcome": "start"}],
        },
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["decisions.0.candidate"]
    assert Candidate.objects.get(pk=pipeline.a.pk).status == "proposed"


def test_targets_issue_and_acknowledge(client_for, world):
    coord = client_for(world.users.coordinator)
    created = _post(
        coord,
        "/api/v1/pipeline/targets",
        {
            "year": YEAR,
            "department": world.eco.pk,
            "investment": 100,
            "new_starts": 2,
            "generated": 3,
        },
    )
    assert created.status_code == 201
    tid = created.json()["id"]
    assert (
        client_for(world.users.leader)
        .post(f"/api/v1/pipeline/targets/{tid}/acknowledge")
        .status_code
        == 403
    )
    ok = client_for(world.users.approver).post(f"/api/v1/pipeline/targets/{tid}/acknowledge")
    assert ok.status_code == 200 and ok.json()["acknowledged_at"]
    again = client_for(world.users.approver).post(f"/api/v1/pipeline/targets/{tid}/acknowledge")
    assert again.status_code == 409
    listed = client_for(world.users.approver).get(f"/api/v1/pipeline/targets?year={YEAR}").json()
    assert [t["id"] for t in listed] == [tid]
