"""The notice API: issuing on any subject, on an approval's and a ticket's own path, listing,
reading and replying; 403/404 for companies and other districts; bad input named in Chinese."""

import json

import pytest

from greenlight.supervision.models import SupervisionNotice
from tests import factories as f

pytestmark = pytest.mark.django_db


def _post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def notice(world, approval):
    return f.SupervisionNoticeFactory(subject=approval, issued_by=world.users.coordinator)


def test_issue_on_each_subject_and_reply(client_for, world, approval, ticket, batch):
    coordinator = client_for(world.users.coordinator)
    on_approval = _post(coordinator, f"/api/v1/approvals/{approval.pk}/notices", {"text": "请办结"})
    on_ticket = _post(coordinator, f"/api/v1/tickets/{ticket.pk}/notices", {"reason": "请反馈"})
    on_batch = _post(
        coordinator,
        "/api/v1/notices",
        {
            "subject_type": "batch",
            "subject_id": batch.pk,
            "department_id": world.water.pk,
            "text": "请提交意见",
            "reply_days": 3,
        },
    )
    assert [r.status_code for r in (on_approval, on_ticket, on_batch)] == [201, 201, 201]
    body = on_batch.json()
    assert body["subject_type"] == "batch" and body["subject_id"] == batch.pk
    assert body["department_id"] == world.water.pk and body["state"] == "open"
    assert body["url"] == f"/supervision/{body['id']}/"
    assert on_ticket.json()["text"] == "请反馈" and on_ticket.json()["subject_type"] == "ticket"
    # the departments answer
    eco = client_for(world.users.approver)
    ok = _post(eco, f"/api/v1/notices/{on_approval.json()['id']}/reply", {"text": "已办结"})
    assert ok.status_code == 200 and ok.json()["reply_text"] == "已办结"
    assert ok.json()["state"] == "answered" and ok.json()["replied_by"] == "approver"
    again = _post(eco, f"/api/v1/notices/{on_approval.json()['id']}/reply", {"text": "x"})
    assert again.status_code == 409
    listed = client_for(world.users.coordinator).get("/api/v1/notices?state=open").json()
    assert {n["subject_type"] for n in listed} == {"ticket", "batch"}


def test_a_company_gets_403_or_404_on_every_endpoint(client_for, world, approval, notice):
    company = client_for(world.users.company)
    calls = [
        company.get("/api/v1/notices"),
        company.get(f"/api/v1/notices/{notice.pk}"),
        _post(company, f"/api/v1/notices/{notice.pk}/reply", {"text": "x"}),
        _post(
            company,
            "/api/v1/notices",
            {"subject_type": "approval", "subject_id": approval.pk, "text": "x"},
        ),
        _post(company, f"/api/v1/approvals/{approval.pk}/notices", {"text": "x"}),
    ]
    assert all(r.status_code in (403, 404) for r in calls), [r.status_code for r in calls]
    assert SupervisionNotice.objects.count() == 1


def test_another_districts_coordinator_gets_404(client_for, world, approval, notice):
    nanshan = client_for(world.users.nanshan)
    assert nanshan.get(f"/api/v1/notices/{notice.pk}").status_code == 404
    assert _post(nanshan, f"/api/v1/notices/{notice.pk}/reply", {"text": "x"}).status_code == 404
    body = {"subject_type": "approval", "subject_id": approval.pk, "text": "x"}
    assert _post(nanshan, "/api/v1/notices", body).status_code == 404
    assert nanshan.get("/api/v1/notices").json() == []


def test_an_approver_of_another_department_cannot_reply(client_for, world, notice):
    water = client_for(world.users.water_approver)
    assert water.get(f"/api/v1/notices/{notice.pk}").status_code == 200
    response = _post(water, f"/api/v1/notices/{notice.pk}/reply", {"text": "x"})
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.replied_at is None


@pytest.mark.parametrize(
    ("body", "loc", "words"),
    [
        ({"text": ""}, "text", "督办要求"),
        ({"text": "   "}, "text", "督办要求"),
        ({}, "text", "督办要求"),
        ({"text": "x", "reply_days": 0}, "reply_days", "1"),
        ({"text": "x", "department_id": 999999}, "department_id", "部门"),
    ],
)
def test_bad_input_gets_422_naming_the_field_and_stores_nothing(
    client_for, world, approval, body, loc, words
):
    payload = {"subject_type": "approval", "subject_id": approval.pk, **body}
    response = _post(
        client_for(world.users.coordinator),
        "/api/v1/notices",
        payload,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == [loc] and words in detail["msg"]
    assert SupervisionNotice.objects.count() == 0


def test_an_empty_reply_gets_422_naming_the_field(client_for, world, notice):
    response = _post(client_for(world.users.approver), f"/api/v1/notices/{notice.pk}/reply", {})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["text"] and "回复" in detail["msg"]


def test_unknown_subject_types_are_404(client_for, world, approval):
    body = {"subject_type": "project", "subject_id": world.project1.pk, "text": "x"}
    assert _post(client_for(world.users.coordinator), "/api/v1/notices", body).status_code == 404


def test_the_schema_and_the_read_only_admin(client_for, world, notice):
    schema = client_for(world.users.coordinator).get("/api/v1/openapi.json")
    assert (
        schema.status_code == 200 and "/api/v1/notices/{notice_id}/reply" in schema.json()["paths"]
    )
    world.users.admin.is_staff = True
    world.users.admin.save()
    admin = client_for(world.users.admin)
    assert admin.get("/admin/supervision/supervisionnotice/").status_code == 200
    page = admin.get(f"/admin/supervision/supervisionnotice/{notice.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin.get("/admin/supervision/supervisionnotice/add/").status_code == 403
