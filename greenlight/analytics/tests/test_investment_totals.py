"""The monthly investment totals (projects.InvestmentMonth) against the reports they sum: after
any sequence of writes through the services they equal the live aggregate, every writer keeps
them, and every role's dashboard figures equal a sum over the reports it may see."""

from __future__ import annotations

import io
import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from greenlight.analytics import dashboard, services
from greenlight.kernel.roles import Role
from greenlight.projects import bulk as project_bulk
from greenlight.projects import services as project_services
from greenlight.projects import totals
from greenlight.projects.models import InvestmentMonth, InvestmentReport
from tests import factories as f

YEAR = 2025
INDUSTRIES = ("manufacturing", "logistics", "health")


@pytest.fixture
def places(world):
    """Two subdistricts of 宝安, one of 南山, and a city user beside the district ones."""
    subs = {
        "xinan": f.SubdistrictFactory(region=world.baoan, name="新安街道"),
        "xixiang": f.SubdistrictFactory(region=world.baoan, name="西乡街道"),
        "yuehai": f.SubdistrictFactory(region=world.nanshan, name="粤海街道"),
    }
    city = f.UserFactory(username="city", role=Role.LEADER, region=world.baoan.parent)
    security = f.UserFactory(username="sec", role=Role.SECURITY_ADMIN, region=world.baoan)
    return {"subs": subs, "city": city, "security": security}


def _coordinator(world, project):
    return world.users.nanshan if project.region_id == world.nanshan.pk else world.users.coordinator


def _expected(user, year: int, *, by_sub: bool) -> dict:
    """The dashboard's investment figures summed in Python over the reports `user` may see."""
    monthly, places, industries = [0.0] * 12, {}, {}
    for r in (
        InvestmentReport.objects.visible_to(user).filter(month__year=year).select_related("project")
    ):
        amount = float(r.amount)
        monthly[r.month.month - 1] += amount
        key = r.project.subdistrict_id if by_sub else r.project.region_id
        places[key] = places.get(key, 0.0) + amount
        industries[r.project.industry] = industries.get(r.project.industry, 0.0) + amount
    return {"monthly": monthly, "places": places, "industries": industries}


def _assert_dashboards_match(world, places):
    users = [world.users.province, places["city"], places["security"], world.users.nanshan]
    users += [getattr(world.users, r) for r in ("leader", "coordinator", "approver", "company")]
    users += [world.users.company2, world.users.supervisor]
    for user in users:
        got = dashboard.investment(user=user, year=YEAR, target=None)
        want = _expected(user, YEAR, by_sub=got["by"] == "subdistrict")
        assert got["monthly"] == pytest.approx(want["monthly"]), user
        assert {r["id"]: r["amount"] for r in got["subdistricts"]} == pytest.approx(
            want["places"]
        ), user
        assert {r["code"]: r["amount"] for r in got["industries"]} == pytest.approx(
            want["industries"]
        ), user


def _step(rng: random.Random, world, projects, subs) -> None:
    """One write through a service: a report or its correction, a bulk load with repeats, an
    Excel import's commit, or a project moved to another subdistrict or industry."""
    kind = rng.choice(["submit", "submit", "bulk", "import", "move"])
    month = lambda: date(rng.choice([YEAR - 1, YEAR, YEAR]), rng.randint(1, 12), 1)  # noqa: E731
    amount = lambda: Decimal(rng.randint(0, 50_000)) / 100  # noqa: E731
    p = rng.choice(projects)
    if kind == "submit":
        services.submit_report(
            actor=_coordinator(world, p), project=p, month=month(), amount=amount()
        )
    elif kind == "bulk":
        rows = [
            InvestmentReport(project_id=rng.choice(projects).pk, month=month(), amount=amount())
            for _ in range(rng.randint(1, 8))
        ]
        project_bulk.record_reports(rows)
    elif kind == "import":
        same = [q for q in projects if q.region_id == p.region_id]
        rows = {(rng.choice(same), month()) for _ in range(rng.randint(1, 4))}
        services.import_reports(
            actor=_coordinator(world, p), rows=[(q, m, amount()) for q, m in rows]
        )
    else:
        own = [s.pk for s in subs.values() if s.region_id == p.region_id] + [None]
        data = {"subdistrict": rng.choice(own), "industry": rng.choice(INDUSTRIES)}
        project_services.update_project(project=p, data=data, actor=_coordinator(world, p))
    p.refresh_from_db()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_totals_equal_the_reports_after_any_writes_through_the_services(world, places, seed):
    # given five projects in two districts, some in a subdistrict
    rng = random.Random(seed)
    projects = [world.project1, world.project2, world.project_ns]
    projects += [f.ProjectFactory(owner=world.org1), f.ProjectFactory(owner=world.org_ns)]
    # when forty writes of every kind, corrections and moves among them
    for _ in range(40):
        _step(rng, world, projects, places["subs"])
        # then the stored totals are the live aggregate after each
        assert totals.differences() == []
    # and no cell is left without a report; every role's figures are its reports' sums
    assert not InvestmentMonth.objects.filter(reports=0).exists()
    assert InvestmentMonth.objects.count() == len(list(totals.live()))
    _assert_dashboards_match(world, places)


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    wb.active.append(["项目代码", "月份", "完成投资（万元）"])
    for r in rows:
        wb.active.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "reports.xlsx"
    return out


def _write(way: str, client_for, world) -> None:
    p = world.project1
    if way == "page":
        data = {"project": p.pk, "month": f"{YEAR}-03", "amount": "120.50"}
        answer = client_for(world.users.company).post("/analytics/investment/report/", data)
        assert answer.status_code == 302
    elif way == "api":
        answer = client_for(world.users.company).post(
            "/api/v1/analytics/investment-reports",
            {"project": p.pk, "month": f"{YEAR}-03-01", "amount": "120.50"},
            content_type="application/json",
        )
        assert answer.status_code == 201
    elif way == "excel":
        client = client_for(world.users.company)
        preview = client.post(
            "/analytics/investment/import/", {"file": _xlsx([(p.code, f"{YEAR}-03", "120.5")])}
        )
        token = preview.context["token"]
        answer = client.post("/analytics/investment/import/commit/", {"token": token})
        assert answer.status_code == 302
    elif way == "bulk":
        project_bulk.record_reports(
            [InvestmentReport(project=p, month=date(YEAR, 3, 1), amount=Decimal("120.50"))]
        )


@pytest.mark.parametrize("way", ["page", "api", "excel", "bulk"])
def test_writing_a_report_any_way_updates_the_totals(client_for, world, places, way):
    # given project1 started, in 新安, and project2's report of the same month
    world.project1.actual_start, world.project1.stage = date(YEAR, 1, 15), "construction"
    world.project1.save()
    sub = places["subs"]["xinan"]
    project_services.update_project(
        project=world.project1, data={"subdistrict": sub.pk}, actor=world.users.coordinator
    )
    services.submit_report(
        actor=world.users.coordinator,
        project=world.project2,
        month=date(YEAR, 3, 1),
        amount=Decimal("10"),
    )
    # when
    _write(way, client_for, world)
    # then the leader's dashboard shows it by month and by subdistrict
    d = dashboard.investment(user=world.users.leader, year=YEAR, target=None)
    assert d["monthly"][2] == pytest.approx(130.5)
    assert {r["name"]: r["amount"] for r in d["subdistricts"]}["新安街道"] == pytest.approx(120.5)
    assert totals.differences() == []


def test_a_correction_and_a_move_change_the_cells(world, places):
    # given 100 reported in 新安 as manufacturing
    sub = places["subs"]["xinan"]
    p = world.project1
    actor = world.users.coordinator
    project_services.update_project(
        project=p, data={"subdistrict": sub.pk, "industry": "manufacturing"}, actor=actor
    )
    services.submit_report(actor=actor, project=p, month=date(YEAR, 1, 1), amount=Decimal(100))
    # when corrected to 60, then moved to 西乡 and logistics
    services.submit_report(actor=actor, project=p, month=date(YEAR, 1, 1), amount=Decimal(60))
    cell = InvestmentMonth.objects.get()
    assert (cell.subdistrict_id, cell.amount, cell.reports) == (sub.pk, 60, 1)
    other = places["subs"]["xixiang"]
    project_services.update_project(
        project=p, data={"subdistrict": other.pk, "industry": "logistics"}, actor=actor
    )
    # then the old cell is gone and the new one holds the report
    cell = InvestmentMonth.objects.get()
    assert (cell.subdistrict_id, cell.industry, cell.amount, cell.reports) == (
        other.pk,
        "logistics",
        60,
        1,
    )


def test_bulk_load_keeps_the_first_report_of_a_month_and_its_queries_do_not_grow(
    world, django_assert_max_num_queries
):
    # given project1's January report
    month = date(YEAR, 1, 1)
    project_bulk.record_reports([InvestmentReport(project=world.project1, month=month, amount=5)])
    one = [InvestmentReport(project=world.project2, month=month, amount=Decimal(1))]
    many = [
        InvestmentReport(project=f.ProjectFactory(owner=world.org1), month=month, amount=1)
        for _ in range(30)
    ]
    # when reported again with others (twice in the batch), the query count is the same
    # (18 with the audit chain heads created on the way)
    with django_assert_max_num_queries(18):
        project_bulk.record_reports(one)
    again = [InvestmentReport(project=world.project1, month=month, amount=Decimal(99))]
    with django_assert_max_num_queries(18):
        stored = project_bulk.record_reports(again + many + many[:3])
    # then the first report stands and the totals count each report once
    assert stored == 30
    assert InvestmentReport.objects.get(project=world.project1).amount == 5
    assert InvestmentMonth.objects.get(region=world.baoan).reports == 32
    assert totals.differences() == []


def test_command_checks_and_rebuilds_the_totals(world):
    # given a report written past the services (as a COPY would)
    InvestmentReport.objects.create(project=world.project1, month=date(YEAR, 2, 1), amount=7)
    # when checked, the missing cell is named
    with pytest.raises(CommandError, match="1 monthly totals differ"):
        call_command("analytics", "investment", "--check", stdout=io.StringIO())
    # then a rebuild fixes it
    out = io.StringIO()
    call_command("analytics", "investment", stdout=out)
    assert "1 monthly totals" in out.getvalue()
    assert totals.differences() == []
    call_command("analytics", "investment", "--check", stdout=out)
    assert "match" in out.getvalue()
