"""Plan API: the plan in engine format, 拿地即开工, versions; 401/403/404 and refusals."""

import json
from datetime import date

import pytest

from greenlight.engine import planfile
from greenlight.plans import editing as plan_editing
from greenlight.plans.models import PlanVersion

from .plan_fixtures import build_plan_world, late_enough


@pytest.fixture
def plan(world):
    return build_plan_world(world)


def doc(world, plan):
    return plan_editing.initial_document(
        plan.project, user=world.users.coordinator, today=date(2026, 3, 2)
    )


def post(c, url, body):
    return c.post(url, data=json.dumps(body), content_type="application/json")


def test_anonymous_gets_401(client, plan):
    assert client.get(f"/api/v1/projects/{plan.project.pk}/plan").status_code == 401


def test_plan_in_engine_format(client_for, world, plan):
    # when a company reads its project's plan
    response = client_for(world.users.company).get(f"/api/v1/projects/{plan.project.pk}/plan")
    # then the plan part is a valid plan file, and the result is the engine's JSON
    body = response.json()
    assert response.status_code == 200
    assert len(planfile.from_dict(body["plan"]).tasks) == 4
    assert body["result"]["serial"]["days"] >= body["result"]["parallel"]["days"]


def test_backward_verdict(client_for, world, plan):
    url = f"/api/v1/projects/{plan.project.pk}/plan/backward"
    late = (
        client_for(world.users.approver).get(url, {"land": "2026-03-10"}).json()["result"]["target"]
    )
    ok = (
        client_for(world.users.approver)
        .get(url, {"land": late_enough()})
        .json()["result"]["target"]
    )
    assert late["task"] == "D-1" and not late["feasible"] and late["days_late"] > 0
    assert ok["feasible"] and ok["days_late"] == 0


def test_other_tenant_gets_404(client_for, world, plan):
    c = client_for(world.users.nanshan)
    assert c.get(f"/api/v1/projects/{plan.project.pk}/plan").status_code == 404
    assert c.get(f"/api/v1/projects/{plan.project.pk}/plan/versions").status_code == 404


@pytest.mark.parametrize("who", ["approver", "company", "leader"])
def test_only_coordinators_save_versions(client_for, world, plan, who):
    url = f"/api/v1/projects/{plan.project.pk}/plan/versions"
    response = post(client_for(getattr(world.users, who)), url, {"document": doc(world, plan)})
    assert response.status_code == 403 and PlanVersion.objects.count() == 0


def test_save_list_restore(client_for, world, plan):
    c = client_for(world.users.coordinator)
    url = f"/api/v1/projects/{plan.project.pk}/plan/versions"
    first = post(c, url, {"document": doc(world, plan), "note": "初版"})
    assert first.status_code == 201 and first.json()["number"] == 1
    assert first.json()["created_by"] == "coordinator"
    restored = c.post(f"{url}/1/restore")
    assert restored.status_code == 201 and restored.json()["restored_from"] == 1
    assert [v["number"] for v in c.get(url).json()] == [2, 1]


def test_a_cycle_is_refused_with_the_matter_named(client_for, world, plan):
    c = client_for(world.users.coordinator)
    bad = doc(world, plan)
    next(t for t in bad["tasks"] if t["id"] == "A-1")["after"] = [{"task": "D-1"}]
    response = post(c, f"/api/v1/projects/{plan.project.pk}/plan/versions", {"document": bad})
    assert response.status_code == 400
    assert "甲事项" in response.json()["detail"][0]["msg"]
    assert PlanVersion.objects.count() == 0
