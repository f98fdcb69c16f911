"""一口受理 joint cases: one submission, the lead department's acceptance, one shared clock with
the bundle's limit (paused for all), the queue showing the case once per department, members
decided together (and refused alone), in the services, the pages and the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from greenlight.accounts.choices import DepartmentKind
from greenlight.approvals import acts, joint, selectors, services
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval, Decision, JointCase
from greenlight.catalog.calendars import current as current_calendar
from greenlight.catalog.models import Bundle
from greenlight.engine import clocks as engine_clocks
from greenlight.kernel.errors import Conflict, NotPermitted
from tests import factories as f

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture
def case_world(world, settings, tmp_path):
    """环评 (ecology, approval1) and a water matter of project1, bundled with an 11-day limit."""
    settings.MEDIA_ROOT = tmp_path
    water_matter = f.MatterFactory(
        department_kind=DepartmentKind.WATER, name="排水许可", committed_limit=10
    )
    water_matter.required_results.add(world.matter)  # reuses the 环评 result
    world.approval2 = f.ApprovalFactory(
        project=world.project1, matter=water_matter, department=world.water
    )
    world.bundle = Bundle.objects.create(
        code="EIA-W", name="环评与排水联办", limit=11, unit="workday"
    )
    world.bundle.matters.set([world.matter, water_matter])
    return world


def _act(number: str) -> acts.ActInput:
    return acts.ActInput(
        number=number,
        issued_on=timezone.localdate(),
        handler_name="经办人",
        document=SimpleUploadedFile("批复.pdf", PDF, content_type="application/pdf"),
    )


def _accepted(w, at=None) -> JointCase:
    case = joint.open_case(approval=w.approval1, actor=w.users.company)
    joint.move_case(case=case, action="submit", actor=w.users.company, at=at)
    return joint.move_case(case=case, action="accept", actor=w.users.approver, at=at)


def test_opening_gathers_the_bundle_with_the_lead_department(case_world):
    w = case_world
    case = joint.open_case(approval=w.approval2, actor=w.users.company)
    assert {a.pk for a in case.members.all()} == {w.approval1.pk, w.approval2.pk}
    # the lead is the member whose result the other reuses (环评), not the one it was opened from
    assert case.lead_department == w.eco
    with pytest.raises(Conflict):  # a second case for the same bundle
        joint.open_case(approval=w.approval1, actor=w.users.company)
    with pytest.raises(NotPermitted):
        other = f.ApprovalFactory(project=w.project2, matter=w.matter, department=w.eco)
        f.ApprovalFactory(project=w.project2, matter=w.approval2.matter, department=w.water)
        joint.open_case(approval=other, actor=w.users.company)


def test_one_submission_one_acceptance_one_shared_clock(case_world):
    w = case_world
    at = datetime(2026, 11, 2, 10, tzinfo=TZ)
    case = joint.open_case(approval=w.approval1, actor=w.users.company)
    # a member moves only with the case
    with pytest.raises(Conflict) as exc:
        services.transition(approval=w.approval2, action="submit", actor=w.users.company)
    assert exc.value.code == "joint_case"
    joint.move_case(case=case, action="submit", actor=w.users.company, at=at)
    assert set(case.members.values_list("status", flat=True)) == {Status.SUBMITTED}
    # only the lead department accepts
    with pytest.raises(NotPermitted):
        joint.move_case(case=case, action="accept", actor=w.users.water_approver, at=at)
    case = joint.move_case(case=case, action="accept", actor=w.users.approver, at=at)
    expected = engine_clocks.due(
        timezone.localtime(at), 11, "workday", calendar=current_calendar(), pauses=[]
    )
    assert case.due_at == expected
    own = engine_clocks.due(timezone.localtime(at), 10, "workday", calendar=current_calendar())
    assert expected != own  # the bundle's limit, not a member's own
    assert set(case.members.values_list("due_at", flat=True)) == {expected}


def test_a_pause_by_any_member_stops_the_shared_clock(case_world):
    w = case_world
    at = datetime(2026, 11, 2, 10, tzinfo=TZ)
    case = _accepted(w, at=at)
    before = case.due_at
    # when the water department pauses for a supplement, then resumes a week later
    joint.move_case(
        case=case,
        action="pause",
        actor=w.users.water_approver,
        at=at + timedelta(days=1),
        reason="补正材料",
        pause_reason="supplement",
    )
    assert set(case.members.values_list("status", flat=True)) == {Status.PAUSED}
    case = joint.move_case(
        case=case, action="resume", actor=w.users.water_approver, at=at + timedelta(days=8)
    )
    # then every member is running again and the shared due time moved later
    assert set(case.members.values_list("status", flat=True)) == {Status.ACCEPTED}
    assert case.due_at > before
    assert set(case.members.values_list("due_at", flat=True)) == {case.due_at}


def test_a_member_decided_alone_is_refused_and_together_issues_all(case_world):
    w = case_world
    case = _accepted(w)
    w.approval1.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        acts.decide(
            approval=w.approval1, outcome="approved", act=_act("环1"), actor=w.users.approver
        )
    assert exc.value.code == "joint_case"
    # the ecology department prepares its act: nothing is issued yet
    joint.prepare(
        case=case, approval=w.approval1, outcome="approved", act=_act("环1"), actor=w.users.approver
    )
    assert not Decision.objects.exists()
    with pytest.raises(NotPermitted):  # another department's member
        joint.prepare(
            case=case,
            approval=w.approval2,
            outcome="approved",
            act=_act("水1"),
            actor=w.users.approver,
        )
    # when the water department prepares its own, both are issued together
    case = joint.prepare(
        case=case,
        approval=w.approval2,
        outcome="approved",
        act=_act("水1"),
        actor=w.users.water_approver,
    )
    assert case.status == Status.APPROVED and case.decided_at is not None
    decided = {d.approval_id: d for d in Decision.objects.all()}
    assert set(decided) == {w.approval1.pk, w.approval2.pk}
    assert decided[w.approval1.pk].at == decided[w.approval2.pk].at == case.decided_at
    assert (
        decided[w.approval1.pk].file_name == "批复.pdf"
        and decided[w.approval1.pk].file.read() == PDF
    )


def test_the_queue_shows_the_case_once_to_each_department(case_world):
    w = case_world
    _accepted(w)
    now = timezone.now()
    eco_rows, eco_counts = selectors.queue(
        user=w.users.approver, filters=selectors.QueueFilter(), now=now
    )
    assert [a.joint_case_id is not None for a in eco_rows] == [True]
    water_rows, _ = selectors.queue(
        user=w.users.water_approver, filters=selectors.QueueFilter(), now=now
    )
    assert len(water_rows) == 1
    coordinator_rows, counts = selectors.queue(
        user=w.users.coordinator, filters=selectors.QueueFilter(), now=now
    )
    assert len(coordinator_rows) == 2 == sum(counts.values())  # once per department involved
    # two members at one department: still one row, both named
    type(w.approval2).objects.filter(pk=w.approval2.pk).update(department=w.eco)
    eco_rows, eco_counts = selectors.queue(
        user=w.users.approver, filters=selectors.QueueFilter(), now=now
    )
    assert len(eco_rows) == 1 and len(eco_rows[0].joint_members) == 2
    assert sum(eco_counts.values()) == 1
    # the home tiles count it as the queue shows it
    pending = Approval.objects.filter(project=w.project1, status="accepted")
    assert selectors.count_once(pending) == 1 and pending.count() == 2


def _member_form(a, number: str) -> dict:
    return {
        f"m{a.pk}-outcome": "approved",
        f"m{a.pk}-number": number,
        f"m{a.pk}-issued_on": timezone.localdate().isoformat(),
        f"m{a.pk}-handler_name": "经办人",
        f"m{a.pk}-confirm": "on",
        f"m{a.pk}-document": SimpleUploadedFile("批复.pdf", PDF, content_type="application/pdf"),
    }


def test_the_pages_open_move_and_decide_a_joint_case(client_for, case_world):
    w = case_world
    company = client_for(w.users.company)
    page = company.get(f"/approvals/{w.approval1.pk}/")
    assert "一口受理" in page.content.decode()
    response = company.post(f"/approvals/{w.approval1.pk}/joint/")
    case = JointCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/approvals/joint/{case.pk}/"
    company.post(f"/approvals/joint/{case.pk}/act/", {"action": "submit", "version": case.version})
    case.refresh_from_db()
    eco = client_for(w.users.approver)
    eco.post(f"/approvals/joint/{case.pk}/act/", {"action": "accept", "version": case.version})
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    text = eco.get(f"/approvals/joint/{case.pk}/").content.decode()
    assert "环评与排水联办" in text and "11" in text
    # a bad act (no number) is 400 and prepares nothing
    bad = _member_form(w.approval1, "")
    assert eco.post(f"/approvals/joint/{case.pk}/decide/", bad).status_code == 400
    assert (
        eco.post(
            f"/approvals/joint/{case.pk}/decide/", _member_form(w.approval1, "环2")
        ).status_code
        == 302
    )
    water = client_for(w.users.water_approver)
    water.post(f"/approvals/joint/{case.pk}/decide/", _member_form(w.approval2, "水2"))
    case.refresh_from_db()
    assert case.decided_at is not None and Decision.objects.count() == 2
    # another tenant sees nothing of it
    assert client_for(w.users.nanshan).get(f"/approvals/joint/{case.pk}/").status_code == 404


def test_the_api_runs_a_joint_case(client_for, case_world):
    w = case_world
    import json

    company = client_for(w.users.company)
    opened = company.post(f"/api/v1/approvals/{w.approval1.pk}/joint-case")
    assert opened.status_code == 201, opened.content
    case_id = opened.json()["id"]
    assert opened.json()["limit"] == 11 and len(opened.json()["members"]) == 2
    moved = company.post(
        f"/api/v1/joint-cases/{case_id}/transitions",
        json.dumps({"action": "submit"}),
        content_type="application/json",
    )
    assert moved.json()["status"] == "submitted"
    # a member alone through the approval's own transition: 409 naming the joint case
    alone = client_for(w.users.approver).post(
        f"/api/v1/approvals/{w.approval1.pk}/transitions",
        json.dumps({"action": "accept"}),
        content_type="application/json",
    )
    assert alone.status_code == 409 and alone.json()["joint_case"] == case_id
    eco = client_for(w.users.approver)
    eco.post(
        f"/api/v1/joint-cases/{case_id}/transitions",
        json.dumps({"action": "accept"}),
        content_type="application/json",
    )
    body = {
        "outcome": "approved",
        "number": "环3",
        "issued_on": timezone.localdate().isoformat(),
        "handler_name": "经办人",
        "confirm": "true",
        "document": SimpleUploadedFile("批复.pdf", PDF, content_type="application/pdf"),
    }
    answer = eco.post(f"/api/v1/approvals/{w.approval1.pk}/joint-decision", body)
    assert answer.status_code == 200, answer.content
    assert [m["prepared"] for m in answer.json()["members"]] == [True, False]


def test_bottlenecks_count_the_joint_case_once_with_its_members(case_world):
    from greenlight.analytics import bottlenecks

    w = case_world
    # both members at one department, decided together
    type(w.approval2).objects.filter(pk=w.approval2.pk).update(department=w.eco)
    case = _accepted(w)
    for a, number in ((w.approval1, "环1"), (w.approval2, "环2")):
        joint.prepare(
            case=case, approval=a, outcome="approved", act=_act(number), actor=w.users.approver
        )
    period = bottlenecks.period_for_year(timezone.localdate().year)
    by_department = bottlenecks.stats(user=w.users.coordinator, period=period, by="department")
    by_matter = bottlenecks.stats(user=w.users.coordinator, period=period, by="matter")
    assert by_department[w.eco.pk]["n"] == 1  # the case, once
    assert {k: v["n"] for k, v in by_matter.items()} == {
        w.matter.pk: 1,
        w.approval2.matter_id: 1,
    }  # each member under its matter
    (row,) = joint.figures(user=w.users.coordinator)
    assert row["n"] == 1 and len(row["members"]) == 2
