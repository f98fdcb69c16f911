"""API of 容缺受理: accept with missing materials, list them, record one supplied."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from . import gaps
from .models import Approval, MissingMaterial

router = Router(tags=["approvals"])


class MissingIn(Schema):
    material: str = Field(description="one of the matter's materials")
    due: date | None = Field(None, description="default: the region's period")


class AcceptWithGapsIn(Schema):
    missing: list[MissingIn] = []
    version: int | None = None


class MissingOut(Schema):
    id: int
    approval_id: int
    name: str
    due_on: date
    supplied_at: datetime | None


@router.post("/approvals/{approval_id}/accept-with-gaps", response=list[MissingOut])
def accept_with_gaps(request, approval_id: int, payload: AcceptWithGapsIn):
    """The department accepts with materials missing (容缺受理); 422 naming the material."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related(
            "project__region", "project__owner", "matter", "department"
        ),
        pk=approval_id,
    )
    gaps.accept(
        approval=approval,
        actor=request.user,
        missing=[(m.material, m.due) for m in payload.missing],
        version=payload.version,
    )
    return approval.missing.all()


@router.get("/approvals/{approval_id}/missing", response=list[MissingOut])
def list_missing(request, approval_id: int):
    """The materials an approval was accepted without, supplied or not."""
    approval = get_object_or_404(Approval.objects.visible_to(request.user), pk=approval_id)
    return approval.missing.all()


@router.post("/missing/{material_id}/supplied", response=MissingOut)
def record_supplied(request, material_id: int):
    """The department records the material supplied (409 if it was already)."""
    row = get_object_or_404(
        MissingMaterial.objects.visible_to(request.user).select_related("approval"),
        pk=material_id,
    )
    return gaps.supplied(material=row, actor=request.user)
