"""The ticket API: the triad, Idempotency-Key, 422 naming the field, actions by role."""

import pytest
from django.db import connection
from django.utils import timezone

from greenlight.tickets import selectors
from greenlight.tickets.models import IdempotencyKey, Ticket

pytestmark = pytest.mark.django_db


def _body(world, **kw):
    return {"project_id": world.project1.pk, "title": "临时用地审批卡住", "category": "land", **kw}


def _post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/tickets", body, content_type="application/json", **headers)


def test_anonymous_gets_401(client, world):
    assert client.get("/api/v1/tickets").status_code == 401
    assert _post(client, _body(world)).status_code == 401


def test_company_reports_on_its_project_and_another_gets_404(client_for, world):
    client = client_for(world.users.company)
    created = _post(client, _body(world))
    assert created.status_code == 201
    assert created.json()["channel"] == "api" and created.json()["light"] == "on_time"
    assert _post(client, _body(world, project_id=world.project2.pk)).status_code == 404
    assert _post(client, _body(world, project_id=world.project_ns.pk)).status_code == 404


def test_missing_title_or_category_is_422_naming_the_field(client_for, world):
    client = client_for(world.users.company)
    body = _body(world)
    del body["title"]
    response = _post(client, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["title"]
    response = _post(client, _body(world, category="天气"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["category"]
    assert Ticket.objects.count() == 0


def test_idempotency_key_returns_the_first_result(client_for, world):
    client = client_for(world.users.company)
    first = _post(client, _body(world), key="abc-1")
    repeat = _post(client, _body(world), key="abc-1")
    assert first.status_code == repeat.status_code == 201
    assert repeat.json()["id"] == first.json()["id"]
    assert Ticket.objects.count() == 1


def test_same_key_with_another_body_is_422(client_for, world):
    client = client_for(world.users.company)
    _post(client, _body(world), key="abc-2")
    response = _post(client, _body(world, title="另一个问题"), key="abc-2")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["Idempotency-Key"]
    assert Ticket.objects.count() == 1


def test_keys_are_kept_per_user(client_for, world):
    # the coordinator may use the company's key for its own, different request
    _post(client_for(world.users.company), _body(world), key="same")
    response = _post(client_for(world.users.coordinator), _body(world, title="别的"), key="same")
    assert response.status_code == 201
    assert IdempotencyKey.objects.count() == 2 and Ticket.objects.count() == 2


def test_detail_triad(client, client_for, world, make_ticket):
    ticket = make_ticket()
    url = f"/api/v1/tickets/{ticket.pk}"
    assert client.get(url).status_code == 401
    assert client_for(world.users.company2).get(url).status_code == 404
    assert client_for(world.users.nanshan).get(url).status_code == 404
    body = client_for(world.users.leader).get(url).json()
    assert body["timeline"][0]["kind"] == "reported"


def test_actions_by_role(client_for, world, make_ticket):
    ticket = make_ticket()
    base = f"/api/v1/tickets/{ticket.pk}"
    assign = {"lead_department": world.eco.pk, "cooperating_departments": [world.water.pk]}
    leader = client_for(world.users.leader)
    assert leader.post(f"{base}/assign", assign, content_type="application/json").status_code == 403
    coord = client_for(world.users.coordinator)
    assert coord.post(f"{base}/assign", assign, content_type="application/json").status_code == 200
    eco = client_for(world.users.approver)
    fb = {"milestone": "feedback", "text": "已收到，由审批科办理"}
    response = eco.post(f"{base}/milestones", fb, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "feedback"
    again = eco.post(f"{base}/milestones", fb, content_type="application/json")
    assert again.status_code == 409
    bad = eco.post(
        f"{base}/milestones", {"milestone": "x", "text": "y"}, content_type="application/json"
    )
    assert bad.status_code == 422
    coord = client_for(world.users.coordinator)  # one test client: log in again
    notice = coord.post(f"{base}/notices", {"reason": "加快"}, content_type="application/json")
    assert notice.status_code == 201


def test_list_by_light_and_figures_for_staff_only(client_for, world, make_ticket):
    make_ticket()
    rows = client_for(world.users.coordinator).get("/api/v1/tickets?light=overdue").json()
    assert rows["count"] == 1 and rows["items"][0]["light"] == "overdue"
    none = {"items": [], "count": 0}
    assert client_for(world.users.coordinator).get("/api/v1/tickets?light=on_time").json() == none
    assert client_for(world.users.company2).get("/api/v1/tickets").json() == none
    assert client_for(world.users.company).get("/api/v1/tickets/figures").status_code == 403
    assert client_for(world.users.leader).get("/api/v1/tickets/figures").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_lists_order_is_an_index_walk_not_a_sort_of_every_ticket(world):
    """`ticket_next_due_order` is the list's ORDER BY (next due, newest, id) exactly, so a page
    can walk it; were the expression to drift from `next_due_expression`, PostgreSQL could not
    use it (with sorting priced out, the plan would still sort)."""
    rows = selectors.ticket_list(
        user=world.users.coordinator, filters=selectors.TicketFilter(), now=timezone.now()
    ).values("id")[:50]
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "ticket_next_due_order" in plan, plan
    assert "Sort" not in plan, plan
