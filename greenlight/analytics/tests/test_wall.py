"""The wall screen's data: the dashboard as JSON for its in-place refresh, and its interval."""

import re

import pytest
from django.utils import timezone

from greenlight.projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_dashboard_as_json_has_the_charts_tiles_table_and_time(client_for, world, scenario):
    # when the wall screen asks for its figures
    response = client_for(world.users.leader).get("/analytics/?wall=1&format=json")
    # then they come as JSON: the charts' data, the tiles and the table rendered, the time
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert {"funnel", "starts", "investment", "lights", "year", "links"} <= set(body["charts"])
    assert 'class="tile red"' in body["tiles"] and "<table" in body["majors"]
    assert re.fullmatch(r"\d\d:\d\d", body["updated"])
    assert body["updated"] == f"{timezone.localtime():%H:%M}" or body["updated"] < "00:02"


def test_a_company_gets_only_its_share_as_json(client_for, world, scenario):
    # when the company and the office ask for the figures
    mine = client_for(world.users.company).get("/analytics/?format=json").json()
    office = client_for(world.users.coordinator).get("/analytics/?format=json").json()
    # then the company's count only its own projects
    own = Project.objects.visible_to(world.users.company).count()
    assert sum(s["n"] for s in mine["charts"]["funnel"]) == own
    assert own < sum(s["n"] for s in office["charts"]["funnel"])


@pytest.mark.parametrize(("query", "every"), [("", 300), ("&refresh=5", 5), ("&refresh=0", 1),
                                               ("&refresh=x", 300), ("&refresh=99999", 3600)])  # fmt: skip
def test_the_wall_refreshes_every_five_minutes_unless_told(client_for, world, query, every):
    page = client_for(world.users.leader).get(f"/analytics/?wall=1{query}").content.decode()
    assert f'data-refresh="{every}"' in page
    assert 'data-source="/analytics/?wall=1' in page and "format=json" in page
    assert "更新于" in page
