"""The case page, its drill-down and its API: figures shown, bad input refused naming the
field (422), every read scoped, a pinned number of queries."""

from __future__ import annotations

import pytest

from tests import factories as f

from . import casepage_world

PAGE, CASES, API = "/analytics/case/", "/analytics/case/cases/", "/api/v1/analytics/case"
PERIOD = "region=440306&start=2025-01-01"


@pytest.fixture
def built(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return casepage_world.build(world)


def test_page_sets_each_figure_beside_the_seed(client_for, world, built):
    # when
    response = client_for(world.users.coordinator).get(f"{PAGE}?{PERIOD}")
    # then every figure, the seed's sentence and the drill-down links are there (zh-Hans)
    body = response.content.decode()
    assert response.status_code == 200
    assert "141" in body and "压缩办事时间300余天" in body and "47.3%" in body
    assert "20 → 12" in body  # the template: serial → parallel
    assert "/analytics/case/cases/?figure=batch_starts" in body
    assert "无数据" in body  # the target of the year: none entered


def test_page_defaults_to_the_users_district_and_the_case_period(client_for, world, built):
    response = client_for(world.users.coordinator).get(PAGE)
    assert response.status_code == 200
    choice = response.context["choice"]
    assert choice["region"] == world.baoan and str(choice["start"]) == "2021-11-01"
    assert choice["days"] == 70 and choice["template"] == "slope"


def test_page_in_english(client_for, world, built):
    client = client_for(world.users.coordinator)
    client.cookies["django_language"] = "en"
    body = client.get(f"{PAGE}?{PERIOD}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "In the case" in body and "no data" in body


@pytest.mark.parametrize(
    "query, field",
    [
        ("region=440305", "region"),  # another district
        ("start=2025-05-01&end=2025-04-01", "end"),
        ("start=2999-01-01", "start"),
        ("days=0", "days"),
        ("days=abc", "days"),
        ("template=nope", "template"),
        ("start=2025-13-01", "start"),
    ],
)
def test_bad_choices_are_refused_naming_the_field(client_for, world, built, query, field):
    client = client_for(world.users.coordinator)
    # when the page is asked
    page = client.get(f"{PAGE}?{query}")
    # then 422 with the form's error on the field
    assert page.status_code == 422
    assert field in page.context["form"].errors
    # and the API answers 422 naming it
    api = client.get(f"{API}?{query}")
    assert api.status_code == 422
    assert field in [d["loc"][-1] for d in api.json()["detail"]]


def test_drill_down_lists_the_cases_behind_a_figure(client_for, world, built):
    client = client_for(world.users.coordinator)
    # when
    response = client.get(f"{CASES}?figure=batch_starts&{PERIOD}")
    # then p1 and p2 (started within 70 days of the batch), not p4
    assert response.status_code == 200
    assert set(response.context["page"].object_list) == {built.p1, built.p2}
    # a figure without cases (a sum) is not found; an unknown figure is refused
    assert client.get(f"{CASES}?figure=matters_and_problems&{PERIOD}").status_code == 404
    assert client.get(f"{CASES}?figure=nope&{PERIOD}").status_code == 422
    assert client.get(CASES).status_code == 200  # nothing chosen: the form to choose
    for key in ("eia_joint", "tickets_handled", "reform_items", "reform_documents", "days_saved"):
        assert client.get(f"{CASES}?figure={key}&{PERIOD}").status_code == 200, key


def test_company_sees_its_share_only(client_for, world, built):
    client = client_for(world.users.company)
    # when
    data = client.get(f"{API}?{PERIOD}").json()
    figs = {r["key"]: r for r in data["figures"]}
    # then its own project only; no batch, no register
    assert figs["projects_served"]["value"] == 1
    assert figs["batch_starts"]["value"] is None and figs["reform_items"]["value"] is None
    # and the drill-down of a figure lists only its projects
    listed = client.get(f"{CASES}?figure=approvals_handled&{PERIOD}").context["page"]
    assert {a.project_id for a in listed} == {built.p1.pk}


def test_api_figures_match_the_hand_computation(client_for, world, built):
    data = client_for(world.users.leader).get(f"{API}?{PERIOD}&days=71").json()
    figs = {r["key"]: r for r in data["figures"]}
    assert data["days"] == 71 and data["region"] == "440306"
    assert (figs["batch_starts"]["value"], figs["batch_share"]["value"]) == (3, 75.0)
    assert figs["template_days"]["before"] == 20 and figs["template_days"]["seed_before"] == 141
    assert figs["days_saved"]["value"] == 8 and figs["days_saved_weighted"]["value"] == 20
    assert figs["days_saved"]["link"].startswith("/analytics/case/cases/?figure=days_saved")


def test_anonymous(client, db):
    assert client.get(API).status_code == 401
    assert client.get(PAGE).status_code == 302


def test_query_count_is_pinned(client_for, world, built, django_assert_max_num_queries):
    client = client_for(world.users.coordinator)
    for _ in range(15):
        f.ProjectFactory(owner=world.org2)
    # 35 for the page (session, second factor, form choices, the figures), +1: the calendar
    # cache's occasional check; as many whatever the number of projects
    with django_assert_max_num_queries(36):
        assert client.get(f"{PAGE}?{PERIOD}").status_code == 200
    with django_assert_max_num_queries(36):
        assert client.get(f"{API}?{PERIOD}").status_code == 200
