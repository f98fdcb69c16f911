"""Investment statistics: 纳统 status, missing reports, entry, Excel import, monthly report,
and the event-log exports."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from greenlight.analytics import investment
from greenlight.audit.models import AuditEvent
from greenlight.projects.models import InvestmentReport


@pytest.fixture
def started(world):
    """project1 (12000万元) started in January 2025; project2 has not started."""
    world.project1.actual_start = date(2025, 1, 15)
    world.project1.stage = "construction"
    world.project1.save()
    world.project_ns.actual_start = date(2025, 1, 15)
    world.project_ns.save()
    return world.project1


def _xlsx(rows, header=("项目代码", "月份", "完成投资（万元）")) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "reports.xlsx"
    return out


def test_due_report_and_missing_list(world, started):
    # given the March report of project1 is missing, and small projects do not count
    world.project2.total_investment = Decimal("499.99")
    world.project2.actual_start = date(2025, 1, 2)
    world.project2.save()
    # when
    due = investment.due_report(date(2025, 4, 11))
    missing = list(investment.missing(user=world.users.coordinator, month=due.month))
    # then
    assert due.month == date(2025, 3, 1) and due.deadline == date(2025, 4, 10) and due.late
    assert missing == [world.project1]
    assert not investment.due_report(date(2025, 4, 10)).late
    InvestmentReport.objects.create(project=started, month=date(2025, 3, 1), amount=Decimal("5"))
    assert not investment.missing(user=world.users.coordinator, month=due.month).exists()


def test_company_enters_its_report_and_corrects_it(client_for, world, started):
    # given
    client = client_for(world.users.company)
    data = {"project": started.pk, "month": "2025-03", "amount": "1200.50"}
    # when
    assert client.post("/analytics/investment/report/", data).status_code == 302
    client.post("/analytics/investment/report/", {**data, "amount": "1300"})
    # then one report, corrected, both in the audit trail
    report = InvestmentReport.objects.get(project=started)
    assert report.amount == Decimal("1300") and report.month == date(2025, 3, 1)
    kinds = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"investment_report_submitted", "investment_report_corrected"} <= kinds


def test_report_errors_show_on_the_field_and_others_may_not_report(client_for, world, started):
    # when a negative amount
    response = client_for(world.users.company).post(
        "/analytics/investment/report/", {"project": started.pk, "month": "2025-03", "amount": "-1"}
    )
    # then
    assert response.status_code == 400 and "invalid" in response.content.decode()
    # and company2 cannot pick project1; a leader may not report at all
    response = client_for(world.users.company2).post(
        "/analytics/investment/report/", {"project": started.pk, "month": "2025-03", "amount": "1"}
    )
    assert response.status_code == 400
    assert (
        client_for(world.users.leader).post("/analytics/investment/report/", {}).status_code == 403
    )
    assert not InvestmentReport.objects.exists()


def test_import_dry_run_names_row_column_reason_and_stores_nothing(client_for, world, started):
    # given one good row and three bad ones
    client = client_for(world.users.company)
    f = _xlsx(
        [
            (started.code, "2025-02", "10"),
            ("NOPE", "2025-02", "1"),
            (started.code, "2025-13", "x"),
            (started.code, "2025-02", "3"),
        ]
    )
    # when
    response = client.post("/analytics/investment/import/", {"file": f})
    html = response.content.decode()
    # then
    assert "没有您可查看的此代码项目" in html and "月份请写作 YYYY-MM" in html
    assert "与第 2 行的项目和月份重复" in html and "未导入任何数据" in html
    assert not InvestmentReport.objects.exists()


def test_import_preview_then_commit_all(client_for, world, started):
    # given
    client = client_for(world.users.company)
    f = _xlsx([(started.code, "2025-01", "10"), (started.code, "2025-02", "20.5")])
    # when the preview is shown, nothing is stored yet
    response = client.post("/analytics/investment/import/", {"file": f})
    token = response.context["token"]
    assert not InvestmentReport.objects.exists()
    # then the commit stores both
    assert client.post("/analytics/investment/import/commit/", {"token": token}).status_code == 302
    assert InvestmentReport.objects.filter(project=started).count() == 2
    # and a forged token is refused
    client.post("/analytics/investment/import/commit/", {"token": token + "x"})
    assert InvestmentReport.objects.count() == 2


def test_import_is_all_or_nothing_when_a_row_fails_on_commit(world, started):
    from greenlight.analytics import services
    from greenlight.kernel.errors import DomainError

    rows = [
        (started, date(2025, 1, 1), Decimal("1")),
        (world.project2, date(2025, 1, 1), Decimal("1")),
    ]
    with pytest.raises(DomainError):
        services.import_reports(actor=world.users.company, rows=rows)
    assert not InvestmentReport.objects.exists()


def test_monthly_report_excel(client_for, world, started):
    # given
    InvestmentReport.objects.create(project=started, month=date(2025, 1, 1), amount=Decimal("100"))
    InvestmentReport.objects.create(project=started, month=date(2025, 2, 1), amount=Decimal("50"))
    # when
    response = client_for(world.users.coordinator).get(
        "/analytics/investment/monthly.xlsx?month=2025-02"
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    # then project1 with its month, year-to-date and since-start amounts; not Nanshan's
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0][1] == started.code and rows[0][8:11] == (50, 150, 150)
    assert rows[-1][0] == "合计" and len(rows) == 2


def test_ocel_and_csv_exports(client_for, world, scenario):
    # given the scenario's approvals, with one event each
    from greenlight.approvals.models import ApprovalEvent

    ApprovalEvent.objects.create(
        approval=scenario.a, kind="accepted", to_status="accepted", at=scenario.a.accepted_at
    )
    ApprovalEvent.objects.create(
        approval=scenario.a, kind="approved", to_status="approved", at=scenario.a.decided_at
    )
    client = client_for(world.users.coordinator)
    # when
    body = b"".join(
        client.get("/analytics/export/ocel.json?start=2025-03-01&end=2025-03-31").streaming_content
    )
    log = json.loads(body)
    csv_text = b"".join(
        client.get("/analytics/export/events.csv?start=2025-03-01&end=2025-03-31").streaming_content
    ).decode()
    # then OCEL 2.0 shape with related objects
    assert {t["name"] for t in log["objectTypes"]} == {
        "project",
        "approval",
        "ticket",
        "department",
    }
    assert [e["type"] for e in log["events"]] == ["accepted", "approved"]
    ids = {o["id"] for o in log["objects"]}
    assert {
        f"approval:{scenario.a.pk}",
        f"project:{scenario.p1.pk}",
        f"department:{world.eco.pk}",
    } <= ids
    assert csv_text.splitlines()[0].startswith("case_id,activity,timestamp")
    assert len(csv_text.splitlines()) == 3
    # and a company of another project sees no event
    other = client_for(world.users.company2).get(
        "/analytics/export/events.csv?start=2025-03-01&end=2025-03-31"
    )
    assert len(b"".join(other.streaming_content).decode().splitlines()) == 1
