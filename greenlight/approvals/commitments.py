"""告知承诺制: a commitment-based matter is granted on the owner's signed commitment (its text,
who signed, when, the file); the grant opens a 事后核查 for the department, due within the
region's `post_check_days` (default 60 days); a failed check opens a revocation, decided by
its own act, and tells the owner and the region's coordinators."""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.accounts.models import User
from greenlight.audit import services as audit
from greenlight.kernel import files
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.kernel.roles import Role
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event

from . import acts, permissions
from .choices import CLOSED_STATUSES, Outcome
from .models import Approval, CheckStatus, Commitment, Decision, PostCheck

DEFAULT_POST_CHECK_DAYS = 60


def _applicant(user, approval: Approval) -> bool:
    return permissions.can_act(user, approval, "submit")


def may_commit(user, approval: Approval) -> bool:
    """Whether `user` may record the owner's commitment (the applicant side, before the end)."""
    return (
        approval.matter.commitment_based
        and approval.status not in CLOSED_STATUSES
        and _applicant(user, approval)
    )


def record_commitment(
    *,
    approval: Approval,
    actor,
    text: str,
    signed_by: str,
    signed_on: date | None,
    document,
    at: datetime | None = None,
) -> Commitment:
    """The owner's signed commitment, once (a later one replaces nothing: it is on record)."""
    if not may_commit(actor, approval):
        raise NotPermitted(_("Your role may not record a commitment for this approval."))
    at = at or timezone.now()
    checks = [
        ("commitment_text", text.strip(), _("the text of the commitment")),
        ("signed_by", signed_by.strip(), _("who signed")),
    ]
    for field, value, label in checks:
        if not value:
            raise InvalidInput(f"{label}：" + _("this field is required"), field=field)
    if signed_on is None:
        raise InvalidInput(_("signed on") + "：" + _("this field is required"), field="signed_on")
    if signed_on > timezone.localdate(at):
        raise InvalidInput(
            _("signed on") + "：" + _("cannot be later than today"), field="signed_on"
        )
    if document is None:
        raise InvalidInput(
            _("signed commitment") + "：" + _("attach the signed commitment (PDF or image)"),
            field="document",
        )
    ext, content_type = files.check(
        document, field="document", allowed=files.SIGNED, label=_("signed commitment")
    )
    if Commitment.objects.filter(approval=approval).exists():
        raise Conflict(_("the commitment is on record already"), field="document")
    with transaction.atomic():
        row = Commitment(
            approval=approval,
            text=text.strip(),
            signed_by=signed_by.strip()[:100],
            signed_on=signed_on,
            file_name=os.path.basename(document.name)[:200],
            file_type=content_type,
            recorded_by=actor,
            at=at,
        )
        row.file.save(f"{uuid.uuid4().hex}{ext}", document, save=False)
        row.save()
        audit.record(
            approval,
            "approval_commitment_signed",
            actor=actor,
            changes={
                "signed_by": row.signed_by,
                "signed_on": row.signed_on,
                "file": row.file_name,
            },
        )
    return row


def require_commitment(*, approval: Approval, outcome: str) -> None:
    """A commitment-based matter is granted on the owner's signed commitment only."""
    if outcome == Outcome.APPROVED and approval.matter.commitment_based:
        if not Commitment.objects.filter(approval_id=approval.pk).exists():
            raise Conflict(
                _("this matter is granted on the owner's signed commitment (告知承诺): none yet"),
                field="outcome",
                code="commitment_missing",
            )


def open_post_check(*, decision: Decision) -> None:
    """A commitment-based grant opens its 事后核查, due within the region's period."""
    a = decision.approval
    if decision.outcome != Outcome.APPROVED or not a.matter.commitment_based:
        return
    if decision.corrects_id or PostCheck.objects.filter(approval=a).exists():
        return
    value = (a.project.region.settings or {}).get("post_check_days", DEFAULT_POST_CHECK_DAYS)
    days = int(value) if str(value).isdigit() and int(value) > 0 else DEFAULT_POST_CHECK_DAYS
    PostCheck.objects.create(approval=a, due_on=decision.issued_on + timedelta(days=days))


def record_check(*, check: PostCheck, actor, passed: bool, note: str) -> PostCheck:
    """The department records the check's outcome; a failure opens the revocation and tells
    the owner and the region's coordinators."""
    a = check.approval
    if not permissions.can_act(actor, a, "approve"):
        raise NotPermitted(_("Your role may not record this check."))
    if not passed and not note.strip():
        raise InvalidInput(
            _("findings") + "：" + _("a failed check states what was found"), field="note"
        )
    with transaction.atomic():
        row = PostCheck.objects.select_for_update().get(pk=check.pk)
        if row.status != CheckStatus.PENDING:
            raise Conflict(_("this check is recorded already"), field="passed")
        row.status = CheckStatus.PASSED if passed else CheckStatus.FAILED
        row.note, row.checked_at, row.checked_by = note.strip()[:500], timezone.now(), actor
        row.save()
        audit.record(
            a,
            "approval_post_check_recorded",
            actor=actor,
            changes={
                "status": row.status,
                "note": row.note,
            },
        )
        if not passed:
            _notify_failed(row)
    return row


def _notify_failed(check: PostCheck) -> None:
    a = check.approval
    users = list(a.project.owner.users.filter(is_active=True)) + list(
        User.objects.filter(region=a.project.region, role=Role.COORDINATOR, is_active=True)
    )
    notifications.notify(
        users=users,
        event=Event.APPROVAL_CHANGED,
        key=f"postcheck:{check.pk}:failed",
        title=_("%(m)s: post-check failed, revocation opened") % {"m": a.matter.name},
        body=f"{a.project.name} · {a.department.name}：{check.note}",
        url=f"/approvals/{a.pk}/#post-check",
        region=a.project.region,
        department=a.department,
    )


def revoke(*, check: PostCheck, act: acts.ActInput, actor, at: datetime | None = None) -> Decision:
    """The revocation's own act (撤销许可): number, reasons, legal basis, signed document."""
    a = check.approval
    if not permissions.can_act(actor, a, "approve"):
        raise NotPermitted(_("Your role may not revoke this grant."))
    at = at or timezone.now()
    acts.check(
        act, outcome=Outcome.REVOKED, approval=a, today=timezone.localdate(at), need_file=True
    )
    with transaction.atomic():
        row = PostCheck.objects.select_for_update().get(pk=check.pk)
        if row.status != CheckStatus.FAILED:
            raise Conflict(_("only a failed check is revoked"), field="outcome")
        decision = acts.build(a, act, outcome=Outcome.REVOKED, actor=actor, at=at)
        decision.save()
        row.status, row.revocation = CheckStatus.REVOKED, decision
        row.save(update_fields=["status", "revocation"])
        audit.record(
            decision, "approval_grant_revoked", actor=actor, changes=acts._changes(decision)
        )
    return decision


def due_checks(*, user, today: date) -> QuerySet[PostCheck]:
    """Open checks (pending, or failed with the revocation to decide) the user may see; an
    approver: its department's."""
    qs = (
        PostCheck.objects.visible_to(user)
        .filter(status__in=[CheckStatus.PENDING, CheckStatus.FAILED])
        .select_related("approval__project", "approval__matter", "approval__department")
        .order_by("due_on", "id")
    )
    if user.role == Role.APPROVER:
        qs = qs.filter(approval__department_id=user.department_id)
    return qs
