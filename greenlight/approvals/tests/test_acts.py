"""Decisions as administrative acts: the form and the API, their refusals, corrections (of
corrections), the signed file behind its checked view, and the results register."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from greenlight.approvals import acts, register, services
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Decision
from greenlight.audit.models import AuditEvent
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def _pdf(name="批复.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def accepted(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = world.approval1
    services.transition(approval=a, action="submit", actor=world.users.company)
    services.transition(approval=a, action="accept", actor=world.users.approver)
    a.refresh_from_db()
    return a


def _act(**kw) -> acts.ActInput:
    base = dict(
        number="深宝环批〔2026〕12号",
        issued_on=timezone.localdate(),
        handler_name="李审批",
        document=_pdf(),
    )
    base.update(kw)
    return acts.ActInput(**base)


def _form(**kw) -> dict:
    data = {
        "outcome": "approved",
        "number": "深宝环批〔2026〕12号",
        "title": "关于鹏鼎园区扩建项目环境影响报告表的批复",
        "issued_on": timezone.localdate().isoformat(),
        "handler_name": "李审批",
        "confirm": "on",
        "document": _pdf(),
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


# -- the service --------------------------------------------------------------------------------


def test_a_grant_closes_the_approval_with_its_act_and_audit(world, accepted):
    # when the department grants with its document
    row = acts.decide(approval=accepted, outcome="approved", act=_act(), actor=world.users.approver)
    # then the approval is approved, the act carries everything and the file is stored
    accepted.refresh_from_db()
    assert accepted.status == Status.APPROVED and accepted.decided_at is not None
    assert row.number == "深宝环批〔2026〕12号" and row.issued_by == world.eco
    assert row.file_name == "批复.pdf" and row.file.read() == PDF
    assert AuditEvent.objects.filter(action="approval_decision_issued").count() == 1


def test_a_refusal_needs_its_reasons_and_legal_basis(world, accepted):
    with pytest.raises(InvalidInput) as exc:
        acts.decide(approval=accepted, outcome="rejected", act=_act(), actor=world.users.approver)
    assert exc.value.field == "opinion" and "审批意见" in str(exc.value.message)
    with pytest.raises(InvalidInput) as exc:
        acts.decide(
            approval=accepted,
            outcome="rejected",
            act=_act(opinion="选址位于饮用水源保护区"),
            actor=world.users.approver,
        )
    assert exc.value.field == "legal_basis"
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED and not Decision.objects.exists()
    # with both, the refusal is issued
    acts.decide(
        approval=accepted,
        outcome="rejected",
        act=_act(opinion="选址位于饮用水源保护区", legal_basis="《水污染防治法》第六十五条"),
        actor=world.users.approver,
    )
    accepted.refresh_from_db()
    assert accepted.status == Status.REJECTED


def test_not_accepting_is_decided_from_the_submitted_state(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = world.approval1
    services.transition(approval=a, action="submit", actor=world.users.company)
    act = _act(
        opinion="不属于本机关职权范围", legal_basis="《行政许可法》第三十二条第一款第（二）项"
    )
    acts.decide(approval=a, outcome="not_accepted", act=act, actor=world.users.approver)
    a.refresh_from_db()
    assert a.status == Status.NOT_ACCEPTED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": " "}, "number"),
        ({"handler_name": ""}, "handler_name"),
        ({"issued_on": None}, "issued_on"),
        ({"document": None}, "document"),
        ({"document": _pdf("批复.exe", b"MZ\x90\x00")}, "document"),
        ({"document": _pdf("批复.pdf", b"GIF89a not a pdf")}, "document"),
        ({"valid_until": date(2020, 1, 1)}, "valid_until"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, accepted, change, field):
    with pytest.raises(InvalidInput) as exc:
        acts.decide(
            approval=accepted, outcome="approved", act=_act(**change), actor=world.users.approver
        )
    assert exc.value.field == field
    assert "：" in str(exc.value.message)  # the field in words, then the reason
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED and not Decision.objects.exists()


def test_a_matter_with_a_validity_needs_its_end_date(world, accepted):
    world.matter.validity_months = 60
    world.matter.save()
    accepted.refresh_from_db()
    with pytest.raises(InvalidInput) as exc:
        acts.decide(approval=accepted, outcome="approved", act=_act(), actor=world.users.approver)
    assert exc.value.field == "valid_until" and "60" in str(exc.value.message)


def test_a_file_too_large_is_refused(world, accepted, monkeypatch):
    from greenlight.kernel import files

    monkeypatch.setattr(files, "MAX_BYTES", 16)
    with pytest.raises(InvalidInput) as exc:
        acts.decide(approval=accepted, outcome="approved", act=_act(), actor=world.users.approver)
    assert exc.value.field == "document" and "MB" in str(exc.value.message)


def test_only_the_department_decides(world, accepted):
    for user in (world.users.water_approver, world.users.company, world.users.coordinator):
        with pytest.raises(NotPermitted):
            acts.decide(approval=accepted, outcome="approved", act=_act(), actor=user)


def test_a_decision_is_final_and_the_old_transition_refuses_it(world, accepted):
    response_refusal = None
    try:
        services.transition(approval=accepted, action="approve", actor=world.users.approver)
    except InvalidInput as exc:
        response_refusal = exc
    assert response_refusal is not None and response_refusal.code == "decision_required"
    acts.decide(approval=accepted, outcome="approved", act=_act(), actor=world.users.approver)
    accepted.refresh_from_db()
    with pytest.raises(Conflict):  # no second decision on a decided approval
        acts.decide(
            approval=accepted,
            outcome="rejected",
            act=_act(opinion="x", legal_basis="y"),
            actor=world.users.approver,
        )


def test_a_correction_of_a_correction_keeps_the_chain(world, accepted):
    first = acts.decide(
        approval=accepted, outcome="approved", act=_act(), actor=world.users.approver
    )
    # when the number is corrected, then the correction corrected again
    second = acts.correct(
        decision=first,
        act=_act(number="深宝环批〔2026〕13号", document=None),
        reason="文号笔误",
        actor=world.users.approver,
    )
    third = acts.correct(
        decision=second,
        act=_act(number="深宝环批〔2026〕13号", issued_on=timezone.localdate() - timedelta(days=1)),
        reason="发文日期更正",
        actor=world.users.approver,
    )
    # then each points at the one it corrects, only the last is in force
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.corrects == first and third.corrects == second
    assert not first.is_current and not second.is_current and third.is_current
    assert second.file.name == first.file.name  # no new file: the signed one stays
    assert list(register.results(user=world.users.company, project=world.project1)) == [third]
    assert AuditEvent.objects.filter(action="approval_decision_corrected").count() == 2
    # and an act already corrected cannot be corrected again
    with pytest.raises(Conflict):
        acts.correct(decision=first, act=_act(), reason="再改", actor=world.users.approver)
    with pytest.raises(InvalidInput) as exc:
        acts.correct(decision=third, act=_act(), reason=" ", actor=world.users.approver)
    assert exc.value.field == "reason"


# -- pages ----------------------------------------------------------------------------------


def test_the_decision_form_issues_the_act_in_chinese(client_for, world, accepted):
    client = client_for(world.users.approver)
    page = client.get(f"/approvals/{accepted.pk}/decide/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "准予许可" in text and "批文号" in text and "审批意见" in text
    response = client.post(f"/approvals/{accepted.pk}/decide/", _form())
    assert response.status_code == 302
    decision = Decision.objects.get()
    # the file comes through the checked view only, to those who may see the approval
    assert client.get(f"/approvals/decisions/{decision.pk}/file/").status_code == 200
    assert (
        client_for(world.users.company2)
        .get(f"/approvals/decisions/{decision.pk}/file/")
        .status_code
        == 404
    )
    assert (
        client_for(world.users.nanshan).get(f"/approvals/decisions/{decision.pk}/file/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": ""}, "number"),
        ({"confirm": None}, "confirm"),
        ({"document": SimpleUploadedFile("a.docx", b"PK\x03\x04")}, "document"),
        ({"valid_until": "2001-01-01"}, "valid_until"),
    ],
)
def test_the_form_refuses_bad_input_with_400_on_the_field(
    client_for, world, accepted, change, field
):
    response = client_for(world.users.approver).post(
        f"/approvals/{accepted.pk}/decide/", _form(**change)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Decision.objects.exists()


def test_the_form_is_403_for_others(client_for, world, accepted):
    company = client_for(world.users.company)
    assert company.get(f"/approvals/{accepted.pk}/decide/").status_code == 302  # to the approval
    assert company.post(f"/approvals/{accepted.pk}/decide/", _form()).status_code == 403
    assert not Decision.objects.exists()
    assert (
        client_for(world.users.nanshan).get(f"/approvals/{accepted.pk}/decide/").status_code == 404
    )


# -- API ------------------------------------------------------------------------------------


def test_the_api_issues_and_corrects(client_for, world, accepted):
    client = client_for(world.users.approver)
    data = _form()
    data["confirm"] = "true"
    response = client.post(f"/api/v1/approvals/{accepted.pk}/decision", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "深宝环批〔2026〕12号" and body["file_url"]
    fix = {
        "number": "深宝环批〔2026〕14号",
        "issued_on": body["issued_on"],
        "handler_name": "李审批",
        "reason": "文号笔误",
        "confirm": "true",
    }
    response = client.post(f"/api/v1/decisions/{body['id']}/corrections", fix)
    assert response.status_code == 201, response.content
    assert response.json()["corrects_id"] == body["id"]
    # the older act cannot be corrected again: 409
    again = client.post(f"/api/v1/decisions/{body['id']}/corrections", fix)
    assert again.status_code == 409
    listed = client.get(f"/api/v1/approvals/{accepted.pk}/decisions").json()
    assert [d["in_force"] for d in listed] == [False, True]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": ""}, "number"),
        ({"confirm": "false"}, "confirm"),
        ({"document": None}, "document"),
    ],
)
def test_the_api_refuses_with_422_naming_the_field(client_for, world, accepted, change, field):
    data = _form(**{"confirm": "true", **change})
    response = client_for(world.users.approver).post(
        f"/api/v1/approvals/{accepted.pk}/decision", data
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert not Decision.objects.exists()


# -- the register ---------------------------------------------------------------------------


def test_the_register_lists_results_and_exports_the_national_fields(client_for, world, accepted):
    world.matter.validity_months = 60
    world.matter.save()
    accepted.refresh_from_db()
    soon = timezone.localdate() + timedelta(days=20)
    first = acts.decide(
        approval=accepted,
        outcome="approved",
        act=_act(valid_until=soon),
        actor=world.users.approver,
    )
    acts.correct(
        decision=first,
        act=_act(number="深宝环批〔2026〕15号", valid_until=soon, document=None),
        reason="文号笔误",
        actor=world.users.approver,
    )
    client = client_for(world.users.company)
    page = client.get(f"/approvals/results/{world.project1.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "深宝环批〔2026〕15号" in text and "30" in text  # expiring within 30 days
    api = client.get(f"/api/v1/projects/{world.project1.pk}/results").json()
    assert [r["number"] for r in api] == ["深宝环批〔2026〕15号"] and api[0][
        "validity"
    ] == "expiring"
    assert [r["number"] for r in client.get("/api/v1/results/expiring").json()] == [
        "深宝环批〔2026〕15号"
    ]
    export = client.get(f"/approvals/results/{world.project1.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:9] == (
        "DFSJZJ",
        "XZQHDM",
        "XMDM",
        "GCDM",
        "SPSXSLBM",
        "PFRQ",
        "PFWH",
        "PFWJBT",
        "PFWJYXQX",
    )
    assert rows[1][6] == "批复文号"
    # the corrected act stays in the export, marked invalid, the correction valid
    by_number = {r[6]: r for r in rows[2:]}
    assert by_number["深宝环批〔2026〕12号"][12] == 0 and by_number["深宝环批〔2026〕15号"][12] == 1
    # another company sees nothing of it
    other = client_for(world.users.company2)
    assert other.get(f"/approvals/results/{world.project1.pk}/").status_code == 404
    assert other.get(f"/api/v1/projects/{world.project1.pk}/results").status_code == 404
