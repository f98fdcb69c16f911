"""Accounts: tokens, the departments endpoint, and who sees which regions."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from greenlight.accounts.models import ApiToken, Department, Region

pytestmark = pytest.mark.django_db


def test_token_command_prints_a_working_token(client, world):
    # when
    out = StringIO()
    call_command("token", "create", "company1", stdout=out)
    raw = out.getvalue().strip()
    # then
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["role"] == "company"
    assert ApiToken.objects.get(user=world.users.company).digest != raw  # only the hash is kept


def test_revoked_tokens_stop_working(client, world):
    _, raw = ApiToken.issue(user=world.users.company)
    call_command("token", "revoke", "company1", stdout=StringIO())
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_token_for_unknown_user_is_a_clear_error(world):
    with pytest.raises(CommandError, match="no active user named 'ghost'"):
        call_command("token", "create", "ghost")


def test_departments_endpoint_is_scoped_to_the_region(client_for, client, world):
    from tests.factories import DepartmentFactory

    DepartmentFactory(region=world.nanshan, kind="water", name="南山区水务局")
    assert client.get("/api/v1/departments").status_code == 401
    names = {d["name"] for d in client_for(world.users.company).get("/api/v1/departments").json()}
    assert names == {"宝安区生态环境局", "宝安区水务局"}
    names = {d["name"] for d in client_for(world.users.province).get("/api/v1/departments").json()}
    assert "南山区水务局" in names


def test_organizations_endpoint_shows_a_company_only_itself(client_for, world):
    rows = client_for(world.users.company).get("/api/v1/organizations").json()
    assert [r["id"] for r in rows] == [world.org1.pk]


def test_region_prefix_covers_the_subtree(world):
    assert set(Region.objects.visible_to(world.users.province).values_list("code", flat=True)) == {
        "440000",
        "440300",
        "440306",
        "440305",
    }
    assert list(
        Region.objects.visible_to(world.users.coordinator).values_list("code", flat=True)
    ) == ["440306"]


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Department.objects.visible_to(AnonymousUser()).exists()
