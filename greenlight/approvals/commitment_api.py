"""API of 告知承诺制: the owner's signed commitment, the 事后核查 and its revocation."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from . import commitments
from .api import ActIn, ActOut, _act
from .models import Approval, PostCheck

router = Router(tags=["approvals"])


class CommitmentIn(Schema):
    commitment_text: str = ""
    signed_by: str = ""
    signed_on: date | None = None


class CommitmentOut(Schema):
    approval_id: int
    text: str
    signed_by: str
    signed_on: date
    file_name: str


class PostCheckOut(Schema):
    id: int
    approval_id: int
    status: str
    due_on: date
    note: str
    checked_at: datetime | None
    revocation_id: int | None


class PostCheckIn(Schema):
    passed: bool = Field(False, description="true: the commitment holds")
    note: str = Field("", max_length=500)


@router.post("/approvals/{approval_id}/commitment", response={201: CommitmentOut})
def sign_commitment(
    request, approval_id: int, payload: Form[CommitmentIn], document: File[UploadedFile] = None
):
    """The owner's signed commitment for a commitment-based matter (multipart, with the file)."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related("project", "matter"),
        pk=approval_id,
    )
    row = commitments.record_commitment(
        approval=approval,
        actor=request.user,
        text=payload.commitment_text,
        signed_by=payload.signed_by,
        signed_on=payload.signed_on,
        document=document,
    )
    return Status(201, row)


@router.get("/post-checks", response=list[PostCheckOut])
def post_checks(request):
    """Post-checks to do and revocations to decide (an approver: its department's)."""
    return commitments.due_checks(user=request.user, today=timezone.localdate())[:500]


def _check(request, check_id: int) -> PostCheck:
    return get_object_or_404(
        PostCheck.objects.visible_to(request.user).select_related(
            "approval__project__region",
            "approval__project__owner",
            "approval__matter",
            "approval__department",
        ),
        pk=check_id,
    )


@router.post("/post-checks/{check_id}", response=PostCheckOut)
def record_post_check(request, check_id: int, payload: PostCheckIn):
    """The department records the check; a failure opens the revocation (409 once recorded)."""
    return commitments.record_check(
        check=_check(request, check_id),
        actor=request.user,
        passed=payload.passed,
        note=payload.note,
    )


@router.post("/post-checks/{check_id}/revocation", response={201: ActOut})
def revoke_grant(request, check_id: int, payload: Form[ActIn], document: File[UploadedFile] = None):
    """The revocation's own act after a failed check (multipart, with its signed document)."""
    check = _check(request, check_id)
    return Status(
        201, commitments.revoke(check=check, act=_act(payload, document), actor=request.user)
    )
