"""Project pages: each role sees exactly its share."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, world):
    # when
    response = client.get(reverse("projects:list"))
    # then
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_company_lists_only_its_own_projects(client_for, world):
    # given
    client = client_for(world.users.company)
    # when
    response = client.get(reverse("projects:list"))
    # then
    names = [p.name for p in response.context["page"]]
    assert names == [world.project1.name]


@pytest.mark.parametrize("role", ["coordinator", "approver", "leader", "supervisor", "admin"])
def test_staff_list_their_region_only(client_for, world, role):
    # given
    client = client_for(getattr(world.users, role))
    # when
    response = client.get(reverse("projects:list"))
    # then
    ids = {p.pk for p in response.context["page"]}
    assert ids == {world.project1.pk, world.project2.pk}


def test_province_level_user_sees_every_district(client_for, world):
    client = client_for(world.users.province)
    response = client.get(reverse("projects:list"))
    ids = {p.pk for p in response.context["page"]}
    assert ids == {world.project1.pk, world.project2.pk, world.project_ns.pk}


def test_detail_of_another_tenants_project_is_404(client_for, world):
    # given another company's project, and another region's project
    client = client_for(world.users.company)
    # then
    assert client.get(reverse("projects:detail", args=[world.project2.pk])).status_code == 404
    client = client_for(world.users.coordinator)
    assert client.get(reverse("projects:detail", args=[world.project_ns.pk])).status_code == 404


def test_detail_shows_approvals_grouped_by_stage(client_for, world):
    client = client_for(world.users.company)
    response = client.get(reverse("projects:detail", args=[world.project1.pk]))
    assert response.status_code == 200
    assert "环境影响评价报告表审批" in response.content.decode()


def test_filters_by_department_with_pending_approvals(client_for, world):
    # given project1 has a submitted approval at the ecology department
    world.approval1.status = "submitted"
    world.approval1.save()
    client = client_for(world.users.coordinator)
    # when
    response = client.get(reverse("projects:list"), {"department": world.eco.pk})
    # then
    assert [p.pk for p in response.context["page"]] == [world.project1.pk]


def test_search_by_code_and_name(client_for, world):
    client = client_for(world.users.coordinator)
    by_name = client.get(reverse("projects:list"), {"q": "魏桥"}).context["page"]
    by_code = client.get(reverse("projects:list"), {"q": world.project1.code}).context["page"]
    assert [p.pk for p in by_name] == [world.project2.pk]
    assert [p.pk for p in by_code] == [world.project1.pk]


def test_pages_speak_chinese_by_default(client_for, world):
    client = client_for(world.users.coordinator)
    html = client.get(reverse("projects:list")).content.decode()
    assert "项目" in html and 'lang="zh-hans"' in html


def test_list_query_count_is_pinned(client_for, world, django_assert_max_num_queries):
    client = client_for(world.users.coordinator)
    # +1: the district filter's choices; +1: the page's ids read first (kernel/paging.py)
    with django_assert_max_num_queries(12):
        client.get(reverse("projects:list"))


@pytest.mark.parametrize("role", ["approver", "leader", "supervisor", "admin"])
def test_roles_without_the_right_cannot_register_projects(client_for, world, role):
    client = client_for(getattr(world.users, role))
    assert client.get(reverse("projects:create")).status_code == 403


def test_company_cannot_edit_another_companys_project(client_for, world):
    client = client_for(world.users.company)
    assert client.get(reverse("projects:edit", args=[world.project2.pk])).status_code == 404


def _form(world, **overrides):
    data = {
        "code": "2503-440306-04-01-123456",
        "name": "新桥东片区城市更新项目",
        "owner": world.org1.name,
        "category": "social_industry",
        "industry": "manufacturing",
        "construction_nature": "new",
        "location": "深圳市宝安区新桥街道新桥东片区",
        "scale_content": "城市更新，建筑面积30万平方米",
        "funding_source": "social",
        "total_investment": "50000",
        "stage": "planning",
    }
    data.update(overrides)
    return data


def test_coordinator_registers_a_project(client_for, world):
    client = client_for(world.users.coordinator)
    response = client.post(reverse("projects:create"), _form(world))
    assert response.status_code == 302
    from greenlight.projects.models import Project

    project = Project.objects.get(code="2503-440306-04-01-123456")
    assert project.region == world.baoan and project.owner == world.org1


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("code", "2503-440306-04-01-12345", "YYMM-RRRRRR-DD-TT-NNNNNC"),
        ("code", "2513-440306-04-01-123456", "13"),
        ("total_investment", "-5", "0"),
    ],
)
def test_bad_form_input_names_the_field_and_saves_nothing(
    client_for, world, field, value, fragment
):
    from greenlight.projects.models import Project

    client = client_for(world.users.coordinator)
    before = Project.objects.count()
    response = client.post(reverse("projects:create"), _form(world, **{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and fragment in " ".join(errors[field])
    assert Project.objects.count() == before
