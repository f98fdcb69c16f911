"""The project list answered from `.values()` rows is byte for byte what ninja's validated path
gives for the same projects (every field, masked and clear phones, empty relations), and its
OpenAPI description is the one `@paginate(PageNumberPagination)` gives."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from ninja import NinjaAPI, Query, Router
from ninja.pagination import PageNumberPagination, paginate

from greenlight.accounts.models import Subdistrict
from greenlight.kernel import api_contract, api_input
from greenlight.projects import selectors
from greenlight.projects.api import ProjectFilterIn, ProjectOut
from greenlight.site.api import api
from tests import factories as f
from tests.api_rows import as_ninja_renders, bearer, validated

pytestmark = pytest.mark.django_db


def _varied(world) -> None:
    street = Subdistrict.objects.create(region=world.baoan, name="新安街道")
    f.ProjectFactory(
        owner=world.org1,
        subdistrict=street,
        contact_name="张三",
        contact_phone="13812345678",
        land_area=Decimal("12.3400"),
        total_investment=Decimal("98765.43"),
        is_major=True,
        land_acquired_on=date(2025, 1, 6),
        planned_start=date(2026, 3, 2),
        stage_override_reason="用地调整",
    )
    for _ in range(3):
        f.ProjectFactory(owner=world.org2, contact_phone="075512345")


@pytest.mark.parametrize("who", ["coordinator", "leader", "company"])
@pytest.mark.parametrize("query", ["", "?page=2&page_size=2", "?major=true"])
def test_list_bytes_equal_the_validated_path(client, world, who, query):
    _varied(world)
    user = getattr(world.users, who)
    response = client.get(f"/api/v1/projects{query}", **bearer(user))
    assert response.status_code == 200
    qs = selectors.project_list(
        user=user, filters=selectors.ProjectFilter(major=True if "major" in query else None)
    )
    rows = list(qs[2:4]) if "page=2" in query else list(qs[:50])
    expected = {"items": validated(ProjectOut, rows, user=user), "count": qs.count()}
    assert response.content == as_ninja_renders(expected)
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_the_openapi_entry_is_ninjas_paginate():
    router = Router(tags=["projects"])

    @router.get("/projects", response=list[ProjectOut])
    @paginate(PageNumberPagination, page_size=50)
    def list_projects(request, filters: Query[ProjectFilterIn]):
        """Projects the caller may see, filtered; a company sees only its own."""

    reference = NinjaAPI(urls_namespace="rows_reference")
    reference.add_router("/", router)
    reference.add_decorator(api_input.check_inputs)
    want = api_contract.document(reference.get_openapi_schema(path_prefix="/api/v1/"))
    got = api.get_openapi_schema(path_prefix="/api/v1/")
    ours = got["paths"]["/api/v1/projects"]["get"]
    theirs = want["paths"]["/api/v1/projects"]["get"]
    assert ours["parameters"] == theirs["parameters"]
    assert ours["responses"] == theirs["responses"]
    assert (
        got["components"]["schemas"]["PagedProjectOut"]
        == (want["components"]["schemas"]["PagedProjectOut"])
    )


@pytest.mark.parametrize("who", ["coordinator", "leader", "company"])
def test_detail_bytes_equal_the_validated_path(client, world, who):
    from greenlight.projects.api import ProjectDetailOut, _detail

    _varied(world)
    user = getattr(world.users, who)
    bare = f.ProjectFactory(owner=world.org1, template=None, subdistrict=None, land_area=None)
    busy = world.project1
    f.ApprovalFactory(
        project=busy,
        matter=f.MatterFactory(code="Z-1"),
        planned_start=date(2026, 4, 1),
        planned_finish=date(2031, 6, 2),  # a year whose calendar is not announced yet
        due_at=datetime(2030, 12, 31, 16, 30, tzinfo=UTC),  # 2031-01-01 in Beijing
    )
    for project in (bare, busy):
        response = client.get(f"/api/v1/projects/{project.pk}", **bearer(user))
        assert response.status_code == 200
        project.refresh_from_db()  # as stored, not as the factory left it in memory
        expected = validated(ProjectDetailOut, [_detail(project, user)], user=user)[0]
        assert response.content == as_ninja_renders(expected)
        assert response["Content-Type"] == "application/json; charset=utf-8"
    body = client.get(f"/api/v1/projects/{busy.pk}", **bearer(user)).json()
    assert len(body["approvals"]) == 2
    assert 2031 in body["provisional_years"] and body["calendar_warnings"]
