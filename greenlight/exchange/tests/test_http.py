"""Pull and push over real HTTP against a local counterpart, by command and by the tick; the
投资 platform's record filling a registration."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from greenlight.exchange import services
from greenlight.exchange.models import ExchangeRun
from greenlight.projects.models import Project
from greenlight.site import tick

from .counterpart import Counterpart
from .helpers import CODE, case_tables, project_row, seed


@pytest.fixture
def ex(world):
    seed(world)
    return world


def test_pull_applies_the_counterparts_tables_and_a_second_pull_changes_nothing(ex, settings):
    # given the 工改 endpoint serving a project
    with Counterpart(tables={"SPGL_XMJBXXB": [project_row(ex)]}) as peer:
        settings.EXCHANGE_URL = peer.url
        # when the coordinator pulls twice
        first = services.pull(actor=ex.users.coordinator)
        second = services.pull(actor=ex.users.coordinator)
    # then the first registers the project, the second changes nothing
    assert (first.source, first.applied, first.failed) == ("pull", 1, 0)
    assert (second.applied, second.unchanged) == (0, 1)
    assert Project.objects.filter(code=CODE).count() == 1
    assert peer.queries[0] == "/tables?xzqhdm=440306"


def test_pull_of_a_whole_case_then_push_sends_only_what_changed(ex, settings):
    with Counterpart(tables={"SPGL_XMJBXXB": [project_row(ex)]}) as peer:
        settings.EXCHANGE_URL = peer.url
        services.pull(actor=ex.users.coordinator)
        approval = Project.objects.get(code=CODE).approvals.order_by("pk").first()
        peer.tables = case_tables(approval)
        pulled = services.pull(actor=ex.users.coordinator)
        assert pulled.failed == 0, list(pulled.rows.values("field", "reason"))
        # when pushing twice
        pushed = services.push(actor=ex.users.coordinator)
        again = services.push(actor=ex.users.coordinator)
    # then the first push sends the region's tables, with the 工改 case number kept
    assert len(peer.received) == 1
    sent = peer.received[0]
    assert {r["XMDM"] for r in sent["SPGL_XMJBXXB"]} >= {CODE, ex.project1.code}
    case = next(r for r in sent["SPGL_XMSPSXBLXXB"] if r["GCDM"] == CODE)
    assert case["SPSXSLBM"] == "GG-2026-000123"
    result = next(r for r in sent["SPGL_XMSPSXPFWJXXB"] if r["SPSXSLBM"] == "GG-2026-000123")
    assert result["PFWH"] == "深宝环批〔2026〕88号" and result["SPJG"] == "1"
    assert [r["BLZT"] for r in sent["SPGL_XMSPSXBLXXXXB"] if r["SPSXSLBM"] == case["SPSXSLBM"]] == [
        "1",
        "3",
        "11",
    ]
    assert pushed.applied == pushed.total > 0
    # and the second push sends nothing: every row is unchanged
    assert (again.applied, again.unchanged) == (0, pushed.total)
    # the exported document reads back into the platform without a change
    back = services.import_file(
        data=json.dumps(sent, ensure_ascii=False).encode(),
        name="back.json",
        actor=ex.users.coordinator,
    )
    assert back.failed == 0, list(back.rows.filter(outcome="failed").values("field", "reason"))


def test_unreachable_endpoint_is_a_failed_run_with_its_reason(ex, settings):
    with Counterpart() as peer:
        url = peer.url
    settings.EXCHANGE_URL = url  # the server is gone
    run = services.pull(actor=ex.users.coordinator)
    assert run.status == "failed" and run.message


def test_tick_pulls_and_pushes_for_the_configured_coordinator(ex, settings):
    with Counterpart(tables={"SPGL_XMJBXXB": [project_row(ex)]}) as peer:
        settings.EXCHANGE_URL, settings.EXCHANGE_ACTOR = peer.url, "coordinator"
        results = tick.run()
        again = tick.run()
    job = "greenlight.exchange.jobs:scheduled_exchange"
    assert results[job]["pulled"] == 1 and results[job]["pushed"] > 0
    assert again[job] == {"pulled": 0, "pushed": 0, "failed": 0}
    assert ExchangeRun.objects.filter(source__in=["pull", "push"]).count() == 4


def test_command_pull_and_push(ex, settings, capsys):
    with Counterpart(tables={"SPGL_XMJBXXB": [project_row(ex)]}) as peer:
        settings.EXCHANGE_URL = peer.url
        call_command("exchange", "pull", "--as", "coordinator")
        call_command("exchange", "push", "--as", "coordinator")
    out = capsys.readouterr().out
    assert "1 applied" in out and len(peer.received) == 1


def test_registration_filled_from_the_investment_platform(ex, settings, client_for):
    record = {k: v for k, v in project_row(ex).items()}
    with Counterpart(records={CODE: record}) as peer:
        settings.INVESTMENT_URL = peer.url
        client = client_for(ex.users.coordinator)
        page = client.get("/exchange/investment/", {"code": CODE})
        url = "/api/v1/exchange/investment-lookups"
        api = client.post(url, {"code": CODE}, content_type="application/json")
        missing = client.post(
            url, {"code": "2611-440306-04-01-000000"}, content_type="application/json"
        )
        unknown = client.get("/exchange/investment/", {"code": "2611-440306-04-01-000000"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="沙井智能装备产业园"' in html and CODE in html
    assert api.status_code == 200
    assert api.json()["name"] == "沙井智能装备产业园" and api.json()["total_investment"] == "28000"
    assert api.json()["owner_credit_code"] == ex.org2.credit_code
    assert missing.status_code == 404
    assert unknown.status_code == 400
    # and the filled form registers the project through the intake
    form = {
        "code": CODE,
        "name": record["XMMC"],
        "owner": ex.org2.pk,
        "category": "social_industry",
        "industry": "manufacturing",
        "construction_nature": "new",
        "location": record["JSDD"],
        "scale_content": record["JSGMJNR"],
        "funding_source": "social",
        "total_investment": "28000",
        "stage": "planning",
    }
    done = client.post("/exchange/investment/", form)
    assert done.status_code == 302, done.content.decode()[:2000]
    assert Project.objects.filter(code=CODE).exists()
