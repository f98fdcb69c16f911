"""Plan pages: the "3+1" views, 拿地即开工, the editor, versions, exports; who sees what."""

import io
import json
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from greenlight.engine import planfile
from greenlight.plans import editing as plan_editing
from greenlight.plans import selectors as plan_selectors
from greenlight.plans import services as plan_services
from greenlight.plans.models import PlanVersion

from .plan_fixtures import build_plan_world, late_enough

VIEWS = ["combined", "service", "push", "coordination"]


@pytest.fixture
def plan(world):
    return build_plan_world(world)


def chart_url(project, view="combined"):
    return reverse("plans:chart", args=[project.pk, view])


def test_anonymous_is_sent_to_login(client, plan):
    response = client.get(chart_url(plan.project))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("who", ["coordinator", "approver", "company", "leader"])
def test_everyone_who_sees_the_project_sees_its_charts(client_for, world, plan, who, view):
    # when a user who can see the project opens a view
    response = client_for(getattr(world.users, who)).get(chart_url(plan.project, view))
    # then it renders, in Chinese, with the SVG inline
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "串联" in body


def test_a_company_lands_on_its_checklist(client_for, world, plan):
    response = client_for(world.users.company).get(reverse("plans:charts", args=[plan.project.pk]))
    assert response["Location"] == chart_url(plan.project, "push")
    page = client_for(world.users.company).get(chart_url(plan.project, "push")).content.decode()
    assert "准备材料并申报" in page and "申请表" in page


@pytest.mark.parametrize("who", ["company2", "nanshan"])
def test_other_tenants_get_404(client_for, world, plan, who):
    c = client_for(getattr(world.users, who))
    assert c.get(chart_url(plan.project)).status_code == 404
    assert c.get(reverse("plans:charts", args=[plan.project.pk])).status_code == 404
    assert c.get(reverse("plans:export", args=[plan.project.pk, "json"])).status_code == 404


def test_svg_download(client_for, world, plan):
    response = client_for(world.users.approver).get(
        reverse("plans:chart-svg", args=[plan.project.pk, "coordination"])
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"<svg")


def test_backward_plan_shows_the_verdict_and_latest_starts(client_for, world, plan):
    # given a land date too early for the plan
    url = reverse("plans:backward", args=[plan.project.pk])
    response = client_for(world.users.company).get(url, {"land": "2026-03-10"})
    body = response.content.decode()
    # then the verdict says how many days it falls short, and the table lists latest starts
    assert response.status_code == 200
    assert 'class="verdict late"' in body and "差" in body
    assert "须在拿地前开始" in body
    # and with a late enough date it is feasible
    ok = client_for(world.users.company).get(url, {"land": late_enough()}).content.decode()
    assert 'class="verdict ok"' in ok


def test_coordinator_saves_the_land_date_and_the_project_page_shows_the_verdict(
    client_for, world, plan
):
    url = reverse("plans:backward", args=[plan.project.pk])
    c = client_for(world.users.coordinator)
    response = c.post(url, {"land": "2026-03-10"})
    assert response.status_code == 302
    plan.project.refresh_from_db()
    assert plan.project.land_acquired_on == date(2026, 3, 10)
    detail = c.get(reverse("projects:detail", args=[plan.project.pk])).content.decode()
    assert 'class="verdict late"' in detail and chart_url(plan.project) in detail


def test_an_approver_may_not_save_the_land_date(client_for, world, plan):
    url = reverse("plans:backward", args=[plan.project.pk])
    assert client_for(world.users.approver).post(url, {"land": "2026-03-10"}).status_code == 403


@pytest.mark.parametrize(
    "who, status", [("approver", 403), ("company", 403), ("leader", 403), ("coordinator", 200)]
)
def test_only_coordinators_edit_plans(client_for, world, plan, who, status):
    url = reverse("plans:edit", args=[plan.project.pk])
    assert client_for(getattr(world.users, who)).get(url).status_code == status


def test_custom_plans_are_for_major_projects(client_for, world, plan):
    url = reverse("plans:edit", args=[world.project2.pk])
    assert client_for(world.users.coordinator).get(url).status_code == 403


def _form(world, plan, **extra):
    doc = plan_editing.initial_document(
        plan.project, user=world.users.coordinator, today=date(2026, 3, 2)
    )
    return {"document": json.dumps(doc), "bundles_shown": "1", **extra}


def test_an_edit_recomputes_live(client_for, world, plan):
    # when the coordinator shortens B through HTMX
    c = client_for(world.users.coordinator)
    url = reverse("plans:edit", args=[plan.project.pk])
    before = c.post(url, _form(world, plan), HTTP_HX_REQUEST="true").content.decode()
    after = c.post(url, _form(world, plan, **{"dur_B-1": "1"}), HTTP_HX_REQUEST="true")
    # then a fragment comes back with the new figures, and nothing was saved
    body = after.content.decode()
    assert after.status_code == 200 and "<html" not in body and "<svg" in body
    assert body != before and 'value="1"' in body
    assert PlanVersion.objects.count() == 0


def test_an_edit_making_a_cycle_is_refused_naming_the_matter(client_for, world, plan):
    c = client_for(world.users.coordinator)
    url = reverse("plans:edit", args=[plan.project.pk])
    saved = plan_services.save_version(
        project=plan.project,
        document=json.loads(_form(world, plan)["document"]),
        actor=world.users.coordinator,
    )
    # when A is made to wait for D (D waits for A) and saved
    response = c.post(url, _form(world, plan, **{"after_A-1": "D-1", "save": "1"}))
    # then the page names the matters of the cycle and the saved plan is unchanged
    body = response.content.decode()
    assert response.status_code == 400 and "甲事项" in body and "丁事项" in body
    assert plan_selectors.latest_version(plan.project) == saved


def test_an_edit_with_a_negative_duration_is_refused(client_for, world, plan):
    c = client_for(world.users.coordinator)
    url = reverse("plans:edit", args=[plan.project.pk])
    response = c.post(url, _form(world, plan, **{"dur_C-1": "-2", "save": "1"}))
    assert response.status_code == 400 and "丙事项" in response.content.decode()
    assert PlanVersion.objects.count() == 0


def test_add_matter_early_link_remove_and_save(client_for, world, plan):
    c = client_for(world.users.coordinator)
    url = reverse("plans:edit", args=[plan.project.pk])
    form = _form(world, plan, add_matter="E-1", ss_from="A-1", ss_to="D-1", ss_lag="2",
                 **{"remove_C-1": "1", "save": "1", "note": "提前介入"})  # fmt: skip
    response = c.post(url, form)
    assert response.status_code == 302
    version = plan_selectors.latest_version(plan.project)
    tasks = {t["id"]: t for t in version.document["tasks"]}
    assert "E-1" in tasks and "C-1" not in tasks
    assert {"task": "A-1", "type": "SS", "lag": 2} in tasks["D-1"]["after"]
    assert version.note == "提前介入" and version.created_by == world.users.coordinator


def test_versions_list_compare_and_restore(client_for, world, plan, django_assert_max_num_queries):
    doc = json.loads(_form(world, plan)["document"])
    plan_services.save_version(project=plan.project, document=doc, actor=world.users.coordinator)
    doc["tasks"][1]["duration"] = 1
    plan_services.save_version(project=plan.project, document=doc, actor=world.users.coordinator)
    url = reverse("plans:versions", args=[plan.project.pk])
    c = client_for(world.users.leader)
    with django_assert_max_num_queries(12):
        body = c.get(url, {"a": 1, "b": 2}).content.decode()
    assert "v1" in body and "v2" in body and 'id="compare"' in body
    restore = reverse("plans:restore", args=[plan.project.pk, 1])
    assert c.post(restore).status_code == 403
    assert client_for(world.users.coordinator).post(restore).status_code == 302
    assert plan_selectors.latest_version(plan.project).restored_from == 1


def test_exports(client_for, world, plan):
    c = client_for(world.users.company)
    js = c.get(reverse("plans:export", args=[plan.project.pk, "json"]))
    parsed = planfile.load(js.content.decode())  # `greenlight plan` reads it
    assert {t.id for t in parsed.tasks} == {"A-1", "B-1", "C-1", "D-1"}
    xlsx = c.get(reverse("plans:export", args=[plan.project.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == plan.project.name
    assert any(row[0] == "D-1" for row in sheet.iter_rows(values_only=True))
    bpmn = c.get(reverse("plans:export", args=[plan.project.pk, "bpmn"]))
    assert b"bpmn:definitions" in bpmn.content and b"parallelGateway" in bpmn.content
    assert c.get(reverse("plans:export", args=[plan.project.pk, "pdf"])).status_code == 404


def test_template_overview(client, client_for, world, plan):
    from greenlight.catalog.models import Template, TemplateItem

    t = Template.objects.create(code="tpl", name="测试模板", category="social_industry")
    for k, m in enumerate(vars(plan.matters).values()):
        TemplateItem.objects.create(template=t, matter=m, position=k)
    assert client.get("/templates/").status_code == 302
    c = client_for(world.users.company)
    listing = c.get("/templates/").content.decode()
    assert "测试模板" in listing and "甲事项" in listing  # on the critical path
    detail = c.get("/templates/tpl/service/")
    assert detail.status_code == 200 and "甲事项" in detail.content.decode()
    assert c.get("/templates/tpl/push.svg")["Content-Type"] == "image/svg+xml"
    assert c.get("/templates/nope/").status_code == 404
