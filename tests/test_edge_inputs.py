"""Bad input at the edge (issue 15): every one a 4xx naming the field, in Chinese by default and
in English when chosen, never a 500; on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from greenlight.kernel import validation
from greenlight.tickets.models import Ticket
from tests.auth import verified_login

pytestmark = pytest.mark.django_db


def _client(user, *, language: str = "") -> Client:
    client = Client(raise_request_exception=False)
    verified_login(client, user)
    if language:
        client.cookies["django_language"] = language
    return client


def _send(client, method: str, url: str, body=None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _fields(response) -> dict[str, str]:
    return {".".join(d.get("loc", [])): d["msg"] for d in response.json()["detail"]}


@pytest.mark.parametrize(
    "method,url,body,field",
    [
        ("get", "/api/v1/projects?q=%00", None, "q"),
        ("get", "/api/v1/tickets?q=%00", None, "q"),
        ("get", "/api/v1/approvals/queue?q=%00", None, "q"),
        ("get", "/api/v1/pipeline/candidates?status=%00", None, "status"),
        ("get", "/api/v1/projects?page=464511512629292864", None, "page"),
        ("get", "/api/v1/pipeline/pools?year=-33", None, "year"),
        ("post", "/api/v1/pipeline/matching?year=-33", None, "year"),
        ("get", "/api/v1/analytics/scorecards?month=0001-01", None, "month"),
        ("get", "/api/v1/tickets?region=abc", None, "region"),  # a pattern's check
        ("get", "/api/v1/projects?region=4403", None, "region"),
    ],
)
def test_bad_query_values_are_refused_naming_the_parameter(world, method, url, body, field):
    # given a coordinator
    client = _client(world.users.coordinator)
    # when the query carries a NUL byte, an overflowing page or a year out of the window
    response = _send(client, method, url, body)
    # then a 4xx names the parameter, in Chinese
    assert 400 <= response.status_code < 500, response.content
    fields = _fields(response)
    assert field in fields, fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in fields[field]), fields


def test_text_with_nul_and_a_reported_at_in_year_121_are_refused(world):
    client = _client(world.users.company)
    body = {"project_id": world.project1.pk, "title": "a\u0000b", "category": "site"}
    response = _send(client, "post", "/api/v1/tickets", body)
    assert response.status_code == 422
    assert "title" in _fields(response)
    body = {**body, "title": "用电报装慢", "reported_at": "0121-03-01T08:00:00+08:00"}
    response = _send(client, "post", "/api/v1/tickets", body)
    assert response.status_code == 422
    assert "1990-01-01" in _fields(response)["reported_at"]
    assert not Ticket.objects.exists()


def test_a_megabyte_of_text_is_refused(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000_000
    client = _client(world.users.company)
    body = {
        "project_id": world.project1.pk,
        "title": "用电报装慢",
        "category": "site",
        "description": "x" * 1_000_000,
    }
    response = _send(client, "post", "/api/v1/tickets", body)
    assert response.status_code == 422
    assert str(validation.TEXT_MAX) in _fields(response)["description"]


def test_an_offset_beyond_14_hours_is_refused(world):
    client = _client(world.users.company)
    body = {
        "project_id": world.project1.pk,
        "title": "用电报装慢",
        "category": "site",
        "reported_at": "2026-09-30T08:00:00+20:58",
    }
    response = _send(client, "post", "/api/v1/tickets", body)
    assert response.status_code == 422
    assert "±14:00" in _fields(response)["reported_at"]


@pytest.mark.parametrize(
    "url,body,field",
    [
        (
            "/api/v1/pipeline/targets",
            {"year": 2026, "investment": "1e12", "new_starts": 1, "generated": 1},
            "investment",
        ),
        (
            "/api/v1/analytics/investment-reports",
            {"month": "2026-09-01", "amount": "1e30"},
            "amount",
        ),
    ],
)
def test_numbers_beyond_the_columns_are_refused(world, url, body, field):
    client = _client(world.users.coordinator)
    if "project" not in body and "investment-reports" in url:
        body = {**body, "project": world.project1.pk}
    response = _send(client, "post", url, body)
    assert response.status_code == 422, response.content
    assert field in _fields(response)


def test_a_pool_of_1e30_is_refused(world):
    client = _client(world.users.coordinator)
    response = _send(
        client, "put", "/api/v1/pipeline/pools", {"year": 2026, "kind": "land", "amount": "1e30"}
    )
    assert response.status_code == 422, response.content
    assert "amount" in _fields(response)


def test_a_matter_limit_of_1e12_is_refused(world):
    client = _client(world.users.admin)
    matter = world.approval1.matter
    body = {
        "name": matter.name,
        "department_kind": matter.department_kind,
        "stage": matter.stage,
        "statutory_limit": 10**12,
        "statutory_unit": "workday",
        "committed_limit": 5,
        "committed_unit": "workday",
    }
    response = _send(client, "put", f"/api/v1/matters/{matter.code}", body)
    assert response.status_code == 422, response.content
    assert "statutory_limit" in _fields(response)


def test_a_backward_plan_from_year_one_is_refused(world):
    client = _client(world.users.coordinator)
    url = f"/api/v1/projects/{world.project1.pk}/plan/backward?land=0001-01-01"
    response = client.get(url)
    assert response.status_code == 422
    assert "land" in _fields(response)


def test_a_value_not_among_the_allowed_ones_lists_them_in_chinese(world):
    response = _client(world.users.coordinator).get("/api/v1/tickets?light=red")
    assert response.status_code == 422
    assert _fields(response)["light"] == "必须是以下之一：'', 'on_time', 'due_today' 或 'overdue'"


def test_the_reason_is_in_english_when_english_is_chosen(world):
    client = _client(world.users.coordinator, language="en")
    response = client.get("/api/v1/projects?q=%00")
    assert response.status_code == 422
    assert "control character" in _fields(response)["q"]


def test_a_body_over_the_limit_is_413_json(world, settings):
    client = _client(world.users.company)
    body = {"project_id": world.project1.pk, "title": "x", "category": "site"}
    body["description"] = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = _send(client, "post", "/api/v1/tickets", body)
    assert response.status_code == 413
    assert response.json()["detail"][0]["code"] == "too_large"


def test_a_page_form_over_the_limit_is_413(world, settings):
    client = _client(world.users.company)
    response = client.post(
        "/tickets/new/", data="x=" + "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 413
    assert "MB" in response.content.decode()


def test_the_reforms_register_lists_and_an_empty_patch_changes_nothing(world):
    from greenlight.reforms import services as reform_services

    item = reform_services.create_item(
        region=world.baoan,
        data={
            "document": "《规程》",
            "finding": "重复提交材料",
            "kind": "immediate",
            "owner_unit": "区住建局",
            "due": "2026-10-30",
        },
        actor=world.users.coordinator,
    )
    client = _client(world.users.coordinator)
    assert client.get("/api/v1/reforms/items").status_code == 200
    response = _send(client, "patch", f"/api/v1/reforms/items/{item.pk}", {})
    assert response.status_code == 200, response.content
    response = _send(client, "patch", f"/api/v1/reforms/items/{item.pk}", {"finding": None})
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.finding == "重复提交材料"


def test_a_form_refuses_a_number_beyond_its_column_on_its_field(world):
    from greenlight.pipeline.forms import TargetForm

    data = {"year": 2026, "investment": "1e13", "new_starts": 1, "generated": 1}
    form = TargetForm(data=data, region=world.baoan)
    assert not form.is_valid()
    assert "investment" in form.errors
    fine = TargetForm(data={**data, "investment": "1"}, region=world.baoan)
    fine.is_valid()
    assert "investment" not in fine.errors


@pytest.mark.parametrize(
    "values,field",
    [({"start": "2026-10-02", "end": "2026-10-01"}, "end")],
)
def test_ordered_date_pairs(values, field):
    from datetime import date

    parsed = {k: date.fromisoformat(v) for k, v in values.items()}
    assert field in validation.order_problems(parsed)
    assert not validation.order_problems({**parsed, field: date(2026, 10, 3)})


def test_a_completion_before_the_start_is_refused_on_completed_on(world):
    client = _client(world.users.coordinator)
    url = f"/api/v1/projects/{world.project1.pk}"
    body = {"actual_start": "2026-10-01", "completed_on": "2026-09-01"}
    response = _send(client, "patch", url, body)
    assert response.status_code == 422, response.content
    assert "completed_on" in _fields(response)
    # a PATCH of one date meets the other one already stored
    assert _send(client, "patch", url, {"actual_start": "2026-08-01"}).status_code == 200
    response = _send(client, "patch", url, {"completed_on": "2026-07-01"})
    assert 400 <= response.status_code < 500, response.content
    assert "completed_on" in _fields(response)


@pytest.mark.parametrize(
    "form_data,field",
    [
        ({"starts_at": "0001-01-01T09:00", "place": "会议室"}, "starts_at"),
        ({"starts_at": "9999-12-31T09:00", "place": "会议室"}, "starts_at"),
        (
            {"starts_at": "2026-12-10T09:00", "ends_at": "2026-12-10T08:00", "place": "会议室"},
            "ends_at",
        ),
        ({"starts_at": "2026-12-10T09:00", "place": "会\x00议室"}, "place"),
    ],
)
def test_the_meeting_form_refuses_dates_out_of_the_window_and_disorder(form_data, field):
    from greenlight.reviews.forms import MeetingForm

    form = MeetingForm(data=form_data)
    assert not form.is_valid()
    assert field in form.errors, form.errors


def test_analytics_and_scorecard_pages_answer_extreme_dates_on_the_field(world):
    client = _client(world.users.coordinator)
    for url in (
        "/analytics/bottlenecks/?start=0001-01-01&end=9999-12-31",
        "/analytics/scorecards/?month=0001-01",
        "/analytics/?start=0001-01-01",
    ):
        response = client.get(url)
        assert response.status_code < 500, url
    response = client.get("/analytics/bottlenecks/?start=0001-01-01&end=9999-12-31")
    assert "1990-01-01" in response.content.decode()


def test_the_backward_plan_page_names_the_land_date_out_of_the_window(world):
    client = _client(world.users.coordinator)
    response = client.get(f"/projects/{world.project1.pk}/charts/backward/?land=0001-01-01")
    assert response.status_code < 500
    assert "拿地日期" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/tickets/import", "/tickets/import/"])
def test_a_multipart_body_without_its_boundary_is_400_not_500(world, url):
    client = _client(world.users.company)
    response = client.generic("POST", url, b"--x--", content_type="multipart/form-data")
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["detail"][0]["code"] == "malformed_body"
    else:
        assert "boundary" in response.content.decode()
