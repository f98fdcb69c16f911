"""The joint review API: the triad for every endpoint, and the errors it answers."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from greenlight.reviews.models import ActionItem, Batch, Meeting
from tests.auth import verified_login

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        verified_login(c, user)
    return c


def _post(client, url, body, method="post"):
    return getattr(client, method)(
        url, json.dumps(body, default=str), content_type="application/json"
    )


def _urls(review, meeting, item):
    b, m = review.batch.pk, meeting.pk
    return [
        ("get", f"/api/v1/reviews/batches/{b}", None),
        ("get", f"/api/v1/reviews/batches/{b}/opinions", None),
        ("get", f"/api/v1/reviews/batches/{b}/board", None),
        ("get", f"/api/v1/reviews/batches/{b}/action-items", None),
        ("get", f"/api/v1/reviews/meetings/{m}", None),
        ("get", f"/api/v1/reviews/meetings/{m}/ics", None),
    ]


@pytest.fixture
def item(world, meeting):
    return ActionItem.objects.create(
        meeting=meeting, department=world.water, text="出具排水意见", due=date(2099, 1, 1)
    )


def test_anonymous_gets_401_everywhere(world, review, meeting, item):
    client = _client()
    for method, url, _body in [
        *_urls(review, meeting, item),
        ("get", "/api/v1/reviews/batches", None),
    ]:
        assert getattr(client, method)(url).status_code == 401, url
    assert _post(client, "/api/v1/reviews/batches", {}).status_code == 401
    assert (
        _post(
            client, f"/api/v1/reviews/action-items/{item.pk}/feedback", {"feedback": "x"}
        ).status_code
        == 401
    )


@pytest.mark.parametrize(
    "who", ["coordinator", "approver", "water_approver", "leader", "supervisor"]
)
def test_staff_of_the_region_and_involved_departments_read(world, review, meeting, item, who):
    client = _client(getattr(world.users, who))
    for method, url, _body in _urls(review, meeting, item):
        assert getattr(client, method)(url).status_code == 200, url


def test_a_company_gets_403_and_another_region_or_department_404(world, review, meeting, item):
    company = _client(world.users.company)
    for method, url, _body in _urls(review, meeting, item):
        assert getattr(company, method)(url).status_code == 403, url
    assert company.get("/api/v1/reviews/batches").status_code == 403
    for user in (world.users.nanshan, review.housing_approver):
        client = _client(user)
        for method, url, _body in _urls(review, meeting, item):
            assert getattr(client, method)(url).status_code == 404, (user, url)
        assert client.get("/api/v1/reviews/batches").json() == []


def test_issue_a_batch_through_the_api(world, review):
    body = {"title": "第二批", "project_ids": [world.project1.pk], "opinion_workdays": 3}
    # approvers may not; coordinators may
    assert _post(_client(world.users.approver), "/api/v1/reviews/batches", body).status_code == 403
    response = _post(_client(world.users.coordinator), "/api/v1/reviews/batches", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["project_ids"] == [world.project1.pk]
    assert {d["department"]["id"] for d in data["departments"]} == {world.eco.pk, world.water.pk}
    assert data["starts"]["started"] == 0


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"title": "x", "project_ids": []}, "project_ids"),
        ({"title": "", "project_ids": [1]}, "title"),
        ({"title": "x", "project_ids": [1], "opinion_workdays": 99}, "opinion_workdays"),
        ({"title": "x", "project_ids": "ns"}, "project_ids"),
    ],
)
def test_batch_errors_name_the_field(world, body, loc):
    if body.get("project_ids") == "ns":
        body["project_ids"] = [world.project_ns.pk]
    response = _post(_client(world.users.coordinator), "/api/v1/reviews/batches", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == [loc]
    assert not Batch.objects.exists()


def test_opinions_recorded_only_by_their_department(world, review):
    url = f"/api/v1/reviews/opinions/{review.eco_opinion.pk}"
    body = {"kind": "materials_missing", "text": "缺少环评文件"}
    assert _post(_client(), url, body, "put").status_code == 401
    assert _post(_client(world.users.water_approver), url, body, "put").status_code == 403
    assert _post(_client(world.users.coordinator), url, body, "put").status_code == 403
    assert _post(_client(world.users.nanshan), url, body, "put").status_code == 404
    response = _post(_client(world.users.approver), url, body, "put")
    assert response.status_code == 200
    assert response.json()["kind"] == "materials_missing"
    bad = _post(_client(world.users.approver), url, {"kind": "guidance", "text": ""}, "put")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["text"]
    # those not yet in are visible to every involved department
    pending = _client(world.users.approver).get(
        f"/api/v1/reviews/batches/{review.batch.pk}/opinions?pending=true"
    )
    assert {o["department_id"] for o in pending.json()} == {world.water.pk}


def test_meeting_in_the_past_gets_422_naming_starts_at(world, review):
    url = f"/api/v1/reviews/batches/{review.batch.pk}/meetings"
    past = {"starts_at": (timezone.now() - timedelta(days=1)).isoformat(), "place": "会议室"}
    response = _post(_client(world.users.coordinator), url, past)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["starts_at"]
    assert not Meeting.objects.exists()


def test_schedule_change_and_download_the_meeting(world, review):
    url = f"/api/v1/reviews/batches/{review.batch.pk}/meetings"
    body = {"starts_at": (timezone.now() + timedelta(days=2)).isoformat(), "place": "会议室"}
    assert _post(_client(world.users.leader), url, body).status_code == 403
    assert _post(_client(world.users.nanshan), url, body).status_code == 404
    created = _post(_client(world.users.coordinator), url, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert {a["id"] for a in data["attendees"]} == {world.eco.pk, world.water.pk}
    assert {a["project_id"] for a in data["agenda"]} == {world.project1.pk, world.project2.pk}
    mid = data["id"]
    moved = _post(
        _client(world.users.coordinator),
        f"/api/v1/reviews/meetings/{mid}",
        {"place": "二楼"},
        "patch",
    )
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    assert (
        _post(
            _client(world.users.approver),
            f"/api/v1/reviews/meetings/{mid}",
            {"place": "x"},
            "patch",
        ).status_code
        == 403
    )
    ics = _client(world.users.water_approver).get(f"/api/v1/reviews/meetings/{mid}/ics")
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content and b"SEQUENCE:1" in ics.content


def test_minutes_and_feedback_through_the_api(world, review, meeting):
    url = f"/api/v1/reviews/meetings/{meeting.pk}/minutes"
    due = (timezone.localdate(meeting.starts_at) + timedelta(days=3)).isoformat()
    body = {
        "summary": "会议纪要",
        "decisions": [{"project_id": world.project1.pk, "outcome": "proceed", "text": "同步办理"}],
        "action_items": [{"department_id": world.water.pk, "text": "出具排水意见", "due": due}],
    }
    assert _post(_client(world.users.approver), url, body).status_code == 403
    bad = _post(
        _client(world.users.coordinator),
        url,
        {**body, "action_items": [{**body["action_items"][0], "department_id": review.housing.pk}]},
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == [
        "action_items.0.department_id"
    ]
    response = _post(_client(world.users.coordinator), url, body)
    assert response.status_code == 200, response.content
    assert response.json()["decisions"][0]["outcome"] == "proceed"
    items = (
        _client(world.users.leader)
        .get(f"/api/v1/reviews/batches/{review.batch.pk}/action-items")
        .json()
    )
    assert [i["state"] for i in items] == ["open"]
    feedback = f"/api/v1/reviews/action-items/{items[0]['id']}/feedback"
    assert _post(_client(world.users.approver), feedback, {"feedback": "x"}).status_code == 403
    assert _post(_client(world.users.nanshan), feedback, {"feedback": "x"}).status_code == 404
    done = _post(_client(world.users.water_approver), feedback, {"feedback": "已出具"})
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert (
        _post(_client(world.users.water_approver), feedback, {"feedback": "again"}).status_code
        == 409
    )


def test_a_company_reads_the_decision_on_its_own_project_only(world, review, meeting):
    from greenlight.reviews import services

    services.record_minutes(
        meeting=meeting,
        actor=world.users.coordinator,
        decisions=[
            {"project_id": world.project1.pk, "outcome": "conditions", "text": "补齐材料"},
            {"project_id": world.project2.pk, "outcome": "proceed"},
        ],
    )
    own = _client(world.users.company).get("/api/v1/reviews/decisions").json()
    assert [(d["project_id"], d["outcome"]) for d in own] == [(world.project1.pk, "conditions")]
    other = _client(world.users.company2).get("/api/v1/reviews/decisions").json()
    assert [d["project_id"] for d in other] == [world.project2.pk]
    assert _client(world.users.nanshan).get("/api/v1/reviews/decisions").json() == []
    assert _client().get("/api/v1/reviews/decisions").status_code == 401


def test_board_shows_each_approval_with_its_light(world, review, django_assert_max_num_queries):
    client = _client(world.users.leader)
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/v1/reviews/batches/{review.batch.pk}/board")
    data = response.json()
    assert {d["id"] for d in data["departments"]} == {world.eco.pk, world.water.pk}
    assert sum(len(r["approvals"]) for r in data["rows"]) == 3
    assert data["lights"] == {"waiting": 3}
