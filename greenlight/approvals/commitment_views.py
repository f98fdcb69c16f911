"""Pages of 告知承诺制: the owner's signed commitment, the 事后核查 and its revocation, and the
department's list of checks to do."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.kernel.errors import DomainError
from greenlight.kernel.views import add_form_error, require

from . import commitments, permissions
from .act_views import _act_input
from .choices import Outcome
from .forms import DecisionForm
from .models import Approval, Commitment, PostCheck


@login_required
@require_POST
def commit(request, pk: int):
    """The owner's signed commitment (告知承诺书), posted from the approval's page."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related("project", "matter"), pk=pk
    )
    require(commitments.may_commit(request.user, approval))
    try:
        signed = request.POST.get("signed_on") or ""
        commitments.record_commitment(
            approval=approval,
            actor=request.user,
            text=request.POST.get("commitment_text", ""),
            signed_by=request.POST.get("signed_by", ""),
            signed_on=_day(signed),
            document=request.FILES.get("document"),
        )
    except DomainError as exc:
        messages.error(request, f"{exc.message}")
    else:
        messages.success(request, _("The signed commitment is on record."))
    return redirect(f"/approvals/{pk}/#commitment")


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _check(request, pk: int) -> PostCheck:
    return get_object_or_404(
        PostCheck.objects.visible_to(request.user).select_related(
            "approval__project__region",
            "approval__project__owner",
            "approval__matter",
            "approval__department",
        ),
        pk=pk,
    )


@login_required
@require_POST
def record(request, pk: int):
    """The department records the check: passed, or failed with its findings."""
    check = _check(request, pk)
    require(permissions.can_act(request.user, check.approval, "approve"))
    try:
        commitments.record_check(
            check=check,
            actor=request.user,
            passed=request.POST.get("passed") == "1",
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, f"{exc.message}")
    else:
        messages.success(request, _("The check is recorded."))
    return redirect(check.get_absolute_url())


@login_required
def revoke(request, pk: int):
    """The revocation's own act after a failed check."""
    check = _check(request, pk)
    allowed = permissions.can_act(request.user, check.approval, "approve")
    if not allowed and request.method == "GET":
        return redirect(check.get_absolute_url())
    require(allowed)
    outcomes = [Outcome.REVOKED]
    status = 200
    if request.method == "POST":
        form = DecisionForm(request.POST, request.FILES, outcomes=outcomes)
        if form.is_valid():
            try:
                commitments.revoke(
                    check=check, act=_act_input(form.cleaned_data), actor=request.user
                )
            except DomainError as exc:
                add_form_error(form, exc)
            else:
                messages.success(request, _("The grant is revoked."))
                return redirect(check.get_absolute_url())
        status = 400
    else:
        form = DecisionForm(
            outcomes=outcomes,
            initial={
                "outcome": Outcome.REVOKED,
                "issued_on": timezone.localdate(),
                "handler_name": request.user.display_name,
                "title": _("Revocation: %(m)s") % {"m": check.approval.matter.name},
                "opinion": check.note,
            },
        )
    context = {"approval": check.approval, "check": check, "form": form}
    return render(request, "approvals/revoke.html", context, status=status)


@login_required
def due(request):
    """Post-checks to do (and revocations to decide) that the user may see."""
    today = timezone.localdate()
    rows = list(commitments.due_checks(user=request.user, today=today)[:500])
    return render(request, "approvals/checks.html", {"rows": rows, "today": today})


@login_required
def commitment_file(request, pk: int):
    """The signed commitment of an approval the user may see (files are never public)."""
    approval = get_object_or_404(Approval.objects.visible_to(request.user), pk=pk)
    row = getattr(approval, "commitment", None) if _has_commitment(approval) else None
    if row is None or not row.file:
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, filename=row.file_name, content_type=row.file_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _has_commitment(approval) -> bool:
    return Commitment.objects.filter(approval=approval).exists()
