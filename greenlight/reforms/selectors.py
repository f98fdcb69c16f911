"""Reads of the register and the catalog history; always through `visible_to`."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from greenlight.accounts.models import shown_with
from greenlight.catalog.models import Template

from .choices import ItemKind, ItemStatus
from .models import CatalogChange, ReformItem, ReviewedDocument


def items(*, user, kind: str = "", status: str = "", department: int | None = None) -> QuerySet:
    """Register items the user may see, filtered, with what the list shows."""
    qs = ReformItem.objects.visible_to(user).select_related("document", "owner_department")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if department:
        qs = qs.filter(owner_department_id=department)
    return qs.annotate(saved=Coalesce(Sum("changes__days_saved"), 0), n_changes=Count("changes"))


def totals(*, user) -> dict:
    """ "N items, M fixed at once, K days saved" and how many documents and units were reviewed."""
    qs = ReformItem.objects.visible_to(user)
    counts = qs.aggregate(
        items=Count("id"),
        immediate=Count("id", filter=Q(kind=ItemKind.IMMEDIATE)),
        rectify=Count("id", filter=Q(kind=ItemKind.RECTIFY)),
        done=Count("id", filter=Q(status=ItemStatus.DONE)),
    )
    saved = CatalogChange.objects.filter(item__in=qs).aggregate(s=Sum("days_saved"))["s"] or 0
    docs = ReviewedDocument.objects.visible_to(user)
    units = set(docs.values_list("unit", flat=True)) | set(qs.values_list("owner_unit", flat=True))
    return {**counts, "days_saved": saved, "documents": docs.count(), "units": len(units)}


def with_template_names(rows) -> list[CatalogChange]:
    """The changes with each effect on a template named (`effects`: its rows with `name`)."""
    rows = list(rows)
    names = dict(Template.objects.values_list("code", "name"))
    for change in rows:
        change.effects = [
            {**t, "name": names.get(t.get("template"), t.get("template"))}
            for t in (change.templates or [])
        ]
    return rows


def changes(*, user, item: int | None = None) -> QuerySet[CatalogChange]:
    """The versioned catalog history, newest first."""
    qs = CatalogChange.objects.visible_to(user).select_related(
        "matter", "bundle", "item", *shown_with("changed_by")
    )
    if item:
        qs = qs.filter(item_id=item)
    return qs
