"""Pages of 容缺受理: accepting with missing materials, recording one supplied, and the list
of missing materials past their day (the department's and the owner's work)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.kernel.errors import DomainError, InvalidInput
from greenlight.kernel.views import require

from . import gaps, permissions
from .models import Approval, MissingMaterial


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(_("enter a valid date"), field=field) from exc


@login_required
@require_POST
def accept_with_gaps(request, pk: int):
    """The department accepts, naming the materials still missing and the day each is due."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related("project__region", "matter"),
        pk=pk,
    )
    require(permissions.can_act(request.user, approval, "accept"))
    try:
        missing = [
            (name, _date(request.POST.get(f"due_{i}", ""), f"missing.{i}.due"))
            for i, name in enumerate(approval.matter.materials)
            if request.POST.get(f"missing_{i}")
        ]
        version = request.POST.get("version")
        gaps.accept(
            approval=approval,
            actor=request.user,
            missing=missing,
            version=int(version) if str(version).isdigit() else None,
        )
    except DomainError as exc:
        messages.error(request, f"{exc.message}")
    else:
        messages.success(request, _("Accepted with materials to supply; the clock runs."))
    return redirect("approvals:detail", pk=pk)


@login_required
@require_POST
def supplied(request, pk: int):
    """The department records a missing material as supplied."""
    row = get_object_or_404(
        MissingMaterial.objects.visible_to(request.user).select_related("approval"), pk=pk
    )
    require(permissions.can_act(request.user, row.approval, "pause"))
    try:
        gaps.supplied(material=row, actor=request.user)
    except DomainError as exc:
        messages.error(request, f"{exc.message}")
    else:
        messages.success(request, _("Recorded as supplied."))
    return redirect(row.get_absolute_url())


@login_required
def overdue(request):
    """Missing materials past their day that the user may see (a department: its own)."""
    today = timezone.localdate()
    rows = list(gaps.overdue(user=request.user, today=today)[:500])
    for r in rows:
        r.days_late = (today - r.due_on).days
    return render(request, "approvals/gaps.html", {"rows": rows})
