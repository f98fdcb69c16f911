"""Register pages, API and the standard work reference: triad, flow, document build."""

import io
import json

import pytest
from docx import Document

from greenlight.catalog import seeding
from greenlight.reforms import reference
from greenlight.reforms.models import CatalogChange

pytestmark = pytest.mark.django_db

PAGES = ["/reforms/", "/reforms/changes/"]


@pytest.mark.parametrize("url", PAGES + ["/reforms/reference/", "/reforms/reference.docx"])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_company_may_not_open_the_register(client_for, world, url):
    assert client_for(world.users.company).get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_readers_open_the_register(client_for, tiny, world, url):
    for user in (
        world.users.coordinator,
        world.users.approver,
        world.users.leader,
        world.users.supervisor,
    ):
        assert client_for(user).get(url).status_code == 200


def test_register_headline_counts(client_for, tiny, world):
    body = client_for(world.users.leader).get("/reforms/").content.decode()
    assert "B事项承诺时限过长" in body


def test_item_triad(client_for, tiny, world):
    url = f"/reforms/items/{tiny.item.pk}/"
    assert client_for(world.users.company).get(url).status_code == 403
    assert client_for(world.users.nanshan).get(url).status_code == 404
    assert client_for(world.users.leader).get(url).status_code == 200
    # the leader reads but may not report; the owner department may
    assert client_for(world.users.leader).post(url, {"status": "in_progress"}).status_code == 403
    assert (
        client_for(world.users.water_approver).post(url, {"status": "in_progress"}).status_code
        == 403
    )
    ok = client_for(world.users.approver).post(url, {"status": "done", "evidence": "通知已印发"})
    assert ok.status_code == 302
    tiny.item.refresh_from_db()
    assert tiny.item.status == "done" and tiny.item.done_on is not None


def test_coordinator_changes_a_limit_through_the_item_page(client_for, tiny, world):
    client = client_for(world.users.coordinator)
    response = client.post(
        f"/reforms/items/{tiny.item.pk}/limit/", {"matter": tiny.b.pk, "limit": 6, "unit": "day"}
    )
    assert response.status_code == 302
    assert CatalogChange.objects.get().days_saved == 12
    assert (
        client_for(world.users.leader)
        .post(
            f"/reforms/items/{tiny.item.pk}/limit/",
            {"matter": tiny.b.pk, "limit": 5, "unit": "day"},
        )
        .status_code
        == 403
    )


def test_coordinator_adds_an_item_and_errors_name_the_field(client_for, world):
    client = client_for(world.users.coordinator)
    bad = client.post(
        "/reforms/",
        {
            "document": "《x》",
            "document_kind": "policy",
            "finding": "f",
            "kind": "rectify",
            "due": "2025-01-01",
        },
    )
    assert bad.status_code == 400 and "field invalid" in bad.content.decode()
    good = client.post(
        "/reforms/",
        {
            "document": "《x》",
            "document_kind": "policy",
            "finding": "f",
            "kind": "rectify",
            "owner_unit": "区司法局",
            "due": "2025-01-01",
        },
    )
    assert good.status_code == 302


def test_list_query_count_is_pinned(client_for, tiny, world, django_assert_max_num_queries):
    client = client_for(world.users.coordinator)
    with django_assert_max_num_queries(14):
        assert client.get("/reforms/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/reforms/changes/").status_code == 200


def test_api_triad_and_flow(client_for, client, tiny, world):
    assert client.get("/api/v1/reforms/items").status_code == 401
    assert client_for(world.users.company).get("/api/v1/reforms/items").status_code == 403
    assert client_for(world.users.nanshan).get("/api/v1/reforms/items").json() == []
    ns = client_for(world.users.nanshan).patch(
        f"/api/v1/reforms/items/{tiny.item.pk}",
        json.dumps({"status": "done"}),
        content_type="application/json",
    )
    assert ns.status_code == 404
    coord = client_for(world.users.coordinator)
    created = coord.post(
        f"/api/v1/reforms/items/{tiny.item.pk}/limit",
        json.dumps({"matter": "B", "limit": 6, "unit": "day"}),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()[0]["days_saved"] == 12
    neg = coord.post(
        f"/api/v1/reforms/items/{tiny.item.pk}/limit",
        json.dumps({"matter": "B", "limit": -1, "unit": "day"}),
        content_type="application/json",
    )
    assert neg.status_code == 422 and neg.json()["detail"][0]["loc"] == ["limit"]
    totals = client_for(world.users.leader).get("/api/v1/reforms/totals").json()
    assert totals["items"] == 1 and totals["days_saved"] == 12
    assert (
        client_for(world.users.leader).get("/api/v1/reforms/changes").json()[0]["item_id"]
        == tiny.item.pk
    )


def test_reference_builds_from_the_seed_catalog(world):
    # given the seed catalog
    seeding.load_catalog()
    seeding.seed_departments(world.baoan)
    # when
    from datetime import date

    ref = reference.build(region=world.baoan, today=date(2025, 3, 3))
    # then every template has serial >= parallel and matters are grouped by the four stages
    assert len(ref.templates) == 4
    assert all(t["serial"] >= t["parallel"] > 0 for t in ref.templates)
    assert [s for s, _rows in ref.matters][0] == "立项用地规划许可"
    assert any(m["prerequisites"] for _s, rows in ref.matters for m in rows)


def test_reference_page_and_docx_for_a_company(client_for, world):
    seeding.load_catalog()
    client = client_for(world.users.company)
    page = client.get("/reforms/reference/")
    assert page.status_code == 200 and "目录" in page.content.decode()
    response = client.get("/reforms/reference.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "宝安区" in text and len(doc.tables) >= 5
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "政府投资项目建议书审批" in cells


def test_api_lists_and_patches_items_without_catalog_changes(client_for, tiny, world):
    # given an item through which no catalog change was made yet
    coord = client_for(world.users.coordinator)
    # then it lists and saves with 0 days saved (was a 500: the sum of no changes is None)
    listed = coord.get("/api/v1/reforms/items")
    assert listed.status_code == 200 and listed.json()[0]["days_saved"] == 0
    patched = coord.patch(
        f"/api/v1/reforms/items/{tiny.item.pk}",
        json.dumps({"evidence": "已整改"}),
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["days_saved"] == 0
