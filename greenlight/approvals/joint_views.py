"""Pages of 一口受理 joint cases: the case with its members side by side and its shared clock,
its moves, opening one from a member, and the joint decision (each department its members)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.kernel.errors import DomainError
from greenlight.kernel.views import add_form_error, require

from . import clocks, joint, permissions, register, workflow
from .act_views import _act_input
from .choices import OUTCOME_ACTION, Outcome, Status
from .forms import ActionForm, DecisionForm
from .models import Approval, JointCase, PreparedAct

CASE_LABELS = {a: workflow.ACTION_LABELS[a] for a in joint.CASE_ACTIONS}
OUTCOMES_FROM = {
    Status.SUBMITTED: (Outcome.NOT_ACCEPTED,),
    Status.ACCEPTED: (Outcome.APPROVED, Outcome.REJECTED),
}


def _case(request, pk: int) -> JointCase:
    return get_object_or_404(
        JointCase.objects.visible_to(request.user).select_related(
            "project__region", "project__owner", "bundle", "lead_department"
        ),
        pk=pk,
    )


def _mine(user, case: JointCase, rows) -> list[Approval]:
    """The members `user` may decide now (its department's), each with its outcomes."""
    out = []
    for a in rows:
        a.outcomes = [
            o
            for o in OUTCOMES_FROM.get(case.status, ())
            if permissions.can_act(user, a, OUTCOME_ACTION[o])
        ]
        if a.outcomes:
            out.append(a)
    return out


@login_required
def detail(request, pk: int):
    """The joint case: members side by side (status, materials, prepared act, decision), the
    shared clock and the moves the user may make."""
    case = _case(request, pk)
    rows = joint.members(case)
    today, now = timezone.localdate(), timezone.now()
    for a in rows:
        a.reused = register.reused_materials(a, today=today)
        a.decisions_list = list(a.decisions.select_related("issued_by").order_by("at", "id"))
        try:
            a.prepared = a.prepared_act
        except PreparedAct.DoesNotExist:
            a.prepared = None
    lead = rows[0] if rows else None
    context = {
        "case": case,
        "members": rows,
        "remaining": clocks.remaining(lead, now=now) if lead else None,
        "light": clocks.light(lead, now=now) if lead else "",
        "actions": [
            (a, CASE_LABELS[a])
            for a in workflow.actions_from(case.status)
            if a in joint.CASE_ACTIONS and joint.may(request.user, case, a)
        ],
        "needs_reason": workflow.NEEDS_REASON,
        "form": ActionForm(initial={"version": case.version}),
        "can_decide": bool(_mine(request.user, case, rows)),
        "pauses": lead.pauses.all() if lead else [],
        "case_matters": {a.matter_id for a in rows},
    }
    return render(request, "approvals/joint.html", context)


@login_required
@require_POST
def act(request, pk: int):
    """Move the whole case (form post from its page)."""
    case = _case(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("approvals:joint", pk=pk)
    d = form.cleaned_data
    require(joint.may(request.user, case, d["action"]))
    try:
        joint.move_case(
            case=case,
            action=d["action"],
            actor=request.user,
            reason=d["reason"] or "",
            pause_reason=d["pause_reason"] or "",
            version=d["version"],
        )
    except DomainError as exc:
        messages.error(request, f"{exc.message}")
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": CASE_LABELS[d["action"]]})
    return redirect("approvals:joint", pk=pk)


@login_required
@require_POST
def open_case(request, pk: int):
    """The applicant asks for 一口受理 of the bundle this approval belongs to."""
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related("project", "matter"), pk=pk
    )
    try:
        case = joint.open_case(approval=approval, actor=request.user)
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, f"{exc.message}")
        return redirect("approvals:detail", pk=pk)
    messages.success(request, _("The joint case is opened: submit it once for all its matters."))
    return redirect("approvals:joint", pk=case.pk)


@login_required
def decide(request, pk: int):
    """The joint decision: one act per member of the user's department, side by side; the
    case's acts are issued together once every member has its act."""
    case = _case(request, pk)
    rows = joint.members(case)
    mine = _mine(request.user, case, rows)
    if not mine and request.method == "GET":
        messages.info(request, _("Only the member departments decide, once the case is accepted."))
        return redirect("approvals:joint", pk=pk)
    require(bool(mine))
    forms = [
        DecisionForm(
            request.POST or None,
            request.FILES or None,
            outcomes=a.outcomes,
            prefix=f"m{a.pk}",
            initial={
                "outcome": a.outcomes[0].value,
                "issued_on": timezone.localdate(),
                "handler_name": request.user.display_name,
                "title": a.matter.name,
            },
        )
        for a in mine
    ]
    status = 200
    if request.method == "POST":
        if all(f.is_valid() for f in forms):
            a = mine[0]
            try:
                with transaction.atomic():  # all of the department's acts, or none
                    for a, f in zip(mine, forms, strict=True):
                        d = f.cleaned_data
                        joint.prepare(
                            case=case,
                            approval=a,
                            outcome=d["outcome"],
                            act=_act_input(d),
                            actor=request.user,
                        )
            except DomainError as exc:
                add_form_error(forms[mine.index(a)], exc)
            else:
                case.refresh_from_db()
                if case.decided_at:
                    messages.success(request, _("The joint case is decided: every act is issued."))
                else:
                    messages.success(
                        request,
                        _("Your acts are prepared; they are issued with the other departments'."),
                    )
                return redirect("approvals:joint", pk=pk)
        status = 400
    for a, f in zip(mine, forms, strict=True):
        a.form = f
    context = {"case": case, "mine": mine, "members": rows}
    return render(request, "approvals/joint_decide.html", context, status=status)
