"""API of the re-optimization register and the catalog history."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from greenlight.catalog.choices import Unit
from greenlight.catalog.models import Matter
from greenlight.kernel import validation
from greenlight.kernel.api_input import found_first
from greenlight.kernel.errors import NotPermitted

from . import permissions, selectors, services
from .choices import DocumentKind, ItemKind, ItemStatus
from .models import ReformItem

router = Router(tags=["reforms"])


def _need(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


class ItemOut(Schema):
    id: int
    number: int
    document: str = Field(alias="document.title")
    finding: str
    kind: str
    owner_department_id: int | None
    owner_unit: str
    due: date
    status: str
    evidence: str
    done_on: date | None
    days_saved: int = Field(0, alias="saved")


class ItemIn(Schema):
    document: str = Field(..., min_length=1, max_length=200)
    document_kind: DocumentKind = DocumentKind.WORKFLOW
    finding: str = Field(..., min_length=1)
    kind: ItemKind
    owner_department: int | None = None
    owner_unit: str = Field("", max_length=100)
    due: date


class ItemPatch(Schema):
    status: ItemStatus | None = None
    evidence: str | None = None
    finding: str | None = Field(None, min_length=1)
    due: date | None = None


class LimitIn(Schema):
    matter: str = Field(..., description="matter code")
    limit: int = Field(..., ge=0, le=validation.LIMIT_MAX)
    unit: Unit


class ChangeOut(Schema):
    id: int
    kind: str
    matter: str | None = Field(None, alias="matter.code")
    bundle: str | None = Field(None, alias="bundle.code")
    before: dict
    after: dict
    changed_at: datetime
    changed_by: str | None = Field(None, alias="changed_by.username")
    changed_by_name: str | None = Field(None, alias="changed_by.display_name")
    item_id: int | None
    approvals_12m: int
    days_saved: int
    templates: list


class TotalsOut(Schema):
    items: int
    immediate: int
    rectify: int
    done: int
    days_saved: int
    documents: int
    units: int


@router.get("/reforms/items", response=list[ItemOut])
def list_items(request, kind: str = "", status: str = ""):
    """Register items of the caller's region."""
    _need(permissions.can_read(request.user), _("Your role may not see the register."))
    return list(selectors.items(user=request.user, kind=kind, status=status))


@router.get("/reforms/totals", response=TotalsOut)
def totals(request):
    """N items, M fixed at once, K days saved."""
    _need(permissions.can_read(request.user), _("Your role may not see the register."))
    return selectors.totals(user=request.user)


@router.post("/reforms/items", response={201: ItemOut})
def create_item(request, payload: ItemIn):
    """Add an item to the register."""
    _need(permissions.can_manage(request.user), _("Only coordinators add items."))
    item = services.create_item(region=request.user.region, data=payload.dict(), actor=request.user)
    return Status(201, selectors.items(user=request.user).get(pk=item.pk))


@router.patch("/reforms/items/{item_id}", response=ItemOut)
def update_item(request, item_id: int, payload: ItemPatch):
    """Report progress (a department on its own items) or edit (coordinators)."""
    _need(permissions.can_read(request.user), _("Your role may not see the register."))
    item = get_object_or_404(ReformItem.objects.visible_to(request.user), pk=item_id)
    _need(permissions.can_update_item(request.user, item), _("This item is not yours."))
    services.update_item(
        item=item,
        # An explicit null leaves the field as it is (the columns are not nullable).
        data=payload.dict(exclude_unset=True, exclude_none=True),
        actor=request.user,
        today=timezone.localdate(),
    )
    return selectors.items(user=request.user).get(pk=item.pk)


def _limit_item(request, item_id: int) -> ReformItem:
    _need(permissions.can_manage(request.user), _("Only coordinators change the catalog here."))
    return get_object_or_404(ReformItem.objects.visible_to(request.user), pk=item_id)


@router.post("/reforms/items/{item_id}/limit", response={201: list[ChangeOut]})
@found_first(_limit_item)
def change_limit(request, item_id: int, payload: LimitIn):
    """Change a matter's committed limit through this item; returns the versioned change."""
    item = _limit_item(request, item_id)
    matter = get_object_or_404(Matter, code=payload.matter)
    rows = services.change_limit(
        item=item, matter=matter, limit=payload.limit, unit=payload.unit, actor=request.user
    )
    return Status(201, rows)


@router.get("/reforms/changes", response=list[ChangeOut])
def list_changes(request, item: int | None = None):
    """The versioned catalog history, newest first."""
    _need(permissions.can_read(request.user), _("Your role may not see the register."))
    return list(selectors.changes(user=request.user, item=item)[:500])
