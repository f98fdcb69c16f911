"""Pipeline pages: the triad for every page, the flow through forms, pinned query counts."""

import pytest

from greenlight.pipeline import services
from greenlight.pipeline.models import Candidate, Meeting

from .conftest import YEAR

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "/pipeline/",
    "/pipeline/pools/",
    "/pipeline/matching/",
    "/pipeline/decisions/",
    "/pipeline/push/",
]


@pytest.mark.parametrize("url", READ_PAGES + ["/pipeline/candidates/"])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("url", READ_PAGES)
def test_company_and_supervisor_may_not_open_staff_pages(client_for, world, url):
    assert client_for(world.users.company).get(url).status_code == 403
    assert client_for(world.users.supervisor).get(url).status_code == 403


@pytest.mark.parametrize("url", READ_PAGES + ["/pipeline/candidates/"])
def test_readers_open_every_page_in_chinese(client_for, pipeline, world, url):
    services.run_matching(region=world.baoan, year=YEAR, actor=world.users.coordinator)
    for user in (world.users.coordinator, world.users.approver, world.users.leader):
        response = client_for(user).get(f"{url}?year={YEAR}")
        assert response.status_code == 200
    assert "谋划" in response.content.decode() or "要素" in response.content.decode()


def test_matching_page_explains_why(client_for, pipeline, world):
    services.run_matching(region=world.baoan, year=YEAR, actor=world.users.coordinator)
    body = client_for(world.users.leader).get(f"/pipeline/matching/?year={YEAR}").content.decode()
    assert "新桥智造园二期" in body and "土地指标" in body and "约束" in body


def test_candidate_triad(client_for, pipeline, world):
    url = f"/pipeline/candidates/{pipeline.c.pk}/"
    # company2 owns c; company1 does not see it
    assert client_for(world.users.company2).get(url).status_code == 200
    assert client_for(world.users.company).get(url).status_code == 404
    assert client_for(world.users.nanshan).get(url).status_code == 404
    assert client_for(world.users.supervisor).get(url).status_code == 403


def test_company_list_shows_only_its_own(client_for, pipeline, world):
    body = client_for(world.users.company2).get(f"/pipeline/candidates/?year={YEAR}").content
    assert "新桥配套厂房" in body.decode() and "新桥智造园一期" not in body.decode()


def test_company_proposes_through_the_form(client_for, world):
    response = client_for(world.users.company).post(
        f"/pipeline/candidates/new/?year={YEAR}",
        {
            "name": "鹏鼎新材料基地",
            "category": "social_industry",
            "industry": "manufacturing",
            "investment": "56000",
            "funding": "company",
            "land_need": "20000",
            "priority": "4",
            "maturity": ["site", "funding"],
        },
    )
    cand = Candidate.objects.get(name="鹏鼎新材料基地")
    assert response.status_code == 302 and cand.owner == world.org1 and cand.year == YEAR
    assert cand.maturity == ["site", "funding"]


def test_form_names_the_negative_field(client_for, world):
    response = client_for(world.users.coordinator).post(
        "/pipeline/pools/", {"year": YEAR, "kind": "energy", "amount": "-5"}
    )
    assert response.status_code == 400
    assert 'class="field invalid"' in response.content.decode()


def test_only_coordinators_post(client_for, pipeline, world):
    for url in (
        "/pipeline/matching/",
        "/pipeline/targets/issue/",
        "/pipeline/decisions/new/",
        f"/pipeline/candidates/{pipeline.a.pk}/pin/",
    ):
        assert client_for(world.users.leader).post(url, {"year": YEAR}).status_code == 403


def test_meeting_form_decides_and_creates_projects(client_for, pipeline, world):
    client = client_for(world.users.coordinator)
    response = client.post(
        f"/pipeline/decisions/new/?year={YEAR}",
        {
            "title": "第一次决策会",
            "held_on": "2025-03-10",
            "minutes": "同意",
            f"decision_{pipeline.a.pk}": "start",
            f"decision_{pipeline.b.pk}": "reserve",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert client.get(f"/pipeline/decisions/{meeting.pk}/").status_code == 200
    assert (
        client_for(world.users.nanshan).get(f"/pipeline/decisions/{meeting.pk}/").status_code == 404
    )
    project = Candidate.objects.get(pk=pipeline.a.pk).project
    client = client_for(world.users.coordinator)
    # then the push page lists it; the start waits for the construction permit
    assert project.name in client.get(f"/pipeline/push/?year={YEAR}").content.decode()
    refused = client.post(
        f"/pipeline/push/{project.pk}/start/", {"actual_start": "2025-05-06"}, follow=True
    )
    project.refresh_from_db()
    assert project.actual_start is None and "施工许可" in refused.content.decode()
    _approve_stage(project, "construction_permit")
    client.post(f"/pipeline/push/{project.pk}/start/", {"actual_start": "2025-05-06"})
    project.refresh_from_db()
    assert str(project.actual_start) == "2025-05-06" and project.stage == "construction"


def _approve_stage(project, stage):
    """Decide a stage's approvals as approved (the departments' work, outside this test)."""
    from greenlight.approvals.choices import Status

    assert project.approvals.filter(matter__stage=stage).exists()
    project.approvals.filter(matter__stage=stage).update(status=Status.APPROVED)


def test_acknowledge_triad(client_for, world):
    t = services.issue_target(
        region=world.baoan,
        year=YEAR,
        department=world.eco,
        investment=1,
        new_starts=1,
        generated=1,
        actor=world.users.coordinator,
    )
    url = f"/pipeline/targets/{t.pk}/acknowledge/"
    assert client_for(world.users.leader).post(url).status_code == 403
    assert client_for(world.users.water_approver).post(url).status_code == 404
    assert client_for(world.users.nanshan).post(url).status_code == 404
    assert client_for(world.users.approver).post(url).status_code == 302
    t.refresh_from_db()
    assert t.acknowledged_by == world.users.approver


def test_list_query_counts_are_pinned(client_for, pipeline, world, django_assert_max_num_queries):
    for i in range(15):
        pipeline.propose(f"批量候选{i}", 1000 + i, 100)
    services.run_matching(region=world.baoan, year=YEAR, actor=world.users.coordinator)
    client = client_for(world.users.coordinator)
    for url in ("/pipeline/candidates/", "/pipeline/matching/", "/pipeline/"):
        with django_assert_max_num_queries(14):
            assert client.get(f"{url}?year={YEAR}").status_code == 200
