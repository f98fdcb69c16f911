"""Registration by every channel ends in one service: approvals open from the template at once
(optional matters when ticked), the project is planned, the code's division must be known."""

import json

import pytest
from django.urls import reverse

from greenlight.approvals.models import Approval
from greenlight.catalog.models import Template
from greenlight.kernel.errors import DomainError
from greenlight.projects import services
from greenlight.projects.models import Project
from greenlight.projects.phones import normalize_phone

from .intake import bearer as _bearer
from .intake import form as _form
from .intake import record, seed

pytestmark = pytest.mark.django_db


def _required_codes(category: str) -> set[str]:
    template = Template.objects.get(category=category)
    return set(template.items.filter(optional=False).values_list("matter__code", flat=True))


# -- the web form --------------------------------------------------------------------------


def test_form_registration_opens_the_templates_approvals_and_plans_them(client_for, world):
    # given the seed catalog and Bao'an's departments
    seed(world)
    client = client_for(world.users.coordinator)

    # when the coordinator registers a project in the form, picking the owner by name
    response = client.post(reverse("projects:create"), _form(world))

    # then it has the template's required approvals, each planned, and a forecast start
    assert response.status_code == 302
    project = Project.objects.get(code="2611-440306-04-01-654321")
    assert project.owner == world.org2 and project.template.code == "social_industry"
    codes = set(project.approvals.values_list("matter__code", flat=True))
    assert codes == _required_codes("social_industry")
    assert not project.approvals.filter(planned_start__isnull=True).exists()
    assert project.forecast_start is not None
    # and its page lists them with the serial versus parallel summary of the plan
    page = client.get(response.url).content.decode()
    assert "串联" in page and "并联" in page and "节省" in page
    assert "暂无审批事项" not in page and "建筑工程施工许可证核发" in page


def test_the_page_shows_the_record_fields(client_for, world):
    seed(world)
    client = client_for(world.users.coordinator)
    response = client.post(reverse("projects:create"), _form(world))
    page = client.get(response.url).content.decode()
    for text in (
        "深圳市宝安区沙井街道新沙路",
        "新建",
        "新建厂房3栋",
        "社会投资",
        "李工",
        "13812345678",
    ):
        assert text in page


def test_the_form_shows_the_code_format_and_the_owner_picker(client_for, world):
    client = client_for(world.users.coordinator)
    html = client.get(reverse("projects:create")).content.decode()
    assert "GB/T 40058-2021" in html and "YYMM-RRRRRR-DD-TT-NNNNNC" in html and "440306" in html
    assert 'list="owner-options"' in html and world.org1.name in html
    assert "建设地点" in html and "建设性质" in html and "资金来源" in html


def test_the_owner_search_lists_only_visible_owners(client_for, world):
    client = client_for(world.users.coordinator)
    html = client.get(reverse("projects:owner_options"), {"owner": "魏桥"}).content.decode()
    assert world.org2.name in html and world.org1.name not in html
    html = client.get(reverse("projects:owner_options"), {"owner": "南山"}).content.decode()
    assert world.org_ns.name not in html


def test_an_unknown_owner_is_refused_on_the_owner_field(client_for, world):
    client = client_for(world.users.coordinator)
    response = client.post(reverse("projects:create"), _form(world, owner=world.org_ns.name))
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors


def test_a_category_without_template_registers_with_the_hint(client_for, world):
    # given a catalog without templates
    client = client_for(world.users.coordinator)
    # when a project is registered
    response = client.post(reverse("projects:create"), _form(world), follow=True)
    # then it has no approvals and its page says what to do, with the form to add one
    html = response.content.decode()
    assert "尚无审批事项：请添加事项" in html and 'name="reason"' in html


# -- the API ---------------------------------------------------------------------------------


def test_api_registration_opens_and_plans_the_approvals(client, world):
    seed(world)
    response = client.post(
        "/api/v1/projects",
        json.dumps(record(world, optional_matters=[])),
        content_type="application/json",
        **_bearer(world.users.coordinator),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {a["matter_code"] for a in body["approvals"]} == _required_codes("social_industry")
    assert all(a["planned_start"] and a["planned_finish"] for a in body["approvals"])
    assert body["forecast_start"] and body["template"] == "social_industry"
    assert body["location"] == "深圳市宝安区沙井街道新沙路" and body["funding_source"] == "social"
    plan = client.get(f"/api/v1/projects/{body['id']}/plan", **_bearer(world.users.coordinator))
    assert plan.status_code == 200 and plan.json()["result"]["saved_days"] > 0


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"location": ""}, "location"),
        ({"construction_nature": "rebuild"}, "construction_nature"),
        ({"funding_source": "lottery"}, "funding_source"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"code": "2611-449999-04-01-654321"}, "code"),
        ({"optional_matters": ["HS-05"]}, "optional_matters"),
    ],
)
def test_api_refuses_bad_record_fields_naming_them(client, world, override, field):
    seed(world)
    before = Project.objects.count()
    response = client.post(
        "/api/v1/projects",
        json.dumps(record(world, **override)),
        content_type="application/json",
        **_bearer(world.users.coordinator),
    )
    assert response.status_code in (400, 422)
    assert response.json()["detail"][0]["loc"][-1] == field
    assert (
        Project.objects.count() == before
        and not Approval.objects.filter(project__code=record(world, **override)["code"]).exists()
    )


def test_a_company_may_not_choose_optional_matters(world):
    seed(world)
    data = record(world, owner=None, category="small_low_risk", optional_matters=["WA-01"])
    with pytest.raises(DomainError) as caught:
        services.create_project(data=data, actor=world.users.company)
    assert caught.value.field == "optional_matters" and caught.value.status == 403


def test_company_registers_for_itself_and_sees_only_its_own(client, world):
    # given the catalog, company1 registers through the API
    seed(world)
    response = client.post(
        "/api/v1/projects",
        json.dumps(record(world, owner=None)),
        content_type="application/json",
        **_bearer(world.users.company),
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    # then the project is its own, with approvals, and another company cannot see it
    assert response.json()["owner_id"] == world.org1.pk and response.json()["approvals"]
    other = _bearer(world.users.company2)
    assert client.get(f"/api/v1/projects/{pk}", **other).status_code == 404
    assert pk not in [p["id"] for p in client.get("/api/v1/projects", **other).json()["items"]]
    assert client.get(f"/api/v1/projects/{pk}/plan", **other).status_code == 404


# -- the code's division ------------------------------------------------------------------


def test_a_division_the_platform_does_not_know_is_refused_naming_it(world):
    with pytest.raises(DomainError) as caught:
        services.create_project(
            data=record(world, code="2611-440399-04-01-654321"), actor=world.users.coordinator
        )
    assert caught.value.field == "code" and "440399" in str(caught.value.message)
    assert "不是本平台已知的行政区划" in str(caught.value.message)


def test_a_division_outside_the_users_region_is_refused(world):
    with pytest.raises(DomainError) as caught:
        services.create_project(
            data=record(world, code="2611-440305-04-01-654321"), actor=world.users.coordinator
        )
    assert caught.value.field == "code" and "440305" in str(caught.value.message)
    assert "宝安区" in str(caught.value.message)


def test_the_old_code_format_is_checked_for_its_division_too(world):
    with pytest.raises(DomainError) as caught:
        services.create_project(
            data=record(world, code="2018-449900-47-03-012345"), actor=world.users.coordinator
        )
    assert caught.value.field == "code" and "449900" in str(caught.value.message)


def test_a_province_coordinator_registers_in_the_division_the_code_names(world):
    # given a coordinator of the province
    from tests import factories as f

    user = f.UserFactory(role="coordinator", region=world.province)
    # when it registers a Nanshan project (a division below its region)
    project = services.create_project(
        data=record(world, code="2611-440305-04-01-111111", owner=world.org_ns.pk), actor=user
    )
    # then the project is Nanshan's
    assert project.region == world.nanshan


# -- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("0755-29991234", "0755-29991234"),
        ("(0755) 2999 1234", "0755-29991234"),
        ("010-12345678-801", "010-12345678-801"),
        ("075529991234", "0755-29991234"),
    ],
)
def test_mainland_mobile_and_landline_numbers_are_accepted(raw, stored):
    assert normalize_phone(raw) == (stored, None)


@pytest.mark.parametrize("raw", ["12345", "23812345678", "1381234567", "0755-123", "电话"])
def test_other_numbers_are_refused(raw):
    assert normalize_phone(raw)[1]


def test_a_bad_phone_on_the_form_names_the_field(client_for, world):
    client = client_for(world.users.coordinator)
    response = client.post(reverse("projects:create"), _form(world, contact_phone="8888"))
    assert "contact_phone" in response.context["form"].errors
    assert "手机号" in " ".join(response.context["form"].errors["contact_phone"])


# -- optional matters -----------------------------------------------------------------------


def test_optional_matters_open_only_when_ticked(world):
    # given the seed, where 占道挖掘 (TR-02) is optional for government buildings
    seed(world)
    base = record(world, category="gov_building", industry="education", funding_source="fiscal")
    # when one project ticks it and another does not
    ticked = services.create_project(
        data={**base, "optional_matters": ["TR-02"]}, actor=world.users.coordinator
    )
    plain = services.create_project(
        data={**base, "code": "2611-440306-04-01-777777"}, actor=world.users.coordinator
    )
    # then only the first has it, and both have every required matter
    assert ticked.approvals.filter(matter__code="TR-02").exists()
    assert not plain.approvals.filter(matter__code="TR-02").exists()
    assert plain.approvals.count() == len(_required_codes("gov_building"))
    assert ticked.approvals.count() == plain.approvals.count() + 1


def test_the_form_offers_the_optional_matters_of_the_category(client_for, world):
    seed(world)
    client = client_for(world.users.coordinator)
    html = client.get(reverse("projects:optional_matters"), {"category": "linear"}).content.decode()
    assert "WA-03" in html and "TR-03" in html and "TR-02" not in html
    response = client.post(
        reverse("projects:create"),
        _form(world, category="small_low_risk", optional_matters=["WA-01"]),
    )
    assert response.status_code == 302
    project = Project.objects.get(code="2611-440306-04-01-654321")
    assert project.approvals.filter(matter__code="WA-01").exists()


# -- adding and removing matters ----------------------------------------------------------
