"""Lifecycle gates: 建设 and 竣工 need their facts; owners cannot set stage, major flag, code."""

import json
from datetime import date

import pytest

from greenlight.accounts.models import ApiToken
from greenlight.approvals.choices import Status
from greenlight.catalog.choices import Stage
from greenlight.kernel.errors import DomainError, NotPermitted
from greenlight.projects import services
from greenlight.projects.models import Project
from tests import factories as f

pytestmark = pytest.mark.django_db


def _bearer(user):
    _, raw = ApiToken.issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def permit(world):
    """A construction-permit approval of project1 (not yet approved) at 住建."""
    matter = f.MatterFactory(
        name="建筑工程施工许可证核发", stage=Stage.CONSTRUCTION_PERMIT, department_kind="housing"
    )
    return f.ApprovalFactory(project=world.project1, matter=matter)


def test_construction_needs_a_start_date_and_the_approved_permit(world, permit):
    # when
    with pytest.raises(DomainError) as exc:
        services.update_project(
            project=world.project1, data={"stage": "construction"}, actor=world.users.coordinator
        )
    # then
    assert exc.value.field == "stage"
    assert "实际开工日期" in exc.value.message and "建筑工程施工许可证核发" in exc.value.message
    world.project1.refresh_from_db()
    assert world.project1.stage != "construction"


def test_construction_is_accepted_once_its_facts_are_there(world, permit):
    # given
    permit.status = Status.APPROVED
    permit.save()
    # when
    project = services.update_project(
        project=world.project1,
        data={"stage": "construction", "actual_start": date(2026, 11, 2)},
        actor=world.users.coordinator,
    )
    # then
    assert Project.objects.get(pk=project.pk).stage == "construction"
    assert project.stage_override_reason == ""


def test_a_project_without_permit_matters_cannot_start_either(world):
    with pytest.raises(DomainError) as exc:
        services.update_project(
            project=world.project2,
            data={"stage": "construction", "actual_start": date(2026, 11, 2)},
            actor=world.users.coordinator,
        )
    assert "施工许可" in exc.value.message


def test_completion_needs_a_date_and_every_completion_approval(world, permit):
    # given: started properly, one completion matter still open
    permit.status = Status.APPROVED
    permit.save()
    services.update_project(
        project=world.project1,
        data={"stage": "construction", "actual_start": date(2026, 3, 2)},
        actor=world.users.coordinator,
    )
    acceptance = f.MatterFactory(name="联合验收", stage=Stage.COMPLETION)
    f.ApprovalFactory(project=world.project1, matter=acceptance)
    # when
    with pytest.raises(DomainError) as exc:
        services.update_project(
            project=world.project1, data={"stage": "completed"}, actor=world.users.coordinator
        )
    # then
    assert "竣工日期" in exc.value.message and "联合验收" in exc.value.message


def test_coordinator_overrides_with_a_reason_audited_and_shown(world, permit, client_for):
    from greenlight.audit.models import AuditEvent

    # when
    services.update_project(
        project=world.project1,
        data={
            "stage": "construction",
            "actual_start": date(2026, 11, 2),
            "stage_override_reason": "区政府会议纪要同意先行开工",
        },
        actor=world.users.coordinator,
    )
    # then
    project = Project.objects.get(pk=world.project1.pk)
    assert project.stage == "construction"
    assert project.stage_override_by == world.users.coordinator
    assert AuditEvent.objects.filter(action="project_stage_overridden").count() == 1
    page = client_for(world.users.coordinator).get(f"/projects/{project.pk}/")
    assert "区政府会议纪要同意先行开工" in page.content.decode()


def test_only_a_coordinator_may_override(world, permit):
    with pytest.raises(NotPermitted):
        services.update_project(
            project=world.project1,
            data={"actual_start": date(2026, 11, 2), "stage_override_reason": "想开工"},
            actor=world.users.company,
        )


@pytest.mark.parametrize(
    "body",
    [{"stage": "completed"}, {"is_major": True}, {"code": "2503-440306-04-01-999999"}],
)
def test_an_owner_cannot_set_stage_major_flag_or_code(client, world, body):
    # when
    response = client.patch(
        f"/api/v1/projects/{world.project1.pk}",
        json.dumps(body),
        content_type="application/json",
        **_bearer(world.users.company),
    )
    # then
    assert response.status_code == 403, response.content
    assert response.json()["detail"][0]["loc"] == [next(iter(body))]
    project = Project.objects.get(pk=world.project1.pk)
    assert (project.stage, project.is_major) == (world.project1.stage, world.project1.is_major)


def test_an_owner_registers_in_planning_only(client, world):
    body = {
        "code": "2503-440306-04-01-654321",
        "name": "鹏鼎三期",
        "category": "social_industry",
        "industry": "manufacturing",
        "location": "深圳市宝安区沙井街道",
        "construction_nature": "new",
        "scale_content": "新建厂房",
        "funding_source": "social",
        "total_investment": "100",
        "is_major": True,
    }
    response = client.post(
        "/api/v1/projects", json.dumps(body), content_type="application/json",
        **_bearer(world.users.company),
    )  # fmt: skip
    assert response.status_code == 403 and response.json()["detail"][0]["loc"] == ["is_major"]
    assert not Project.objects.filter(name="鹏鼎三期").exists()


def test_the_api_refuses_a_stage_without_facts_naming_the_field(client, world):
    response = client.patch(
        f"/api/v1/projects/{world.project2.pk}",
        json.dumps({"stage": "completed"}),
        content_type="application/json",
        **_bearer(world.users.coordinator),
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["stage"]
    assert "竣工日期" in response.json()["detail"][0]["msg"]


def test_the_edit_form_keeps_its_dates_in_iso_format(world, client_for):
    # given
    world.project1.land_acquired_on = date(2026, 12, 15)
    world.project1.save()
    # when
    page = client_for(world.users.coordinator).get(f"/projects/{world.project1.pk}/edit/")
    # then: a browser date input only takes YYYY-MM-DD
    assert 'value="2026-12-15"' in page.content.decode()
