"""容缺受理: accepting an application with non-key materials missing, each with the day it is
due (default: the region's `gap_workdays`, else 5 working days); the clock runs, a material
past its day lights up in the department's and the owner's work, and no grant is issued while
one is missing."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.audit import services as audit
from greenlight.catalog.calendars import current as current_calendar
from greenlight.kernel.errors import Conflict, InvalidInput, NotPermitted
from greenlight.kernel.roles import Role
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event

from . import permissions, services
from .choices import Outcome
from .models import Approval, MissingMaterial

DEFAULT_GAP_WORKDAYS = 5


def default_due(approval: Approval, *, today: date) -> date:
    """The region's period for supplying a missing material, counted in working days."""
    value = (approval.project.region.settings or {}).get("gap_workdays", DEFAULT_GAP_WORKDAYS)
    days = int(value) if str(value).isdigit() and int(value) > 0 else DEFAULT_GAP_WORKDAYS
    return current_calendar().add_workdays(today, days)


def accept(
    *,
    approval: Approval,
    actor,
    missing: list[tuple[str, date | None]],
    at: datetime | None = None,
    version: int | None = None,
) -> Approval:
    """The department accepts with `missing` materials (name, due day or None for the region's
    default): the clock starts at once; each material waits to be supplied."""
    at = at or timezone.now()
    if not permissions.can_act(actor, approval, "accept"):
        raise NotPermitted(_("Your role may not %(action)s this approval.") % {"action": "accept"})
    if not approval.matter.accept_with_gaps:
        raise InvalidInput(
            _("this matter is not accepted with gaps (容缺受理) in the catalog"), field="missing"
        )
    if not missing:
        raise InvalidInput(_("name at least one missing material"), field="missing")
    today = timezone.localdate(at)
    listed = set(approval.matter.materials)
    rows = []
    for i, (name, due) in enumerate(missing):
        name = (name or "").strip()
        if name not in listed:
            raise InvalidInput(
                _("“%(n)s” is not one of this matter's materials") % {"n": name},
                field=f"missing.{i}.material",
            )
        if due is not None and due <= today:
            raise InvalidInput(_("must be later than today"), field=f"missing.{i}.due")
        rows.append((name, due or default_due(approval, today=today)))
    if len({n for n, _d in rows}) != len(rows):
        raise InvalidInput(_("a material is listed twice"), field="missing")
    with transaction.atomic():
        moved = services.transition(
            approval=approval, action="accept", actor=actor, at=at, version=version
        )
        MissingMaterial.objects.bulk_create(
            MissingMaterial(approval=moved, name=n, due_on=d, recorded_by=actor) for n, d in rows
        )
        audit.record(
            moved,
            "approval_accepted_with_gaps",
            actor=actor,
            changes={"missing": [[n, d] for n, d in rows]},
        )
        _notify_owner(moved, rows)
    return moved


def _notify_owner(a: Approval, rows) -> None:
    notifications.notify(
        users=list(a.project.owner.users.filter(is_active=True)),
        event=Event.APPROVAL_CHANGED,
        key=f"gaps:{a.pk}:v{a.version}",
        title=_("%(m)s: accepted with materials to supply") % {"m": a.matter.name},
        body="；".join(f"{n}（{d:%Y-%m-%d}前）" for n, d in rows),
        url=f"/approvals/{a.pk}/#gaps",
        region=a.project.region,
        department=a.department,
    )


def supplied(*, material: MissingMaterial, actor, at: datetime | None = None) -> MissingMaterial:
    """The department records that the owner has supplied the material."""
    if not permissions.can_act(actor, material.approval, "pause"):  # the department's side
        raise NotPermitted(_("Your role may not record materials of this approval."))
    with transaction.atomic():
        row = MissingMaterial.objects.select_for_update().get(pk=material.pk)
        if row.supplied_at is not None:
            raise Conflict(_("this material was supplied already"), field="material")
        row.supplied_at, row.received_by = at or timezone.now(), actor
        row.save(update_fields=["supplied_at", "received_by"])
        audit.record(
            row.approval, "approval_material_supplied", actor=actor, changes={"material": row.name}
        )
    return row


def refuse_grant_while_missing(*, approval: Approval, outcome: str) -> None:
    """No grant while a material accepted as missing is still to be supplied (a refusal may
    be issued: the owner did not supply it)."""
    if outcome != Outcome.APPROVED:
        return
    left = list(approval.missing.filter(supplied_at__isnull=True).values_list("name", flat=True))
    if left:
        raise Conflict(
            _("materials accepted as missing (容缺) are still to be supplied: %(m)s")
            % {"m": "、".join(left)},
            field="outcome",
            code="materials_missing",
            extra={"missing": left},
        )


def overdue(*, user, today: date) -> QuerySet[MissingMaterial]:
    """Missing materials past their day, for the department's approvers and the owner (the
    coordinator and others see their region's)."""
    qs = (
        MissingMaterial.objects.visible_to(user)
        .filter(supplied_at__isnull=True, due_on__lt=today)
        .select_related("approval__project", "approval__matter", "approval__department")
        .order_by("due_on", "id")
    )
    if user.role == Role.APPROVER:
        qs = qs.filter(approval__department_id=user.department_id)
    return qs
