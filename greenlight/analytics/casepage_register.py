"""The case page's figures of the re-optimization register (流程再优化): units, documents,
items, and the days its limit changes cut."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenlight.reforms import history as reform_history
from greenlight.reforms.choices import ChangeKind, ItemKind
from greenlight.reforms.models import CatalogChange, ReformItem, ReviewedDocument

from .casepage_records import Scope, make

DAYS = pgettext_lazy("case page", "days")
ITEMS = pgettext_lazy("case page", "items")


# -- 流程再优化: the register and the days it saved ------------------------------------------


def _saved_per_matter(changes) -> tuple[float, int]:
    """The seed's sense: per matter, the limit before its first change in the period minus the
    limit after its last; added up over the matters. Also how many matters changed."""
    first, last = {}, {}
    for matter_id, before, after in changes:
        first.setdefault(matter_id, before)
        last[matter_id] = after
    total = sum(
        reform_history.limit_saving(
            (first[m]["limit"], first[m]["unit"]), (last[m]["limit"], last[m]["unit"])
        )
        for m in first
    )
    return round(total, 1), len(first)


def reforms(s: Scope) -> list:
    """Units, documents and items of the register; the days its limit changes saved."""
    items = s.of(ReformItem.objects.all(), "region")
    docs = s.of(ReviewedDocument.objects.all(), "region")
    counts = items.aggregate(
        total=Count("id"),
        **{kind: Count("id", filter=Q(kind=kind)) for kind in ItemKind.values},
    )
    units = set(docs.values_list("unit", flat=True).distinct().order_by())
    n_docs = docs.count()
    changes = CatalogChange.objects.filter(
        kind=ChangeKind.LIMIT, item__in=items, matter__isnull=False, **s.in_period("changed_at")
    )
    if s.user is not None:
        changes = changes.visible_to(s.user)
    rows = list(changes.order_by("changed_at", "id").values_list("matter_id", "before", "after"))
    saved, n_matters = _saved_per_matter(rows)
    weighted = sum(changes.values_list("days_saved", flat=True)) if rows else None
    register = _("The district's whole register (its items carry no finding date).")
    return [
        make(
            "reform_units",
            _("Units that reviewed"),
            value=len(units) or None,
            unit=pgettext_lazy("case page", "units"),
            definition=_("Distinct reviewing units of the reviewed documents. ") + register,
        ),
        make(
            "reform_documents",
            _("Policies, regulations and workflows reviewed"),
            value=n_docs or None,
            unit=ITEMS,
            definition=_("Reviewed documents of the register. ") + register,
            cases=docs.order_by("id"),
        ),
        make(
            "reform_items",
            _("Items found to optimize"),
            value=counts["total"] or None,
            unit=ITEMS,
            definition=_("Items of the register. ") + register,
            cases=items.order_by("number"),
        ),
        *(
            make(
                f"reform_{kind}",
                label,
                value=counts[kind] if counts["total"] else None,
                unit=ITEMS,
                definition=text + register,
                cases=items.filter(kind=kind).order_by("number"),
            )
            for kind, label, text in (
                (
                    ItemKind.IMMEDIATE,
                    _("Fixed at once (立行立改)"),
                    _("Items of the register of the kind 立行立改. "),
                ),
                (
                    ItemKind.RECTIFY,
                    _("Rectified (整改优化)"),
                    _("Items of the register of the kind 整改优化. "),
                ),
            )
        ),
        make(
            "days_saved",
            _("Handling time cut (days)"),
            value=saved if rows else None,
            unit=DAYS,
            definition=_(
                "The case's sense: for each matter whose committed limit a register item "
                "changed in the period, the limit before the first change minus the limit "
                "after the last (in the new limit's unit), added up over the %(n)d matters."
            )
            % {"n": n_matters},
            cases=changes.select_related("matter", "item").order_by("-changed_at", "-id"),
            n=n_matters if rows else None,
        ),
        make(
            "days_saved_weighted",
            _("Days saved, weighted by cases (not the case's figure)"),
            value=weighted,
            unit=DAYS,
            definition=_(
                "Each change's limit cut multiplied by the projects with an approval of its "
                "matter accepted in the 12 months before it (in every district: the catalog is "
                "shared), as the register stores it, added up: the days applicants saved, which "
                "the case does not state."
            ),
            cases=changes.select_related("matter", "item").order_by("-changed_at", "-id"),
        ),
    ]
