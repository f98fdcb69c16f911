"""The analytics API: 401 anonymous, 403 without the right, 404 another tenant's, scoped figures."""

from datetime import date

import pytest

from greenlight.projects.models import InvestmentReport


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/analytics/dashboard",
        "/api/v1/analytics/bottlenecks",
        "/api/v1/analytics/scorecards",
    ],
)
def test_anonymous_gets_401(client, db, url):
    assert client.get(url).status_code == 401


def test_bottlenecks_scoped_to_the_company(client_for, world, scenario):
    url = "/api/v1/analytics/bottlenecks?start=2025-03-01&end=2025-03-31&by=matter"
    mine = client_for(world.users.company).get(url).json()
    region = client_for(world.users.coordinator).get(url).json()
    assert sum(r["n"] for r in mine["rows"]) == 3 and sum(r["n"] for r in region["rows"]) == 6


def test_dashboard_and_scorecards(client_for, world, scenario):
    assert (
        client_for(world.users.leader).get("/api/v1/analytics/dashboard").json()["projects_total"]
        == 4
    )
    assert (
        client_for(world.users.leader).get("/api/v1/analytics/scorecards?month=2025-03").status_code
        == 200
    )
    assert client_for(world.users.company).get("/api/v1/analytics/scorecards").status_code == 403


def test_report_created_404_for_another_tenant_and_400_on_negative(client_for, world):
    client = client_for(world.users.company)
    ok = client.post(
        "/api/v1/analytics/investment-reports",
        {"project": world.project1.pk, "month": "2025-03-01", "amount": "12.5"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and InvestmentReport.objects.get().month == date(2025, 3, 1)
    other = client.post(
        "/api/v1/analytics/investment-reports",
        {"project": world.project_ns.pk, "month": "2025-03-01", "amount": "1"},
        content_type="application/json",
    )
    assert other.status_code == 404
    bad = client.post(
        "/api/v1/analytics/investment-reports",
        {"project": world.project1.pk, "month": "2025-03-01", "amount": "-1"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["detail"][0]["loc"] == ["amount"]
    leader = client_for(world.users.leader).post(
        "/api/v1/analytics/investment-reports",
        {"project": world.project1.pk, "month": "2025-03-01", "amount": "1"},
        content_type="application/json",
    )
    assert leader.status_code == 403
