"""A department decides a joint case (一口受理) with its signed document, as people do it: the
case in the work queue once, the joint decision form with its confirmation, the results
register afterwards."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from greenlight.accounts.choices import DepartmentKind
from greenlight.approvals import acts, joint
from greenlight.approvals.models import Decision, JointCase
from greenlight.catalog.models import Bundle
from tests import factories as f

from .conftest import expect, login

pytestmark = pytest.mark.django_db(transaction=True)
TZ = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def accepted_case(world, settings, tmp_path):
    """环评 (ecology) + 排污许可 (ecology) + 排水许可 (water) bundled, submitted and accepted;
    the water department has prepared its act already."""
    settings.MEDIA_ROOT = tmp_path
    w = world
    w.matter.validity_months = 60
    w.matter.validity_source = "《环境影响评价法》第二十四条"
    w.matter.save()
    permit = f.MatterFactory(
        department_kind=DepartmentKind.ECOLOGY, name="排污许可证核发", committed_limit=10
    )
    permit.required_results.add(w.matter)
    drain = f.MatterFactory(department_kind=DepartmentKind.WATER, name="排水许可")
    a2 = f.ApprovalFactory(project=w.project1, matter=permit, department=w.eco)
    a3 = f.ApprovalFactory(project=w.project1, matter=drain, department=w.water)
    bundle = Bundle.objects.create(
        code="eia_permit_t",
        name="环评与排污许可联办",
        limit=11,
        unit="workday",
        source="宝安区案例：由2个月左右压缩为11个工作日",
    )
    bundle.matters.set([w.matter, permit, drain])
    at = timezone.now() - timedelta(days=3)
    case = joint.open_case(approval=w.approval1, actor=w.users.company)
    joint.move_case(case=case, action="submit", actor=w.users.company, at=at)
    joint.move_case(case=case, action="accept", actor=w.users.approver, at=at)
    drain_act = acts.ActInput(
        number="深宝水排许〔2026〕8号",
        issued_on=timezone.localdate(),
        handler_name="王水务",
        document=__import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
            "排水许可决定书.pdf", PDF, content_type="application/pdf"
        ),
    )
    joint.prepare(
        case=case, approval=a3, outcome="approved", act=drain_act, actor=w.users.water_approver
    )
    w.case, w.permit_approval, w.drain_approval = case, a2, a3
    return w


def test_a_department_decides_a_joint_case_with_its_documents(
    live_server, page, shot, accepted_case, tmp_path
):
    w, base = accepted_case, live_server.url
    doc = tmp_path / "环评批复.pdf"
    doc.write_bytes(PDF)
    login(page, base, "approver")
    # the work queue shows the joint case once, with both ecology members named
    page.goto(f"{base}/approvals/")
    rows = page.locator("table.grid tbody tr.joint")
    assert rows.count() == 1
    assert "环评与排污许可联办" in rows.first.inner_text()
    assert "排污许可证核发" in rows.first.inner_text()
    shot("joint-case-in-queue")
    rows.first.get_by_role("link", name="环评与排污许可联办").click()
    expect(page.get_by_role("heading", name="成员事项（同步审查）")).to_be_visible()
    page.get_by_role("link", name="联办审批决定").click()
    # one act per member of the department, side by side
    for a, number in (
        (w.approval1, "深宝环批〔2026〕21号"),
        (w.permit_approval, "深宝环排许〔2026〕5号"),
    ):
        box = page.locator(f"#act-{a.pk}")
        box.get_by_label("批文号/证照编号").fill(number)
        box.get_by_label("有效期至").fill(
            (timezone.localdate() + timedelta(days=5 * 365)).isoformat()
        )
        box.get_by_label("签发的决定文书").set_input_files(str(doc))
    shot("joint-decision-form")
    # without the confirmation the browser does not send it: nothing is issued
    form_url = page.url
    page.get_by_role("button", name="作出审批决定").click()
    assert page.url == form_url and Decision.objects.count() == 0
    for a in (w.approval1, w.permit_approval):
        page.locator(f"#act-{a.pk} input[name$=confirm]").check()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="作出审批决定").click()
    expect(page.get_by_text("联办案件已办结：全部决定已一并作出。")).to_be_visible()
    case = JointCase.objects.get()
    assert case.decided_at is not None
    assert Decision.objects.count() == 3  # the water department's act issued with them
    assert len({d.at for d in Decision.objects.all()}) == 1
    # the document opens through the checked view
    link = page.get_by_role("link", name="环评批复.pdf").first
    assert link.is_visible()
    # the results register lists every member's result
    page.goto(f"{base}/approvals/results/{w.project1.pk}/")
    text = page.locator("table.results").inner_text()
    for number in ("深宝环批〔2026〕21号", "深宝环排许〔2026〕5号", "深宝水排许〔2026〕8号"):
        assert number in text
    shot("results-register")


def test_the_decision_form_of_a_single_approval(live_server, page, shot, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from greenlight.approvals import services

    a = world.approval1
    moment = datetime.now(TZ) - timedelta(days=2)
    services.transition(approval=a, action="submit", actor=world.users.company, at=moment)
    services.transition(approval=a, action="accept", actor=world.users.approver, at=moment)
    login(page, live_server.url, "approver")
    page.goto(f"{live_server.url}/approvals/{a.pk}/decide/")
    page.get_by_label("不予许可").check()
    page.get_by_label("批文号/证照编号").fill("深宝环不许〔2026〕3号")
    page.get_by_label("审批意见").fill("项目选址位于饮用水水源二级保护区内，依法不予许可。")
    shot("decision-form")
    doc = tmp_path / "不予许可决定书.pdf"
    doc.write_bytes(PDF)
    page.get_by_label("签发的决定文书").set_input_files(str(doc))
    page.locator("input[name=confirm]").check()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="作出审批决定").click()
    # a refusal without its legal basis is refused, naming the field
    expect(page.locator("#field-legal_basis .error")).to_be_visible()
    assert Decision.objects.count() == 0
