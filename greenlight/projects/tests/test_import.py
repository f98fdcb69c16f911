"""Registering projects from Excel: the template, the dry run naming row/column/reason, all or
nothing, the page and the `greenlight projects import` command with its exit codes."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from greenlight.approvals.models import Approval
from greenlight.audit.models import AuditEvent
from greenlight.projects import importer
from greenlight.projects.models import Project

from .intake import seed

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in importer.COLUMNS]


def _row(world, **overrides) -> dict:
    row = {
        "项目代码": "2611-440306-04-01-200001",
        "项目名称": "沙井智能装备产业园",
        "项目单位": world.org2.name,
        "项目类别": "社会投资产业",
        "所属行业": "先进制造",
        "建设性质": "新建",
        "建设地点": "深圳市宝安区沙井街道新沙路",
        "建设规模及内容": "新建厂房3栋，总建筑面积6万平方米",
        "资金来源": "社会投资",
        "总投资（万元）": 28000,
        "用地面积（平方米）": 30000,
        "所属街道": "",
        "项目联系人": "李工",
        "联系电话": "13812345678",
        "可选事项": "",
        "重大项目": "否",
        "计划开工日期": "2027-06-30",
        "项目简介": "",
    }
    row.update(overrides)
    return row


def _xlsx(rows: list[dict], header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append([row.get(h, "") for h in header])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _three(world) -> list[dict]:
    return [
        _row(world),
        _row(world, 项目代码="2611-440306-04-01-200002", 项目名称="福永物流园", 项目单位=world.org1.name,
             所属行业="logistics", 资金来源="social"),
        _row(world, 项目代码="2611-440306-04-01-200003", 项目名称="西乡学校", 项目类别="政府投资房建",
             所属行业="教育", 资金来源="财政资金", 可选事项="TR-02", 联系电话="0755-29991234"),
    ]  # fmt: skip


def test_the_template_has_every_column_an_example_and_notes(world):
    seed(world)
    wb = load_workbook(io.BytesIO(importer.template(region=world.baoan)))
    sheet = wb.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.cell(2, 1).value.split("-")[1] == "440306"
    notes = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row)
    assert "新建" in notes and "财政资金" in notes and "TR-02" in notes


def test_a_clean_file_is_checked_without_writing(world):
    # given the seed and a file of three good rows
    seed(world)
    before = (Project.objects.count(), Approval.objects.count(), AuditEvent.objects.count())
    # when it is checked (the dry run)
    parsed = importer.parse(_xlsx(_three(world)), user=world.users.coordinator)
    # then all three are ready, each with the matters it would open, and nothing is written
    assert parsed.ok and [r["row"] for r in parsed.rows] == [2, 3, 4]
    assert "TR-02" in {m.code for m in parsed.rows[2]["matters"]}
    assert (Project.objects.count(), Approval.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"项目代码": "2611-440306-04-01-2001"}, "项目代码", "YYMM-RRRRRR-DD-TT-NNNNNC"),
        ({"项目代码": "2611-449999-04-01-200001"}, "项目代码", "449999"),
        ({"项目代码": "2611-440305-04-01-200001"}, "项目代码", "440305"),
        ({"项目单位": "不存在的公司"}, "项目单位", "不存在的公司"),
        ({"总投资（万元）": ""}, "总投资（万元）", "必填"),
        ({"总投资（万元）": "-5"}, "总投资（万元）", "负"),
        ({"联系电话": "8888"}, "联系电话", "手机号"),
        ({"建设性质": "翻新"}, "建设性质", "新建"),
        ({"资金来源": "彩票"}, "资金来源", "财政资金"),
        ({"建设地点": ""}, "建设地点", "必填"),
        ({"可选事项": "HS-05"}, "可选事项", "HS-05"),
        ({"计划开工日期": "明年"}, "计划开工日期", "YYYY-MM-DD"),
    ],
)
def test_the_dry_run_names_row_column_and_reason(world, overrides, column, fragment):
    # given the seed and a file whose third row is bad in one way
    seed(world)
    rows = _three(world)
    rows[1].update(overrides)
    # when it is checked
    parsed = importer.parse(_xlsx(rows), user=world.users.coordinator)
    # then the error names row 3, the column and the reason, and the file may not be imported
    assert not parsed.ok
    assert [(e.row, e.column) for e in parsed.errors] == [(3, column)]
    assert fragment in parsed.errors[0].reason


def test_every_bad_row_is_listed_at_once(world):
    seed(world)
    rows = _three(world)
    rows[0]["项目单位"] = "不存在的公司"
    rows[2]["联系电话"] = "12345"
    rows[2]["项目代码"] = rows[1]["项目代码"]
    parsed = importer.parse(_xlsx(rows), user=world.users.coordinator)
    found = {(e.row, e.column) for e in parsed.errors}
    assert {(2, "项目单位"), (4, "联系电话")} <= found


def test_a_code_twice_in_the_file_or_already_registered_is_refused(world):
    seed(world)
    rows = _three(world)
    rows[2]["项目代码"] = rows[0]["项目代码"]
    parsed = importer.parse(_xlsx(rows), user=world.users.coordinator)
    assert [(e.row, e.column) for e in parsed.errors] == [(4, "项目代码")]
    assert "第 2 行" in parsed.errors[0].reason
    rows = [_row(world, 项目代码=world.project1.code)]
    parsed = importer.parse(_xlsx(rows), user=world.users.coordinator)
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "项目代码")]


def test_a_missing_column_is_named_on_the_header_row(world):
    header = [h for h in HEADER if h != "总投资（万元）"]
    parsed = importer.parse(_xlsx([_row(world)], header=header), user=world.users.coordinator)
    assert [(e.row, e.column) for e in parsed.errors] == [(1, "总投资（万元）")]


def test_an_owner_of_another_district_is_unknown(world):
    rows = [_row(world, 项目单位=world.org_ns.name)]
    parsed = importer.parse(_xlsx(rows), user=world.users.coordinator)
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "项目单位")]


def test_commit_registers_every_row_with_approvals_and_plans(world):
    seed(world)
    projects = importer.commit(_xlsx(_three(world)), user=world.users.coordinator)
    assert [p.name for p in projects] == ["沙井智能装备产业园", "福永物流园", "西乡学校"]
    school = Project.objects.get(name="西乡学校")
    assert school.funding_source == "fiscal" and school.contact_phone == "0755-29991234"
    assert school.approvals.filter(matter__code="TR-02").exists()
    for project in Project.objects.filter(pk__in=[p.pk for p in projects]):
        assert project.approvals.exists() and project.forecast_start is not None
        assert not project.approvals.filter(planned_start__isnull=True).exists()
    assert AuditEvent.objects.filter(action="project_created").count() == 3


def test_commit_is_all_or_nothing(world):
    # given the third row names a division outside Bao'an
    seed(world)
    rows = _three(world)
    rows[2]["项目代码"] = "2611-440305-04-01-200003"
    before = (Project.objects.count(), Approval.objects.count())
    # when it is imported
    with pytest.raises(importer.InvalidInput) as caught:
        importer.commit(_xlsx(rows), user=world.users.coordinator)
    # then nothing is registered and the error lists the row
    assert (Project.objects.count(), Approval.objects.count()) == before
    assert caught.value.extra["errors"][0]["row"] == 4


def test_a_failure_while_writing_rolls_every_row_back(world, monkeypatch):
    # given the registration of the second row fails while writing
    from greenlight.projects import services

    seed(world)
    real = services.create_project
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise services.DomainError("写入失败", field="name")
        return real(**kwargs)

    monkeypatch.setattr(services, "create_project", flaky)
    before = (Project.objects.count(), Approval.objects.count())
    with pytest.raises(importer.InvalidInput):
        importer.commit(_xlsx(_three(world)), user=world.users.coordinator)
    assert (Project.objects.count(), Approval.objects.count()) == before


def test_not_a_workbook_is_refused(world):
    with pytest.raises(importer.InvalidInput) as caught:
        importer.parse(b"not excel", user=world.users.coordinator)
    assert caught.value.field == "file"


# -- the page ---------------------------------------------------------------------------------


def _upload(client, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("projects:import"),
        {"file": SimpleUploadedFile("projects.xlsx", data)},
    )


def test_the_page_previews_then_imports(client_for, world):
    seed(world)
    client = client_for(world.users.coordinator)
    assert client.get(reverse("projects:import")).status_code == 200
    template = client.get(reverse("projects:import_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd")
    # when a clean file is uploaded, it is previewed and nothing is written
    response = _upload(client, _xlsx(_three(world)))
    html = response.content.decode()
    assert "3 个项目可以登记" in html and Project.objects.filter(name="西乡学校").count() == 0
    # and confirming registers the three
    token = response.context["token"]
    done = client.post(reverse("projects:import_commit"), {"token": token}, follow=True)
    assert "已从 Excel 登记 3 个项目" in done.content.decode()
    assert Project.objects.filter(name="西乡学校").count() == 1


def test_the_page_lists_the_bad_rows(client_for, world):
    seed(world)
    client = client_for(world.users.coordinator)
    rows = _three(world)
    rows[1]["联系电话"] = "8888"
    response = _upload(client, _xlsx(rows))
    html = response.content.decode()
    assert "联系电话" in html and "手机号" in html and "token" not in response.context


@pytest.mark.parametrize("role", ["approver", "company", "leader"])
def test_only_coordinators_import(client_for, world, role):
    client = client_for(getattr(world.users, role))
    assert client.get(reverse("projects:import")).status_code == 403
    assert client.get(reverse("projects:import_template")).status_code == 403


# -- the command ------------------------------------------------------------------------------


def _file(tmp_path, rows) -> str:
    path = tmp_path / "projects.xlsx"
    path.write_bytes(_xlsx(rows))
    return str(path)


def test_the_command_imports_with_a_progress_bar(world, tmp_path):
    # given the seed and one active coordinator
    seed(world)
    world.users.nanshan.is_active = False
    world.users.nanshan.save()
    out, err = io.StringIO(), io.StringIO()
    call_command("projects", "import", _file(tmp_path, _three(world)), stdout=out, stderr=err)
    assert "3 projects registered as coordinator" in out.getvalue()
    assert "projects [" in err.getvalue() and "3/3" in err.getvalue()
    assert Project.objects.filter(name="西乡学校").exists()


def test_the_dry_run_writes_nothing(world, tmp_path):
    seed(world)
    out = io.StringIO()
    call_command(
        "projects", "import", _file(tmp_path, _three(world)), "--dry-run", "--as", "coordinator",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert "dry run: 3 projects would be registered" in out.getvalue()
    assert not Project.objects.filter(name="西乡学校").exists()


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_bad_file_exits_2_listing_the_rows(world, tmp_path, dry_run):
    seed(world)
    rows = _three(world)
    rows[1]["项目单位"] = "不存在的公司"
    rows[2]["总投资（万元）"] = ""
    err = io.StringIO()
    args = ["projects", "import", _file(tmp_path, rows), "--as", "coordinator"]
    args += ["--dry-run"] if dry_run else []
    with pytest.raises(SystemExit) as caught:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    assert caught.value.code == 2
    text = err.getvalue()
    assert "row 3, 项目单位" in text and "row 4, 总投资（万元）" in text
    assert not Project.objects.filter(name="沙井智能装备产业园").exists()


def test_the_command_needs_a_coordinator_when_there_are_several(world, tmp_path):
    err = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("projects", "import", _file(tmp_path, [_row(world)]), stderr=err)
    assert caught.value.code == 2 and "--as" in err.getvalue()
    with pytest.raises(SystemExit) as caught:
        call_command(
            "projects", "import", _file(tmp_path, [_row(world)]), "--as", "approver",
            stderr=io.StringIO(),
        )  # fmt: skip
    assert caught.value.code == 2


def test_the_command_acts_as_the_named_coordinator(world, tmp_path):
    seed(world)
    out = io.StringIO()
    call_command(
        "projects", "import", _file(tmp_path, [_row(world)]), "--as", "coordinator",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    event = AuditEvent.objects.get(action="project_created")
    assert event.actor == world.users.coordinator


def test_a_missing_file_exits_2(world, tmp_path):
    with pytest.raises(SystemExit) as caught:
        call_command(
            "projects", "import", str(tmp_path / "none.xlsx"), "--as", "coordinator",
            stderr=io.StringIO(),
        )  # fmt: skip
    assert caught.value.code == 2
