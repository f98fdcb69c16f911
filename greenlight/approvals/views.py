"""Approval pages: the work queue, one approval with its actions and timeline (and its
supervision notices, from `greenlight.supervision`), overdue lists."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.catalog import calendars
from greenlight.kernel.errors import DomainError
from greenlight.supervision.panels import panel

from . import (
    act_views,
    clocks,
    commitments,
    gaps,
    joint,
    permissions,
    procedures,
    register,
    selectors,
    services,
    workflow,
)
from .forms import ActionForm, QueueFilterForm
from .models import Approval, Commitment, PostCheck

ACTION_LABELS = workflow.ACTION_LABELS


@login_required
def queue(request):
    """The work queue (待办): pending approvals by due date with lights and counts."""
    form = QueueFilterForm(request.GET or None, user=request.user)
    filters = selectors.QueueFilter()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.QueueFilter(
            status=d["status"],
            light=d["light"],
            matter=d["matter"].pk if d["matter"] else None,
            department=d["department"].pk if d.get("department") else None,
            q=d["q"].strip(),
            region=d.get("region") or "",
        )
    rows, counts = selectors.queue(user=request.user, filters=filters, now=timezone.now())
    shown = rows[:300]
    # In memory: one look at the calendar per distinct year, none per row.
    provisional = calendars.provisional_years(*(a.due_at for a in shown))
    for a in shown:
        a.provisional = bool(provisional) and _local_year(a.due_at) in provisional
    return render(
        request,
        "approvals/queue.html",
        {
            "form": form,
            "rows": shown,
            "total": len(rows),
            "counts": counts,
            "can_read_supervision": permissions.can_read_supervision(request.user),
            "provisional_years": provisional,
        },
    )


def _local_year(moment) -> int | None:
    return timezone.localtime(moment).year if moment else None


@login_required
def detail(request, pk: int):
    """One approval: facts, clock, actions the user may take, timeline, pauses, notices."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related(
            "project", "project__region", "matter", "department", "handler"
        ),
        pk=pk,
    )
    now = timezone.now()
    allowed = [
        (a, ACTION_LABELS[a])
        for a in workflow.actions_from(approval.status)
        if permissions.can_act(request.user, approval, a)
        and a not in services.DECIDING
        and not approval.joint_case_id  # a joint case's members move with the case
    ]
    bundle = joint.bundle_for(approval)
    if bundle is not None and not joint.may_open(request.user, approval):
        bundle = None
    context = {
        "approval": approval,
        "light": clocks.light(
            approval, now=now, yellow_workdays=clocks.yellow_threshold(approval.project.region)
        ),
        "remaining": clocks.remaining(approval, now=now),
        "provisional_years": clocks.provisional_years(approval, now=now),
        "actions": allowed,
        "needs_reason": workflow.NEEDS_REASON,
        "form": ActionForm(initial={"version": approval.version}),
        "events": selectors.timeline(approval=approval),
        "pauses": procedures.annotate(approval.pauses.all(), now=now),
        "supervision": panel(request, approval),
        "can_decide": not approval.joint_case_id
        and bool(act_views.outcomes_for(request.user, approval)),
        "joint_bundle": bundle,
        "decisions": approval.decisions.select_related("corrects", "issued_by").order_by(
            "at", "id"
        ),
        "can_correct": permissions.can_act(request.user, approval, "approve"),
        **_gap_context(request.user, approval),
        **_commitment_context(request.user, approval),
        # the earlier results this matter takes as materials: on file (reused) or missing
        "reused": register.reused_materials(approval, today=timezone.localdate()),
    }
    return render(request, "approvals/detail.html", context)


COMMITMENT_TEMPLATE = (
    "本单位承诺：所提交的材料真实、有效，已知晓并符合审批部门告知的全部条件、标准和技术要求，"
    "愿意承担不实承诺的法律责任，接受事后核查；经核查不符合承诺的，审批部门可依法撤销许可。"
)


def _commitment_context(user, approval) -> dict:
    """告知承诺: the owner's signed commitment (or the form to sign it) and the post-check."""
    if not approval.matter.commitment_based:
        return {}
    commitment = Commitment.objects.filter(approval=approval).first()
    return {
        "commitment": commitment,
        "can_commit": commitment is None and commitments.may_commit(user, approval),
        "commitment_template": COMMITMENT_TEMPLATE,
        "post_check": PostCheck.objects.filter(approval=approval).first(),
        "can_check": permissions.can_act(user, approval, "approve"),
    }


def _gap_context(user, approval) -> dict:
    """容缺: the materials accepted as missing, and the accept-with-gaps form when it applies."""
    missing = list(approval.missing.all())
    offer = (
        approval.matter.accept_with_gaps
        and approval.matter.materials
        and approval.status == "submitted"
        and not approval.joint_case_id
        and permissions.can_act(user, approval, "accept")
    )
    today = timezone.localdate()
    return {
        "missing": missing,
        "missing_left": any(m.supplied_at is None for m in missing),
        "today": today,
        "can_gap": permissions.can_act(user, approval, "pause"),
        "gap_form": bool(offer),
        "gap_due": gaps.default_due(approval, today=today) if offer else None,
    }


@login_required
@require_POST
def act(request, pk: int):
    """Take one action on an approval (form post from the detail page)."""
    approval = get_object_or_404(Approval.objects.visible_to(request.user), pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("approvals:detail", pk=pk)
    d = form.cleaned_data
    if not permissions.can_act(request.user, approval, d["action"]):
        raise PermissionDenied
    try:
        services.transition(
            approval=approval,
            action=d["action"],
            actor=request.user,
            reason=d["reason"] or "",
            pause_reason=d["pause_reason"] or "",
            version=d["version"],
        )
    except DomainError as exc:
        messages.error(request, f"{exc.message}")
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[d["action"]]})
    return redirect("approvals:detail", pk=pk)


@login_required
def overdue(request):
    """Overdue approvals by department and by matter, and the list itself."""
    now = timezone.now()
    if not permissions.can_read_supervision(request.user):
        raise PermissionDenied
    return render(
        request,
        "approvals/overdue.html",
        {
            # special procedures: paused time per department over the last 12 months
            "paused": procedures.paused_by_department(
                user=request.user, since=now - timedelta(days=365), now=now
            ),
            "by_department": selectors.overdue_by(user=request.user, now=now, field="department"),
            "by_matter": selectors.overdue_by(user=request.user, now=now, field="matter")[:20],
            "rows": selectors.overdue(user=request.user, now=now)[:200],
        },
    )
