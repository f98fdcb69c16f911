"""Importing files of the national tables: CSV and Excel rows through the intake, a JSON file
of a whole case through the approvals services, a bad row failing alone, and a re-run."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from greenlight.approvals.models import ApprovalEvent, Decision
from greenlight.audit.models import AuditEvent
from greenlight.exchange import services
from greenlight.exchange.models import ExchangeRow
from greenlight.projects.models import Project

from .helpers import CODE, CODE2, case_tables, project_row, seed


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


@pytest.fixture
def ex(world):
    seed(world)
    return world


def test_csv_registers_and_updates_projects_and_names_the_bad_row(ex):
    # given a CSV of three projects: a new one, a change to an existing one, a bad one
    existing = Project.objects.get(pk=ex.project2.pk)
    rows = [
        project_row(ex),
        project_row(ex, code=existing.code, XMMC=existing.name, ZTZE="31000.5"),
        project_row(ex, code=CODE2, ZTZE="两万"),
    ]
    # when the coordinator imports it
    run = services.import_file(data=_csv(rows), name="xm.csv", actor=ex.users.coordinator)
    # then the good rows are applied through the intake (audited), the bad one fails alone
    assert (run.total, run.applied, run.failed) == (3, 2, 1)
    new = Project.objects.get(code=CODE)
    assert (
        new.owner == ex.org2 and new.total_investment == 28000 and new.industry == "manufacturing"
    )
    assert new.construction_nature == "new" and new.funding_source == "social"
    assert AuditEvent.objects.filter(action="project_created", object_id=str(new.pk)).exists()
    existing.refresh_from_db()
    assert str(existing.total_investment) == "31000.50"
    bad = ExchangeRow.objects.get(run=run, outcome="failed")
    assert (bad.number, bad.field, bad.table) == (4, "ZTZE", "SPGL_XMJBXXB")
    assert bad.reason == "必须是数字"
    assert not Project.objects.filter(code=CODE2).exists()


def test_excel_sheet_with_codes_and_names_rows(ex):
    # given a workbook whose sheet is the table, with the field codes and then their names
    wb = Workbook()
    ws = wb.active
    ws.title = "SPGL_XMJBXXB"
    row = project_row(ex)
    ws.append(list(row))
    ws.append(["行政区划代码", "项目代码", "项目名称"] + [""] * (len(row) - 3))
    ws.append(list(row.values()))
    out = io.BytesIO()
    wb.save(out)
    # when imported, then the project is registered; the names row is not a data row
    run = services.import_file(data=out.getvalue(), name="xm.xlsx", actor=ex.users.coordinator)
    assert (run.total, run.applied, run.failed) == (1, 1, 0)
    assert run.rows.get().number == 3
    assert Project.objects.filter(code=CODE, name=row["XMMC"]).exists()


def test_json_case_from_submission_to_decision_and_a_rerun_changes_nothing(ex):
    # given a registered project and a JSON file of its case: history, 特别程序, 批复
    services.import_file(data=_csv([project_row(ex)]), name="xm.csv", actor=ex.users.coordinator)
    approval = Project.objects.get(code=CODE).approvals.order_by("pk").first()
    doc = case_tables(approval)
    data = json.dumps(doc, ensure_ascii=False).encode()
    # when imported
    run = services.import_file(data=data, name="bj.json", actor=ex.users.coordinator)
    # then every row is applied through the approvals services
    assert (run.total, run.failed) == (6, 0), list(run.rows.values("table", "field", "reason"))
    approval.refresh_from_db()
    assert approval.status == "approved"
    kinds = list(approval.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["submitted", "accepted", "paused", "resumed", "approved"]
    assert approval.pauses.get().reason == "expert_review"
    decision = Decision.objects.get(approval=approval)
    assert (
        decision.number == "深宝环批〔2026〕88号"
        and decision.actor.department == approval.department
    )
    assert decision.handler_name == "张三"
    # and a re-run of the same file changes nothing
    events, trail = (
        ApprovalEvent.objects.count(),
        AuditEvent.objects.exclude(action__startswith="exchange_run").count(),
    )
    again = services.import_file(data=data, name="bj.json", actor=ex.users.coordinator)
    assert (again.total, again.applied, again.unchanged, again.failed) == (6, 0, 6, 0)
    assert ApprovalEvent.objects.count() == events
    assert AuditEvent.objects.exclude(action__startswith="exchange_run").count() == trail


def test_json_bad_rows_fail_alone_with_field_and_reason(ex):
    # given a case whose 批复 lacks its number and a status row of an unknown case
    services.import_file(data=_csv([project_row(ex)]), name="xm.csv", actor=ex.users.coordinator)
    approval = Project.objects.get(code=CODE).approvals.order_by("pk").first()
    doc = case_tables(approval)
    doc["SPGL_XMSPSXPFWJXXB"][0]["PFWH"] = ""
    doc["SPGL_XMSPSXBLXXXXB"].append(
        {"GCDM": CODE, "SPSXSLBM": "GG-NO-SUCH", "BLZT": "1", "BLSJ": "2026-01-05 10:00:00"}
    )
    run = services.import_file(
        data=json.dumps(doc).encode(), name="bj.json", actor=ex.users.coordinator
    )
    failed = {(r.table, r.field): r for r in run.rows.filter(outcome="failed")}
    # then the 批复 fails on PFWH, the unknown case on SPSXSLBM, the closing status row because
    # no 批复 decided it; the rest is applied and nothing of a failed row was written
    assert set(failed) == {
        ("SPGL_XMSPSXPFWJXXB", "PFWH"),
        ("SPGL_XMSPSXBLXXXXB", "SPSXSLBM"),
        ("SPGL_XMSPSXBLXXXXB", "BLZT"),
    }
    assert failed[("SPGL_XMSPSXBLXXXXB", "SPSXSLBM")].number == 4
    assert "GG-NO-SUCH" in failed[("SPGL_XMSPSXBLXXXXB", "SPSXSLBM")].reason
    approval.refresh_from_db()
    assert approval.status == "accepted" and not approval.decisions.exists()
    assert run.applied == 4


def test_unreadable_file_is_refused_whole(ex):
    from greenlight.kernel.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        services.import_file(data=b"{not json", name="x.json", actor=ex.users.coordinator)
    assert refused.value.field == "file"
    with pytest.raises(InvalidInput):
        services.import_file(data=b"a,b\n1,2\n", name="x.csv", actor=ex.users.coordinator)


def test_command_imports_and_exits_2_on_a_failed_row(ex, tmp_path, capsys):
    path = tmp_path / "SPGL_XMJBXXB.csv"
    path.write_bytes(_csv([project_row(ex), project_row(ex, code=CODE2, JSXZ="9")]))
    with pytest.raises(SystemExit) as exited:
        call_command("exchange", "import", str(path), "--as", "coordinator")
    assert exited.value.code == 2
    out = capsys.readouterr()
    assert "2 rows, 1 applied" in out.out
    assert "row 3, JSXZ" in out.err and "exchange [" in out.err
    assert Project.objects.filter(code=CODE).exists()


def test_rows_of_another_district_are_refused_by_field(ex):
    # given rows naming 南山区: by its division code, and by a project code of its division
    from greenlight.projects.codes import make_project_code

    nanshan_code = make_project_code(
        year=2026, month=11, region_code="440305", sector=4, kind=1, serial=11
    )
    rows = [
        project_row(ex, code=CODE2, XZQHDM="440305"),
        project_row(ex, code=nanshan_code, XZQHDM=""),
        project_row(ex, code=ex.project_ns.code, XZQHDM="", DWTYSHXYDM=ex.org_ns.credit_code),
    ]
    run = services.import_file(data=_csv(rows), name="xm.csv", actor=ex.users.coordinator)
    # then each fails on the field that names the other district (the factory's 南山 project
    # carries a 宝安 code: its owner is the other district's), and nothing is written
    fields = list(run.rows.order_by("number").values_list("field", flat=True))
    assert fields == ["XZQHDM", "XMDM", "DWTYSHXYDM"] and run.failed == 3
    assert "宝安区" in run.rows.get(number=2).reason
    assert not Project.objects.filter(code__in=[CODE2, nanshan_code]).exists()
    assert Project.objects.get(pk=ex.project_ns.pk).name == ex.project_ns.name


def test_a_special_procedure_in_both_tables_pauses_the_clock_once(ex):
    # given a case whose 特别程序 is in its status history (9, 10) and in the 特别程序 table
    services.import_file(data=_csv([project_row(ex)]), name="xm.csv", actor=ex.users.coordinator)
    approval = Project.objects.get(code=CODE).approvals.order_by("pk").first()
    doc = case_tables(approval)
    special = doc["SPGL_XMSPSXBLTBCXXXB"][0]
    head = {k: special[k] for k in ("XZQHDM", "GCDM", "SPSXSLBM")}
    doc["SPGL_XMSPSXBLXXXXB"][2:2] = [
        {**head, "BLZT": "9", "BLSJ": special["TBCXKSSJ"], "BLYJ": "专家评审"},
        {**head, "BLZT": "10", "BLSJ": special["TBCXJSSJ"], "BLYJ": "专家评审结束"},
    ]
    run = services.import_file(
        data=json.dumps(doc).encode(), name="bj.json", actor=ex.users.coordinator
    )
    # then the clock paused and resumed once; the second report of it changed nothing
    assert run.failed == 0, list(run.rows.values("table", "field", "reason"))
    assert (run.applied, run.unchanged) == (6, 2)
    approval.refresh_from_db()
    assert approval.status == "approved" and approval.pauses.count() == 1
