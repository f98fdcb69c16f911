"""容缺受理: accepted with materials missing and their days, the clock running, the late ones
in the department's and the owner's work, and no grant while one is missing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from greenlight.approvals import acts, gaps, services
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Decision, MissingMaterial
from greenlight.kernel.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def submitted(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = world.matter
    m.accept_with_gaps = True
    m.materials = ["环境影响报告表", "项目代码或立项文件", "建设项目环评审批申请表"]
    m.save()
    world.baoan.settings = {**(world.baoan.settings or {}), "gap_workdays": 3}
    world.baoan.save()
    a = world.approval1
    services.transition(approval=a, action="submit", actor=world.users.company)
    a.refresh_from_db()
    return a


def _grant(world, a):
    return acts.decide(
        approval=a,
        outcome="approved",
        act=acts.ActInput(
            number="深宝环批〔2026〕30号",
            issued_on=timezone.localdate(),
            handler_name="李审批",
            document=SimpleUploadedFile("批复.pdf", PDF),
        ),
        actor=world.users.approver,
    )


def test_accepting_with_gaps_starts_the_clock_and_blocks_the_grant(world, submitted):
    today = timezone.localdate()
    a = gaps.accept(
        approval=submitted,
        actor=world.users.approver,
        missing=[
            ("项目代码或立项文件", None),
            ("建设项目环评审批申请表", today + timedelta(days=2)),
        ],
    )
    assert a.status == Status.ACCEPTED and a.due_at is not None  # the clock runs
    rows = {m.name: m for m in a.missing.all()}
    # the default day is the region's period (3 working days), the other as given
    assert rows["项目代码或立项文件"].due_on == gaps.default_due(a, today=today)
    assert rows["项目代码或立项文件"].due_on > today
    assert rows["建设项目环评审批申请表"].due_on == today + timedelta(days=2)
    # no grant while one is missing
    with pytest.raises(Conflict) as exc:
        _grant(world, a)
    assert exc.value.code == "materials_missing" and not Decision.objects.exists()
    for m in rows.values():
        gaps.supplied(material=m, actor=world.users.approver)
    a.refresh_from_db()
    assert _grant(world, a).outcome == "approved"


def test_a_refusal_may_still_be_issued_while_missing(world, submitted):
    gaps.accept(approval=submitted, actor=world.users.approver, missing=[("环境影响报告表", None)])
    submitted.refresh_from_db()
    acts.decide(
        approval=submitted,
        outcome="rejected",
        act=acts.ActInput(
            number="深宝环不许〔2026〕1号",
            opinion="逾期未补齐容缺材料",
            legal_basis="《行政许可法》第三十二条",
            issued_on=timezone.localdate(),
            handler_name="李审批",
            document=SimpleUploadedFile("决定.pdf", PDF),
        ),
        actor=world.users.approver,
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ([], "missing"),
        ([("不存在的材料", None)], "missing.0.material"),
        ([("环境影响报告表", timezone.localdate())], "missing.0.due"),
    ],
)
def test_bad_gaps_name_the_field_and_accept_nothing(world, submitted, missing, field):
    with pytest.raises(InvalidInput) as exc:
        gaps.accept(approval=submitted, actor=world.users.approver, missing=missing)
    assert exc.value.field == field
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and not MissingMaterial.objects.exists()


def test_late_materials_light_up_for_the_department_and_the_owner(client_for, world, submitted):
    gaps.accept(approval=submitted, actor=world.users.approver, missing=[("环境影响报告表", None)])
    MissingMaterial.objects.update(due_on=timezone.localdate() - timedelta(days=2))
    for user in (world.users.approver, world.users.company):
        client = client_for(user)
        home = client.get("/").content.decode()
        assert "容缺" in home
        page = client.get("/approvals/missing/overdue/")
        assert "环境影响报告表" in page.content.decode()
    assert not gaps.overdue(user=world.users.water_approver, today=timezone.localdate()).exists()
    assert not gaps.overdue(user=world.users.company2, today=timezone.localdate()).exists()
    detail = client_for(world.users.approver).get(f"/approvals/{submitted.pk}/").content.decode()
    assert "容缺" in detail and "记为已补齐" in detail


def test_the_page_and_api_accept_with_gaps(client_for, world, submitted):
    client = client_for(world.users.approver)
    page = client.get(f"/approvals/{submitted.pk}/").content.decode()
    assert "accept-with-gaps" in page
    bad = client.post(
        f"/api/v1/approvals/{submitted.pk}/accept-with-gaps",
        json.dumps({"missing": [{"material": "不存在"}]}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["missing.0.material"]
    ok = client.post(
        f"/api/v1/approvals/{submitted.pk}/accept-with-gaps",
        json.dumps({"missing": [{"material": "环境影响报告表"}]}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()[0]["name"] == "环境影响报告表"
    supplied = client.post(f"/api/v1/missing/{ok.json()[0]['id']}/supplied")
    assert supplied.status_code == 200 and supplied.json()["supplied_at"]
    again = client.post(f"/api/v1/missing/{ok.json()[0]['id']}/supplied")
    assert again.status_code == 409
    assert (
        client_for(world.users.company)
        .post(f"/api/v1/missing/{ok.json()[0]['id']}/supplied")
        .status_code
        == 403
    )
