"""Decisions as administrative acts: 准予 / 不予 / 不予受理 with the opinion, the number, the dates
and the signed document; a decision is final, a correction is a new act pointing at the one
it corrects (and may itself be corrected)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenlight.audit import services as audit
from greenlight.kernel import files
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event

from . import permissions, services
from .choices import OUTCOME_ACTION, REFUSALS, Outcome
from .models import Approval, ApprovalEvent, Decision

# Each field of the act in words: every refusal names the field it is about.
FIELD_LABELS = {
    "outcome": gettext_lazy("decision (outcome)"),
    "number": gettext_lazy("approval or licence number"),
    "title": gettext_lazy("document title"),
    "opinion": gettext_lazy("approval opinion"),
    "legal_basis": gettext_lazy("legal basis"),
    "issued_on": gettext_lazy("issue date"),
    "valid_until": gettext_lazy("valid until"),
    "handler_name": gettext_lazy("handler"),
    "document": gettext_lazy("signed decision document"),
    "confirm": gettext_lazy("confirmation"),
    "reason": gettext_lazy("reason for the correction"),
}
LIMITS = {"number": 100, "title": 200, "legal_basis": 300, "handler_name": 50, "reason": 300}


@dataclass
class ActInput:
    """What the department writes on the decision (or on its correction)."""

    number: str = ""
    title: str = ""
    opinion: str = ""
    legal_basis: str = ""
    issued_on: date | None = None
    valid_until: date | None = None
    handler_name: str = ""
    document: object = None
    document_name: str = ""  # the file's own name when `document` is a stored file
    extra: dict = field(default_factory=dict)


def _refuse(name: str, message: str, code: str = "invalid"):
    raise InvalidInput(f"{FIELD_LABELS[name]}：{message}", field=name, code=code)


def check(act: ActInput, *, outcome: str, approval: Approval, today: date, need_file: bool):
    """Every rule of the act's content; InvalidInput naming the first field that breaks one."""
    for name in ("number", "handler_name"):
        if not str(getattr(act, name) or "").strip():
            _refuse(name, _("this field is required"), "required")
    for name, limit in LIMITS.items():
        value = getattr(act, name, None)
        if isinstance(value, str) and len(value.strip()) > limit:
            _refuse(name, _("at most %(n)s characters") % {"n": limit})
    if outcome in REFUSALS:
        if not act.opinion.strip():
            _refuse("opinion", _("a refusal states its reasons"), "required")
        if not act.legal_basis.strip():
            _refuse("legal_basis", _("a refusal names its legal basis"), "required")
    if act.issued_on is None:
        _refuse("issued_on", _("this field is required"), "required")
    if act.issued_on > today:
        _refuse("issued_on", _("cannot be later than today"))
    if outcome == Outcome.APPROVED:
        if approval.matter.validity_months and act.valid_until is None:
            _refuse(
                "valid_until",
                _("this matter's result is valid for %(n)s months: give the end date")
                % {"n": approval.matter.validity_months},
                "required",
            )
        if act.valid_until is not None and act.valid_until <= act.issued_on:
            _refuse("valid_until", _("must be later than the issue date"))
    elif act.valid_until is not None:
        _refuse("valid_until", _("only a grant has a period of validity"))
    if act.document is not None:
        files.check(
            act.document, field="document", allowed=files.SIGNED, label=FIELD_LABELS["document"]
        )
    elif need_file:
        _refuse("document", _("attach the signed decision (PDF or image)"), "required")


def build(approval: Approval, act: ActInput, *, outcome: str, actor, at: datetime) -> Decision:
    row = Decision(
        approval=approval,
        outcome=outcome,
        number=act.number.strip(),
        title=(act.title or "").strip() or approval.matter.name,
        opinion=act.opinion.strip(),
        legal_basis=act.legal_basis.strip(),
        issued_on=act.issued_on,
        valid_until=act.valid_until if outcome == Outcome.APPROVED else None,
        issued_by_id=approval.department_id,
        handler_name=act.handler_name.strip(),
        actor=actor,
        at=at,
    )
    if act.document is not None:
        ext, content_type = files.check(act.document, field="document", allowed=files.SIGNED)
        row.file_name = os.path.basename(act.document_name or act.document.name)[:200]
        row.file_type, row.file_size = content_type, act.document.size
        row.file.save(f"{uuid.uuid4().hex}{ext}", act.document, save=False)
    return row


def decide(
    *,
    approval: Approval,
    outcome: str,
    act: ActInput,
    actor,
    at: datetime | None = None,
    version: int | None = None,
    need_file: bool = True,
    joint: bool = False,
) -> Decision:
    """The department issues its decision on `approval`: the act with its document, and the
    approval closes (approved / rejected / not accepted) in the same transaction, audited.
    `need_file` is False only for results recorded from history (the demo's past)."""
    at = at or timezone.now()
    if outcome not in OUTCOME_ACTION:
        _refuse("outcome", _("must be one of %(v)s") % {"v": ", ".join(OUTCOME_ACTION)})
    action = OUTCOME_ACTION[outcome]
    if not permissions.can_act(actor, approval, action):
        raise NotPermitted(_("Your role may not decide this approval."))
    case_id = Approval.objects.values_list("joint_case_id", flat=True).get(pk=approval.pk)
    if case_id and not joint:
        raise Conflict(
            _("a joint case member is decided together with the others (一次办结)"),
            field="outcome",
            code="joint_case",
            extra={"joint_case": case_id},
        )
    check(
        act, outcome=outcome, approval=approval, today=timezone.localdate(at), need_file=need_file
    )
    with transaction.atomic():
        for hook in _BEFORE_DECIDING:
            hook(approval=approval, outcome=outcome)
        moved = services.move(
            approval=approval,
            action=action,
            actor=actor,
            at=at,
            reason=(act.opinion.strip() or act.number.strip())[:300],
            version=version,
            deciding=True,
            joint=joint,
        )
        row = build(moved, act, outcome=outcome, actor=actor, at=at)
        row.save()
        audit.record(row, "approval_decision_issued", actor=actor, changes=_changes(row))
        for hook in _AFTER_DECIDING:
            hook(decision=row)
    return row


# Checks other modules add before a decision is issued (容缺 materials still missing, a joint
# case's members decided alone): each raises a DomainError to refuse.
_BEFORE_DECIDING: list = []


_AFTER_DECIDING: list = []


def after_deciding(hook) -> None:
    """Register `hook(decision=)`, run inside the decision's transaction once it is issued
    (告知承诺制 opens its post-check)."""
    if hook not in _AFTER_DECIDING:
        _AFTER_DECIDING.append(hook)


def before_deciding(check) -> None:
    """Register `check(approval=, outcome=)`, run inside the decision's transaction."""
    if check not in _BEFORE_DECIDING:
        _BEFORE_DECIDING.append(check)


def correct(
    *, decision: Decision, act: ActInput, reason: str, actor, at: datetime | None = None
) -> Decision:
    """A new act correcting `decision` (its number, dates, opinion, document …); the corrected
    one stays on record, superseded. Only the act in force may be corrected."""
    at = at or timezone.now()
    approval = decision.approval
    if not permissions.can_act(actor, approval, "approve"):
        raise NotPermitted(_("Your role may not correct this decision."))
    if not reason.strip():
        _refuse("reason", _("this field is required"), "required")
    if len(reason.strip()) > LIMITS["reason"]:
        _refuse("reason", _("at most %(n)s characters") % {"n": LIMITS["reason"]})
    check(
        act,
        outcome=decision.outcome,
        approval=approval,
        today=timezone.localdate(at),
        need_file=False,
    )
    with transaction.atomic():
        old = Decision.objects.select_for_update().get(pk=decision.pk)
        if not old.is_current:
            raise Conflict(
                _("this decision was corrected already (by %(n)s); correct the act in force")
                % {"n": old.corrected_by.number},
                field="decision",
                code="superseded",
                extra={"current": old.corrected_by.pk},
            )
        row = build(approval, act, outcome=old.outcome, actor=actor, at=at)
        row.corrects, row.correction_reason = old, reason.strip()
        if act.document is None:  # the corrected text keeps the signed file it had
            row.file, row.file_name = old.file.name, old.file_name
            row.file_type, row.file_size = old.file_type, old.file_size
        row.save()
        ApprovalEvent.objects.create(
            approval=approval,
            kind="decision_corrected",
            from_status=approval.status,
            to_status=approval.status,
            at=at,
            actor=actor,
            note=f"{old.number} → {row.number}：{row.correction_reason}"[:300],
        )
        before = _changes(old)
        after = _changes(row)
        audit.record(
            row,
            "approval_decision_corrected",
            actor=actor,
            changes={
                "corrects": old.pk,
                "reason": row.correction_reason,
                **{k: [before[k], v] for k, v in after.items() if before[k] != v},
            },
        )
        _notify_correction(row)
    return row


def _changes(row: Decision) -> dict:
    return {
        "outcome": row.outcome,
        "number": row.number,
        "title": row.title,
        "issued_on": row.issued_on,
        "valid_until": row.valid_until,
        "opinion": row.opinion,
        "legal_basis": row.legal_basis,
        "handler_name": row.handler_name,
        "file": row.file_name,
    }


def _notify_correction(row: Decision) -> None:
    a = row.approval
    notifications.notify(
        users=list(a.project.owner.users.filter(is_active=True)),
        event=Event.APPROVAL_CHANGED,
        key=f"decision:{row.pk}",
        title=_("%(m)s: decision corrected (%(n)s)") % {"m": a.matter.name, "n": row.number},
        body=f"{a.project.name} · {a.department.name}",
        url=f"/approvals/{a.pk}/",
        region=a.project.region,
        department=a.department,
    )


def chain(decision: Decision) -> list[Decision]:
    """The act and every correction after it, oldest first (the approval's decision history)."""
    return list(
        Decision.objects.filter(approval_id=decision.approval_id)
        .select_related("issued_by", "corrects")
        .order_by("at", "id")
    )
