"""Excel intake: the template, a dry run naming row/column/reason, all or nothing."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from greenlight.tickets import importer
from greenlight.tickets.models import Ticket

pytestmark = pytest.mark.django_db
HEADER = ["项目代码", "问题标题", "问题分类", "问题描述", "反映时间"]


def _xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, data, *, dry_run=True, name="problems.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(f"/api/v1/tickets/import?dry_run={str(dry_run).lower()}", {"file": f})


def test_template_has_the_columns(client_for, world):
    response = client_for(world.users.coordinator).get("/tickets/import/template.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == HEADER


def test_a_clean_file_imports_keeping_the_report_times(client_for, world):
    data = _xlsx(
        [
            [world.project1.code, "施工围挡审批", "施工条件", "", "2026-09-30 16:00"],
            [world.project2.code, "管线迁改方案未定", "管线迁改", "燃气管线", "2026/11/02"],
        ]
    )
    client = client_for(world.users.coordinator)
    preview = _upload(client, data).json()
    assert preview["rows"] == 2 and preview["errors"] == [] and Ticket.objects.count() == 0
    done = _upload(client, data, dry_run=False).json()
    assert len(done["imported"]) == 2
    first = Ticket.objects.get(title="施工围挡审批")
    assert first.channel == "excel"
    assert first.reported_at.isoformat().startswith("2026-09-30T08:00")  # 16:00 Shanghai in UTC
    assert first.feedback_due.isoformat().startswith("2026-10-08T10:00")


def test_bad_rows_are_reported_by_row_column_reason_and_nothing_is_imported(client_for, world):
    data = _xlsx(
        [
            [world.project1.code, "正常的一行", "用地", "", "2026-11-02 09:00"],
            ["9999-440306-04-01-999999", "未知项目", "用地", "", "2026-11-02"],
            [world.project_ns.code, "别区的项目", "用地", "", "2026-11-02"],
            [world.project1.code, "", "天气", "", "2026-13-45"],
        ]
    )
    client = client_for(world.users.coordinator)
    errors = _upload(client, data).json()["errors"]
    cells = [(e["row"], e["column"]) for e in errors]
    assert cells == [
        (3, "项目代码"),
        (4, "项目代码"),
        (5, "问题标题"),
        (5, "问题分类"),
        (5, "反映时间"),
    ]
    assert "未知" in errors[0]["reason"] or "unknown" in errors[0]["reason"]
    response = _upload(client, data, dry_run=False)
    assert response.status_code == 422
    assert len(response.json()["errors"]) == 5
    assert Ticket.objects.count() == 0


def test_wrong_columns_are_named(client_for, world):
    data = _xlsx([["x", "y"]], header=["项目编号", "问题标题"])
    errors = _upload(client_for(world.users.coordinator), data).json()["errors"]
    assert {(e["row"], e["column"]) for e in errors} >= {(1, "项目代码"), (1, "项目编号")}


def test_a_company_can_only_import_its_own_projects(client_for, world):
    data = _xlsx([[world.project2.code, "别人的项目", "用地", "", "2026-11-02"]])
    errors = _upload(client_for(world.users.company), data).json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "项目代码")]


def test_not_excel_or_too_large_is_refused(client_for, world, monkeypatch):
    client = client_for(world.users.coordinator)
    response = _upload(client, b"%PDF-1.4 not a workbook", name="x.xlsx")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["file"]
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    response = _upload(client, _xlsx([]))
    assert response.status_code == 422 and "MB" in response.json()["detail"][0]["msg"]


def test_leaders_do_not_import(client_for, world):
    assert _upload(client_for(world.users.leader), _xlsx([])).status_code == 403


def test_import_pages_preview_then_commit(client_for, world):
    client = client_for(world.users.coordinator)
    f = io.BytesIO(_xlsx([[world.project1.code, "页面导入", "政策", "", "2026-11-02 10:00"]]))
    f.name = "a.xlsx"
    page = client.post("/tickets/import/", {"file": f})
    assert page.status_code == 200 and Ticket.objects.count() == 0
    token = page.context["token"]
    assert client.post("/tickets/import/commit/", {"token": token}).status_code == 302
    assert Ticket.objects.filter(title="页面导入").count() == 1
    # the staged file is gone: a replay imports nothing
    client.post("/tickets/import/commit/", {"token": token})
    assert Ticket.objects.count() == 1
    assert client.post("/tickets/import/commit/", {"token": "../../etc"}).status_code == 404
