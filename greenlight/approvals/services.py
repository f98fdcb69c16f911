"""Every change of an approval (办件): the state machine, its clock, events, plan and audit."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.audit import services as audit
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event

from . import clocks, hooks, permissions, workflow
from .choices import PauseReason, Status
from .models import Approval, ApprovalEvent, Pause

STAMP = {"consult": "consulting_at", "submit": "submitted_at", "accept": "accepted_at"}
DECIDING = {"not_accept", "approve", "reject"}


def _check_input(action: str, reason: str, pause_reason: str) -> None:
    if action in workflow.NEEDS_REASON and not reason.strip():
        raise InvalidInput(
            _("a reason is required to %(action)s") % {"action": action}, field="reason"
        )
    if action == "pause" and pause_reason not in PauseReason.values:
        raise InvalidInput(
            _("must be one of %(expected)s") % {"expected": ", ".join(PauseReason.values)},
            field="pause_reason",
        )


def transition(
    *,
    approval: Approval,
    action: str,
    actor,
    at: datetime | None = None,
    reason: str = "",
    pause_reason: str = "",
    version: int | None = None,
) -> Approval:
    """Move `approval` by `action` (submit, accept, pause ...) for `actor`; the clock, the
    event, the project's forecast and the audit trail follow in one transaction. A decision
    (approve, reject, not_accept) is issued with its document by `acts.decide`, not here."""
    return move(
        approval=approval,
        action=action,
        actor=actor,
        at=at,
        reason=reason,
        pause_reason=pause_reason,
        version=version,
    )


def move(
    *,
    approval: Approval,
    action: str,
    actor,
    at: datetime | None = None,
    reason: str = "",
    pause_reason: str = "",
    version: int | None = None,
    deciding: bool = False,
    joint: bool = False,
) -> Approval:
    """The transition itself; `deciding` is set by `acts.decide`, which writes the act, and
    `joint` by `joint.move_case`, which moves every member of a joint case (and checked who
    may, on the case)."""
    at = at or timezone.now()
    if not joint and not permissions.can_act(actor, approval, action):
        raise NotPermitted(_("Your role may not %(action)s this approval.") % {"action": action})
    _check_input(action, reason, pause_reason)
    with transaction.atomic():
        current = Approval.objects.select_for_update().get(pk=approval.pk)
        if current.joint_case_id and not joint:
            raise Conflict(
                _("this approval is handled in a joint case (一口受理): act on the joint case"),
                field="action",
                code="joint_case",
                extra={"joint_case": current.joint_case_id},
            )
        if version is not None and version != current.version:
            raise Conflict(
                _("the approval was changed by someone else (version %(v)s); reload and retry")
                % {"v": current.version},
                field="version",
                code="stale",
                extra={"status": current.status, "version": current.version},
            )
        to = workflow.target(action, current.status)
        if action in DECIDING and not deciding:
            raise InvalidInput(
                _(
                    "a decision is issued with its document, number and opinion: "
                    "use the decision form (POST /api/v1/approvals/%(id)s/decision)"
                )
                % {"id": current.pk},
                field="action",
                code="decision_required",
            )
        before = current.status
        _apply(current, action, to, at=at, reason=reason, pause_reason=pause_reason, actor=actor)
        ApprovalEvent.objects.create(
            approval=current,
            kind=workflow.EVENT_KIND[action],
            from_status=before,
            to_status=to,
            at=at,
            actor=actor,
            note=reason.strip()[:300],
        )
        audit.record(
            current,
            f"approval_{workflow.EVENT_KIND[action]}",
            actor=actor,
            changes={"status": [before, to], "reason": reason, "due_at": current.due_at},
        )
        hooks.approval_moved.send(approval=current, action=action, at=at, actor=actor)
        _notify_change(current, action, actor)
    approval.refresh_from_db()
    return approval


def _apply(a: Approval, action: str, to: str, *, at, reason: str, pause_reason: str, actor) -> None:
    a.status = to
    if action == "accept":
        a.handler = actor
    if action in STAMP:
        setattr(a, STAMP[action], at)
    if action == "pause":
        Pause.objects.create(approval=a, reason=pause_reason, note=reason, started_at=at)
    elif action == "resume":
        Pause.objects.filter(approval=a, ended_at__isnull=True).update(ended_at=at)
    if action in ("accept", "resume"):
        a.due_at = clocks.due_at(a)
    if action in DECIDING:
        a.decided_at = at
    if action in DECIDING or action in ("withdraw", "pause"):
        a.reason = reason[:300]
    a.version += 1
    a.save()


def _notify_change(a: Approval, action: str, actor) -> None:
    if action not in ("accept", "not_accept", "pause", "approve", "reject"):
        return
    owners = list(a.project.owner.users.filter(is_active=True))
    label = Status(a.status).label
    notifications.notify(
        users=owners,
        event=Event.APPROVAL_CHANGED,
        key=f"approval:{a.pk}:v{a.version}",
        title=f"{a.matter.name}：{label}",
        body=f"{a.project.name} · {a.department.name}",
        url=f"/approvals/{a.pk}/",
        region=a.project.region,
        department=a.department,
    )
