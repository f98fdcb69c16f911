"""Bulk writes of approval histories, for a simulation at district scale (the demo) or an import:
the rows `services.move` would have left behind, written in a few statements.

The rules are the single service's: every event is a move the state machine allows (from the
status the approval had, in time order), the approval ends in the status of its last event, and
every event gets the audit row `services.move` writes (`approval_<kind>`, at the event's time, by
its actor).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from greenlight.audit import services as audit
from greenlight.kernel.errors import InvalidInput

from .choices import Status
from .models import (
    Approval,
    ApprovalEvent,
    Commitment,
    Decision,
    JointCase,
    MissingMaterial,
    Pause,
    PostCheck,
)
from .workflow import TRANSITIONS


def check_history(approval: Approval, events: list[ApprovalEvent]) -> None:
    """Refuse a history the state machine would not have produced."""
    status, last = Status.NOT_STARTED, None
    for i, e in enumerate(events):
        if e.from_status != status or (e.from_status, e.to_status) not in TRANSITIONS:
            raise InvalidInput(
                _("event %(n)s: no move from %(a)s to %(b)s")
                % {"n": i + 1, "a": e.from_status, "b": e.to_status},
                field=f"events.{i}",
            )
        if last is not None and e.at < last:
            raise InvalidInput(_("events out of time order"), field=f"events.{i}.at")
        status, last = e.to_status, e.at
    if approval.status != status:
        raise InvalidInput(
            _("the status %(s)s is not where its events lead (%(e)s)")
            % {"s": approval.status, "e": status},
            field="status",
        )


def load_histories(rows: list[tuple[Approval, list[ApprovalEvent], list[Pause]]]) -> list[Approval]:
    """Create approvals with their events and pauses (all or nothing), audited per event."""
    for approval, events, _pauses in rows:
        check_history(approval, events)
    with transaction.atomic():
        approvals = Approval.objects.bulk_create([a for a, _, _ in rows], batch_size=1000)
        events, pauses, entries = [], [], []
        for approval, evs, ps in rows:
            before = Status.NOT_STARTED
            for e in evs:
                e.approval = approval
                events.append(e)
                entries.append(
                    {
                        "obj": approval,
                        "action": f"approval_{e.kind}",
                        "actor": e.actor,
                        "at": e.at,
                        "region": approval.project.region,
                        "changes": {"status": [before, e.to_status], "reason": e.note},
                    }
                )
                before = e.to_status
            for p in ps:
                p.approval = approval
                pauses.append(p)
        ApprovalEvent.objects.bulk_create(events, batch_size=2000)
        Pause.objects.bulk_create(pauses, batch_size=2000)
        audit.record_many(entries)
    return approvals


def open_joint_case(*, case: JointCase, members: list[Approval], actor=None) -> JointCase:
    """A joint case (一口受理) over already stored approvals of one project, the first member
    leading; its members share the case's due time."""
    if len(members) < 2 or len({m.project_id for m in members}) != 1:
        raise InvalidInput(
            _("a joint case joins two or more matters of one project"), field="members"
        )
    with transaction.atomic():
        case.save()
        Approval.objects.filter(pk__in=[a.pk for a in members]).update(
            joint_case=case, due_at=case.due_at
        )
        Approval.objects.filter(pk=members[0].pk).update(joint_lead=True)
        for a in members:
            a.joint_case, a.due_at = case, case.due_at
        audit.record(
            case,
            "joint_case_opened",
            actor=actor,
            changes={"members": [a.pk for a in members]},
            at=case.submitted_at,
        )
    return case


def record_decisions(decisions: list[Decision]) -> int:
    """The decisions (批文) of decided approvals, audited as issued."""
    for i, d in enumerate(decisions):
        if d.approval.status not in (Status.APPROVED, Status.NOT_ACCEPTED, Status.REJECTED):
            raise InvalidInput(_("the approval is not decided"), field=f"decisions.{i}")
    with transaction.atomic():
        Decision.objects.bulk_create(decisions, batch_size=1000)
        audit.record_many(
            [
                {
                    "obj": d.approval,
                    "action": "approval_decision_issued",
                    "actor": d.actor,
                    "at": d.at,
                    "changes": {"number": d.number, "outcome": d.outcome},
                }
                for d in decisions
            ]  # fmt: skip
        )
    return len(decisions)


def record_gaps(rows: list[MissingMaterial]) -> int:
    """容缺受理: materials an accepted approval still misses, audited on the approval."""
    for i, r in enumerate(rows):
        if r.approval.accepted_at is None or not r.approval.matter.accept_with_gaps:
            raise InvalidInput(_("the matter does not accept with gaps"), field=f"rows.{i}")
    with transaction.atomic():
        MissingMaterial.objects.bulk_create(rows, batch_size=1000)
        audit.record_many(
            [
                {
                    "obj": r.approval,
                    "action": "approval_material_missing",
                    "actor": r.recorded_by,
                    "at": r.approval.accepted_at,
                    "changes": {"material": r.name, "due": r.due_on},
                }
                for r in rows
            ]  # fmt: skip
        )
    return len(rows)


def record_commitments(commitments: list[Commitment], checks: list[PostCheck]) -> int:
    """告知承诺制: the owner's commitments behind commitment-based grants and their post checks."""
    for i, c in enumerate(commitments):
        if not c.approval.matter.commitment_based:
            raise InvalidInput(_("the matter is not commitment-based"), field=f"rows.{i}")
    with transaction.atomic():
        Commitment.objects.bulk_create(commitments, batch_size=1000)
        PostCheck.objects.bulk_create(checks, batch_size=1000)
        audit.record_many(
            [
                {
                    "obj": c.approval,
                    "action": "approval_commitment_signed",
                    "at": c.at,
                    "changes": {"signed_by": c.signed_by},
                }
                for c in commitments
            ]  # fmt: skip
        )
    return len(checks)
