"""告知承诺制: granted on the owner's signed commitment only, the grant opens a 事后核查 due
within the region's period, a failed check opens a revocation (telling the owner and the
coordinator) decided by its own act, after which the result leaves the register."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from greenlight.approvals import acts, commitments, register, services
from greenlight.approvals.models import CheckStatus, Commitment, Decision, PostCheck
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.notifications.models import Notification

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def _pdf(name="承诺书.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def running(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.matter.commitment_based = True
    world.matter.save()
    world.baoan.settings = {**(world.baoan.settings or {}), "post_check_days": 30}
    world.baoan.save()
    a = world.approval1
    services.transition(approval=a, action="submit", actor=world.users.company)
    services.transition(approval=a, action="accept", actor=world.users.approver)
    a.refresh_from_db()
    return a


def _sign(world, a, **kw):
    data = dict(
        text="本单位承诺所提交材料真实有效。",
        signed_by="张法人",
        signed_on=timezone.localdate(),
        document=_pdf(),
    )
    data.update(kw)
    return commitments.record_commitment(approval=a, actor=world.users.company, **data)


def _grant(world, a):
    return acts.decide(
        approval=a,
        outcome="approved",
        act=acts.ActInput(
            number="深宝水排许〔2026〕9号",
            issued_on=timezone.localdate(),
            handler_name="王水务",
            document=_pdf("许可.pdf"),
        ),
        actor=world.users.approver,
    )


def test_no_grant_without_the_signed_commitment(world, running):
    with pytest.raises(Conflict) as exc:
        _grant(world, running)
    assert exc.value.code == "commitment_missing" and not Decision.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": " "}, "commitment_text"),
        ({"signed_by": ""}, "signed_by"),
        ({"signed_on": None}, "signed_on"),
        ({"document": None}, "document"),
        ({"document": SimpleUploadedFile("承诺书.docx", b"PK\x03\x04")}, "document"),
    ],
)
def test_a_bad_commitment_names_the_field(world, running, change, field):
    with pytest.raises(InvalidInput) as exc:
        _sign(world, running, **change)
    assert exc.value.field == field and not Commitment.objects.exists()


def test_the_grant_opens_a_check_and_a_failure_a_revocation(world, running):
    _sign(world, running)
    with pytest.raises(NotPermitted):  # the department does not sign for the owner
        commitments.record_commitment(
            approval=running,
            actor=world.users.approver,
            text="x",
            signed_by="x",
            signed_on=timezone.localdate(),
            document=_pdf(),
        )
    grant = _grant(world, running)
    check = PostCheck.objects.get(approval=running)
    assert check.due_on == grant.issued_on + timedelta(days=30)  # the region's period
    assert list(commitments.due_checks(user=world.users.approver, today=timezone.localdate())) == [
        check
    ]
    assert not commitments.due_checks(user=world.users.water_approver, today=timezone.localdate())
    with pytest.raises(InvalidInput) as exc:
        commitments.record_check(check=check, actor=world.users.approver, passed=False, note="")
    assert exc.value.field == "note"
    commitments.record_check(
        check=check, actor=world.users.approver, passed=False, note="现场核查：排水设施未建成"
    )
    check.refresh_from_db()
    assert check.status == CheckStatus.FAILED
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"company1", "coordinator"} <= told
    # the revocation is an act of its own: a refusal's reasons and legal basis, a document
    with pytest.raises(InvalidInput) as exc:
        commitments.revoke(
            check=check,
            act=acts.ActInput(
                number="深宝水撤〔2026〕1号",
                opinion="承诺不实",
                issued_on=timezone.localdate(),
                handler_name="王水务",
                document=_pdf("撤销.pdf"),
            ),
            actor=world.users.approver,
        )
    assert exc.value.field == "legal_basis"
    revocation = commitments.revoke(
        check=check,
        act=acts.ActInput(
            number="深宝水撤〔2026〕1号",
            opinion="承诺不实",
            legal_basis="《行政许可法》第六十九条",
            issued_on=timezone.localdate(),
            handler_name="王水务",
            document=_pdf("撤销.pdf"),
        ),
        actor=world.users.approver,
    )
    check.refresh_from_db()
    assert check.status == CheckStatus.REVOKED and check.revocation == revocation
    assert revocation.outcome == "revoked"
    assert not register.results(user=world.users.company, project=world.project1).exists()


def test_a_passed_check_keeps_the_result(world, running):
    _sign(world, running)
    _grant(world, running)
    check = PostCheck.objects.get()
    commitments.record_check(check=check, actor=world.users.approver, passed=True, note="")
    with pytest.raises(Conflict):
        commitments.record_check(check=check, actor=world.users.approver, passed=False, note="x")
    assert register.results(user=world.users.company, project=world.project1).count() == 1


def test_pages_and_api(client_for, world, running):
    company = client_for(world.users.company)
    page = company.get(f"/approvals/{running.pk}/").content.decode()
    assert "告知承诺" in page
    response = company.post(
        f"/api/v1/approvals/{running.pk}/commitment",
        {
            "commitment_text": "承诺",
            "signed_by": "张法人",
            "signed_on": timezone.localdate().isoformat(),
            "document": _pdf(),
        },
    )
    assert response.status_code == 201, response.content
    assert company.get(f"/approvals/{running.pk}/commitment/file/").status_code == 200
    assert (
        client_for(world.users.company2)
        .get(f"/approvals/{running.pk}/commitment/file/")
        .status_code
        == 404
    )
    _grant(world, running)
    check = PostCheck.objects.get()
    eco = client_for(world.users.approver)
    assert "事后核查" in eco.get("/").content.decode()
    answer = eco.post(
        f"/api/v1/post-checks/{check.pk}",
        json.dumps({"passed": False, "note": "承诺不实"}),
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "failed"
    page = eco.get(f"/approvals/checks/{check.pk}/revoke/")
    assert page.status_code == 200 and "撤销许可" in page.content.decode()
