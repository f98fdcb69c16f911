"""Changes to the re-optimization register and, through it, to the catalog; all audited."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from greenlight.accounts.models import Department
from greenlight.audit import services as audit
from greenlight.catalog import services as catalog_services
from greenlight.catalog.choices import Unit
from greenlight.catalog.models import Bundle, Matter
from greenlight.kernel.errors import DomainError, NotPermitted
from greenlight.kernel.roles import Role

from . import history
from .choices import DocumentKind, ItemKind, ItemStatus
from .models import CatalogChange, ReformItem, ReviewedDocument

STAFF_FIELDS = ("status", "evidence", "done_on")
ALL_FIELDS = ("finding", "kind", "owner_unit", "due", *STAFF_FIELDS)


def _required(data: dict, field: str):
    value = data.get(field)
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise DomainError(_("this field is required"), field=field)
    return value.strip() if isinstance(value, str) else value


def _choice(field: str, value, choices) -> str:
    if value not in choices.values:
        raise DomainError(_("must be one of %(v)s") % {"v": ", ".join(choices.values)}, field=field)
    return value


def review_document(*, region, title: str, kind: str, unit: str, actor) -> ReviewedDocument:
    """Record a reviewed policy, regulation or workflow (or return the one with that title)."""
    title = _required({"title": title}, "title")
    _choice("document_kind", kind, DocumentKind)
    with transaction.atomic():
        doc, created = ReviewedDocument.objects.get_or_create(
            region=region, title=title, defaults={"kind": kind, "unit": unit or ""}
        )
        if created:
            audit.record(
                doc, "document_reviewed", actor=actor, changes={"kind": kind, "unit": unit}
            )
    return doc


def create_item(*, region, data: dict, actor) -> ReformItem:
    """Add an item to the register: the reviewed document, the finding, type, owner, due."""
    finding = _required(data, "finding")
    kind = _choice("kind", data.get("kind"), ItemKind)
    due = _required(data, "due")
    dept = None
    if data.get("owner_department") not in (None, ""):
        dept = Department.objects.filter(pk=data["owner_department"], region=region).first()
        if dept is None:
            raise DomainError(_("unknown department"), field="owner_department")
    unit = (data.get("owner_unit") or "").strip() or (dept.name if dept else "")
    if not unit:
        raise DomainError(_("name the owner unit or department"), field="owner_unit")
    with transaction.atomic():
        doc = review_document(
            region=region,
            title=_required(data, "document"),
            kind=data.get("document_kind") or DocumentKind.WORKFLOW,
            unit=data.get("document_unit") or unit,
            actor=actor,
        )
        number = (
            ReformItem.objects.select_for_update(of=("self",))
            .filter(region=region)
            .aggregate(n=Max("number"))["n"]
            or 0
        ) + 1
        item = ReformItem.objects.create(
            region=region,
            number=number,
            document=doc,
            finding=finding,
            kind=kind,
            owner_department=dept,
            owner_unit=unit,
            due=due,
            status=_choice("status", data.get("status") or ItemStatus.OPEN, ItemStatus),
            evidence=data.get("evidence") or "",
            done_on=data.get("done_on"),
            created_by=actor,
        )
        audit.record(
            item, "reform_item_created", actor=actor, changes={"number": number, "kind": kind}
        )
    return item


def update_item(*, item: ReformItem, data: dict, actor, today: date | None = None) -> ReformItem:
    """Change an item; a department may only report status and evidence on its own items."""
    allowed = ALL_FIELDS if actor.role == Role.COORDINATOR else STAFF_FIELDS
    refused = [f for f in data if f not in allowed]
    if refused:
        raise NotPermitted(_("You may only report status and evidence."))
    if "status" in data:
        _choice("status", data["status"], ItemStatus)
    if "kind" in data:
        _choice("kind", data["kind"], ItemKind)
    evidence = data["evidence"] if "evidence" in data else item.evidence
    if data.get("status", item.status) == ItemStatus.DONE and not (evidence or "").strip():
        raise DomainError(_("attach evidence before closing the item"), field="evidence")
    changes = {}
    with transaction.atomic():
        for field, value in data.items():
            if getattr(item, field) != value:
                changes[field] = [getattr(item, field), value]
                setattr(item, field, value)
        if item.status == ItemStatus.DONE and item.done_on is None and today:
            item.done_on = today
            changes["done_on"] = [None, today]
        item.save()
        audit.record(item, "reform_item_updated", actor=actor, changes=changes)
    return item


def change_limit(
    *, item: ReformItem, matter: Matter, limit, unit: str, actor, at: datetime | None = None
) -> list:
    """Change a matter's committed limit through the catalog, linked to a register item."""
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        raise DomainError(_("must be a whole number"), field="limit") from None
    if limit < 0:
        raise DomainError(_("must not be negative"), field="limit")
    _choice("unit", unit, Unit)
    if limit > matter.statutory_limit and unit == matter.statutory_unit:
        raise DomainError(_("must not exceed the statutory limit"), field="limit")
    prereqs = list(matter.prerequisites.values_list("code", flat=True))
    catalog_services.save_matter(
        data={"committed_limit": limit, "committed_unit": unit},
        prerequisites=prereqs,
        actor=actor,
        matter=matter,
        cause=item,
        at=at,
    )
    return list(CatalogChange.objects.filter(item=item, matter=matter)[:1])


def change_prerequisites(*, item: ReformItem, matter: Matter, codes: list[str], actor) -> list:
    """Change a matter's prerequisites through the catalog, linked to a register item."""
    catalog_services.save_matter(
        data={}, prerequisites=codes, actor=actor, matter=matter, cause=item
    )
    return list(CatalogChange.objects.filter(item=item, matter=matter)[:1])


def change_bundle(
    *, item: ReformItem | None, bundle: Bundle, limit, unit: str, actor, at: datetime | None = None
):
    """Change a bundle's merged limit, versioned and linked to a register item."""
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        raise DomainError(_("must be a whole number"), field="limit") from None
    if limit < 0:
        raise DomainError(_("must not be negative"), field="limit")
    _choice("unit", unit, Unit)
    members = sorted(bundle.matters.values_list("code", flat=True))
    before = {"limit": bundle.limit, "unit": bundle.unit, "matters": members}
    after = {"limit": limit, "unit": unit, "matters": members}
    with transaction.atomic():
        change = history.record_bundle_change(
            bundle=bundle, before=before, after=after, actor=actor, item=item, at=at
        )
        bundle.limit, bundle.unit = limit, unit
        bundle.save(update_fields=["limit", "unit"])
        audit.record(
            bundle, "bundle_updated", actor=actor, changes={"before": before, "after": after}
        )
    return change


def link_change(*, change: CatalogChange, item: ReformItem | None, actor) -> CatalogChange:
    """Link (or unlink) a recorded catalog change to a register item."""
    with transaction.atomic():
        before = change.item_id
        change.item = item
        change.save(update_fields=["item"])
        audit.record(
            change, "catalog_change_linked", actor=actor, changes={"item": [before, change.item_id]}
        )
    return change
