"""Changing a registered project's matters (add, remove, with reasons, audited and replanned),
what the plan pages say to a project without matters, and editing a registered record."""

import json

import pytest
from django.urls import reverse

from greenlight.audit.models import AuditEvent
from greenlight.kernel.errors import DomainError
from greenlight.projects import services

from .intake import bearer as _bearer
from .intake import form as _form
from .intake import record, seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(world):
    seed(world)
    return services.create_project(data=record(world), actor=world.users.coordinator)


def test_coordinator_adds_a_matter_with_a_reason_audited_and_replanned(
    client_for, world, registered
):
    client = client_for(world.users.coordinator)
    before = registered.approvals.count()
    response = client.post(
        reverse("projects:matter_add", args=[registered.pk]),
        {"matter": "TR-02", "reason": "市政接驳须挖掘新沙路"},
        follow=True,
    )
    assert response.status_code == 200
    added = registered.approvals.get(matter__code="TR-02")
    assert registered.approvals.count() == before + 1 and added.planned_start is not None
    # every approval, registered or added, carries the project's region (the lights read it)
    assert set(registered.approvals.values_list("region_id", flat=True)) == {registered.region_id}
    event = AuditEvent.objects.get(action="project_matter_added", object_id=str(registered.pk))
    assert event.changes["matter"] == "TR-02" and event.changes["reason"] == "市政接驳须挖掘新沙路"
    assert event.actor == world.users.coordinator


def test_coordinator_removes_a_matter_not_started_with_a_reason(client_for, world, registered):
    client = client_for(world.users.coordinator)
    approval = registered.approvals.get(matter__code="PL-03")
    response = client.post(
        reverse("projects:matter_remove", args=[registered.pk, approval.pk]),
        {"reason": "场地无危险边坡"},
        follow=True,
    )
    assert response.status_code == 200
    assert not registered.approvals.filter(matter__code="PL-03").exists()
    event = AuditEvent.objects.get(action="project_matter_removed", object_id=str(registered.pk))
    assert event.changes == {
        "matter": "PL-03",
        "name": approval.matter.name,
        "reason": "场地无危险边坡",
    }


def test_a_reason_is_required(world, registered):
    with pytest.raises(DomainError) as caught:
        services.add_matter(
            project=registered, matter="TR-02", reason="  ", actor=world.users.coordinator
        )
    assert caught.value.field == "reason"


def test_a_submitted_matter_cannot_be_removed_and_the_reason_says_why(world, registered):
    # given one approval submitted by the owner
    from greenlight.approvals import services as approval_services

    approval = registered.approvals.get(matter__code="DRC-03")
    approval_services.transition(approval=approval, action="submit", actor=world.users.company2)
    # when the coordinator tries to remove it
    with pytest.raises(DomainError) as caught:
        services.remove_matter(
            project=registered, approval=approval, reason="不需要", actor=world.users.coordinator
        )
    # then it is refused naming the matter and its status, and it stays
    message = str(caught.value.message)
    assert (
        caught.value.field == "matter" and approval.matter.name in message and "已提交" in message
    )
    assert registered.approvals.filter(pk=approval.pk).exists()


def test_the_project_page_offers_removal_only_for_matters_not_started(
    client_for, world, registered
):
    from greenlight.approvals import services as approval_services

    submitted = registered.approvals.get(matter__code="DRC-03")
    approval_services.transition(approval=submitted, action="submit", actor=world.users.company2)
    html = (
        client_for(world.users.coordinator)
        .get(reverse("projects:detail", args=[registered.pk]))
        .content.decode()
    )
    assert reverse("projects:matter_remove", args=[registered.pk, submitted.pk]) not in html
    other = registered.approvals.get(matter__code="PL-03")
    assert reverse("projects:matter_remove", args=[registered.pk, other.pk]) in html


def test_an_existing_matter_is_not_added_twice(world, registered):
    with pytest.raises(DomainError) as caught:
        services.add_matter(
            project=registered, matter="HS-05", reason="重复", actor=world.users.coordinator
        )
    assert caught.value.field == "matter" and "已" in str(caught.value.message)


@pytest.mark.parametrize("role", ["approver", "company2", "leader"])
def test_only_coordinators_change_matters(client_for, world, registered, role):
    client = client_for(getattr(world.users, role))
    approval = registered.approvals.get(matter__code="PL-03")
    add = client.post(
        reverse("projects:matter_add", args=[registered.pk]), {"matter": "TR-02", "reason": "x"}
    )
    remove = client.post(
        reverse("projects:matter_remove", args=[registered.pk, approval.pk]), {"reason": "x"}
    )
    assert add.status_code in (403, 404) and remove.status_code in (403, 404)
    assert registered.approvals.filter(pk=approval.pk).exists()
    assert not registered.approvals.filter(matter__code="TR-02").exists()


# -- every plan page for a project without matters ----------------------------------------

PLAN_PAGES = [
    "charts/combined/",
    "charts/service/",
    "charts/push/",
    "charts/coordination/",
    "charts/backward/",
    "charts/combined.svg",
    "charts/push.svg",
    "plan/edit/",
    "plan/versions/",
    "plan.json",
    "plan.xlsx",
    "plan.bpmn",
]


@pytest.fixture
def bare(world):
    """A major project registered in a category without template (the catalog is empty)."""
    return services.create_project(
        data=record(world, is_major=True, land_acquired_on="2027-03-01"),
        actor=world.users.coordinator,
    )


@pytest.mark.parametrize("path", PLAN_PAGES)
def test_every_plan_page_of_a_project_without_matters_says_what_to_do(
    client_for, world, bare, path
):
    client = client_for(world.users.coordinator)
    response = client.get(f"/projects/{bare.pk}/{path}", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "尚无审批事项：请添加事项" in html
    assert reverse("projects:matter_add", args=[bare.pk]) in html


def test_the_charts_entry_redirects_to_the_hint_too(client_for, world, bare):
    response = client_for(world.users.coordinator).get(f"/projects/{bare.pk}/charts/", follow=True)
    assert response.status_code == 200 and "尚无审批事项" in response.content.decode()


def test_the_owner_sees_the_hint_without_the_form(client_for, world):
    project = services.create_project(data=record(world, owner=None), actor=world.users.company)
    html = (
        client_for(world.users.company).get(f"/projects/{project.pk}/charts/push/").content.decode()
    )
    assert "尚无审批事项" in html and 'name="reason"' not in html


def test_adding_the_first_matter_makes_the_charts_appear(client_for, world, bare):
    from tests import factories as f

    f.MatterFactory(code="EC-09", name="环评测试事项")
    client = client_for(world.users.coordinator)
    client.post(
        reverse("projects:matter_add", args=[bare.pk]),
        {"matter": "EC-09", "reason": "补登", "next": f"/projects/{bare.pk}/charts/combined/"},
    )
    html = client.get(f"/projects/{bare.pk}/charts/combined/").content.decode()
    assert "<svg" in html and "尚无审批事项" not in html


def test_the_plan_editor_opens_for_a_registered_major_project(client_for, world):
    seed(world)
    project = services.create_project(
        data=record(world, is_major=True), actor=world.users.coordinator
    )
    response = client_for(world.users.coordinator).get(f"/projects/{project.pk}/plan/edit/")
    assert response.status_code == 200 and "HS-05" in response.content.decode()


# -- editing --------------------------------------------------------------------------------


def test_editing_fills_the_record_of_an_older_project(client_for, world):
    # given a project registered before the record fields existed
    client = client_for(world.users.coordinator)
    url = reverse("projects:edit", args=[world.project1.pk])
    form = client.get(url).context["form"]
    assert form["owner"].value() in (world.org1.pk, world.org1.name)
    assert world.org1.name in client.get(url).content.decode()
    # when the coordinator fills them in
    data = _form(world, code=world.project1.code, owner=world.org1.name, name="鹏鼎园区扩建项目")
    data.pop("optional_matters", None)
    response = client.post(url, data)
    # then they are stored and the change is audited
    assert response.status_code == 302, response.context["form"].errors
    world.project1.refresh_from_db()
    assert world.project1.location == "深圳市宝安区沙井街道新沙路"
    assert world.project1.construction_nature == "new"
    event = AuditEvent.objects.filter(action="project_updated", object_id=str(world.project1.pk))
    assert "location" in event.get().changes


def test_a_change_may_not_empty_a_record_field(world):
    project = services.create_project(data=record(world), actor=world.users.coordinator)
    with pytest.raises(DomainError) as caught:
        services.update_project(
            project=project, data={"location": " "}, actor=world.users.coordinator
        )
    assert caught.value.field == "location"


def test_changing_the_code_to_an_unknown_division_is_refused(world):
    project = services.create_project(data=record(world), actor=world.users.coordinator)
    with pytest.raises(DomainError) as caught:
        services.update_project(
            project=project,
            data={"code": "2611-440399-04-01-654321"},
            actor=world.users.coordinator,
        )
    assert caught.value.field == "code" and "440399" in str(caught.value.message)


def test_the_api_adds_and_removes_a_matter(client, world, registered):
    headers = _bearer(world.users.coordinator)
    added = client.post(
        f"/api/v1/projects/{registered.pk}/matters",
        json.dumps({"matter": "TR-02", "reason": "市政接驳"}),
        content_type="application/json",
        **headers,
    )
    assert added.status_code == 201 and added.json()["planned_start"]
    removed = client.post(
        f"/api/v1/projects/{registered.pk}/matters/TR-02/remove",
        json.dumps({"reason": "改为不占道施工"}),
        content_type="application/json",
        **headers,
    )
    assert removed.status_code == 204
    assert not registered.approvals.filter(matter__code="TR-02").exists()
    refused = client.post(
        f"/api/v1/projects/{registered.pk}/matters",
        json.dumps({"matter": "TR-02", "reason": "x"}),
        content_type="application/json",
        **_bearer(world.users.approver),
    )
    assert refused.status_code == 403


def test_the_plan_api_of_a_project_without_matters_says_what_to_do(client, world, bare):
    response = client.get(f"/api/v1/projects/{bare.pk}/plan", **_bearer(world.users.coordinator))
    assert response.status_code == 409
    assert response.json()["detail"][0]["msg"] == "尚无审批事项：请添加事项"
