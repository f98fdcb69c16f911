"""Pages of the administrative acts: the decision form, its correction, the signed document
(served only to those who may see the approval) and each project's results register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.kernel.errors import DomainError
from greenlight.kernel.views import add_form_error, require

from . import acts, permissions, register
from .choices import OUTCOME_ACTION, Outcome, Status
from .forms import CorrectionForm, DecisionForm
from .models import Approval, Decision

# the outcomes a department may issue from each status
OUTCOMES_FROM = {
    Status.SUBMITTED: (Outcome.NOT_ACCEPTED,),
    Status.ACCEPTED: (Outcome.APPROVED, Outcome.REJECTED),
}


def outcomes_for(user, approval: Approval) -> list[Outcome]:
    """The outcomes `user` may issue on `approval` now (none when it is not theirs to decide)."""
    return [
        o
        for o in OUTCOMES_FROM.get(approval.status, ())
        if permissions.can_act(user, approval, OUTCOME_ACTION[o])
    ]


def _act_input(d: dict) -> acts.ActInput:
    return acts.ActInput(
        number=d.get("number") or "",
        title=d.get("title") or "",
        opinion=d.get("opinion") or "",
        legal_basis=d.get("legal_basis") or "",
        issued_on=d.get("issued_on"),
        valid_until=d.get("valid_until"),
        handler_name=d.get("handler_name") or "",
        document=d.get("document") or None,
    )


def _approval(request, pk: int) -> Approval:
    return get_object_or_404(
        Approval.objects.visible_to(request.user).select_related(
            "project", "project__region", "project__owner", "matter", "department"
        ),
        pk=pk,
    )


@login_required
def decide(request, pk: int):
    """The decision form: outcome, opinion and legal basis, number, dates, handler, document,
    and the confirmation that it is final."""
    approval = _approval(request, pk)
    outcomes = outcomes_for(request.user, approval)
    if not outcomes and request.method == "GET":
        # someone who may see the approval but not decide it now: back to the approval
        messages.info(request, _("Only the department decides, once the approval is accepted."))
        return redirect("approvals:detail", pk=pk)
    require(bool(outcomes))
    status = 200
    if request.method == "POST":
        form = DecisionForm(request.POST, request.FILES, outcomes=outcomes)
        if form.is_valid():
            d = form.cleaned_data
            try:
                acts.decide(
                    approval=approval,
                    outcome=d["outcome"],
                    act=_act_input(d),
                    actor=request.user,
                    version=d.get("version"),
                )
            except DomainError as exc:
                add_form_error(form, exc)
            else:
                messages.success(request, _("The decision is issued and on record."))
                return redirect("approvals:detail", pk=pk)
        status = 400
    else:
        form = DecisionForm(
            outcomes=outcomes,
            initial={
                "outcome": outcomes[0].value,
                "issued_on": timezone.localdate(),
                "handler_name": request.user.display_name,
                "title": approval.matter.name,
                "version": approval.version,
            },
        )
    context = {
        "approval": approval,
        "form": form,
        "materials": register.reused_materials(approval, today=timezone.localdate()),
    }
    return render(request, "approvals/decide.html", context, status=status)


def _decision(request, pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.visible_to(request.user).select_related(
            "approval__project__region", "approval__matter", "approval__department", "issued_by"
        ),
        pk=pk,
    )


@login_required
def correct(request, pk: int):
    """Correct a decision in force: a new act pointing at it, with the reason."""
    decision = _decision(request, pk)
    allowed = permissions.can_act(request.user, decision.approval, "approve")
    if not allowed and request.method == "GET":
        messages.info(request, _("Only the department that decided corrects its decision."))
        return redirect("approvals:detail", pk=decision.approval_id)
    require(allowed)
    status = 200
    if request.method == "POST":
        form = CorrectionForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                acts.correct(
                    decision=decision, act=_act_input(d), reason=d["reason"], actor=request.user
                )
            except DomainError as exc:
                add_form_error(form, exc)
            else:
                messages.success(
                    request, _("The correction is issued; the earlier act stays on record.")
                )
                return redirect("approvals:detail", pk=decision.approval_id)
        status = 400
    else:
        form = CorrectionForm(
            initial={
                "number": decision.number,
                "title": decision.title,
                "opinion": decision.opinion,
                "legal_basis": decision.legal_basis,
                "issued_on": decision.issued_on,
                "valid_until": decision.valid_until,
                "handler_name": request.user.display_name,
            }
        )
    context = {"approval": decision.approval, "decision": decision, "form": form}
    return render(request, "approvals/correct.html", context, status=status)


@login_required
def decision_file(request, pk: int):
    """The signed document of a decision the user may see (files are never public)."""
    decision = _decision(request, pk)
    if not decision.file:
        raise Http404
    try:
        handle = decision.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=False, filename=decision.file_name, content_type=decision.file_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _project(request, project_id: int):
    """The project whose register is asked for, through its approvals' visibility (approvals
    sit below projects and name it by label only)."""
    approval = (
        Approval.objects.visible_to(request.user)
        .filter(project_id=project_id)
        .select_related("project", "project__region")
        .first()
    )
    if approval is None:
        raise Http404
    return approval.project


@login_required
def results(request, project_id: int):
    """A project's results register: what, number, issued by, date, valid until, file."""
    project = _project(request, project_id)
    today = timezone.localdate()
    rows = list(register.results(user=request.user, project=project))
    for d in rows:
        d.validity = register.validity(d, today=today)
        d.validity_label = register.VALIDITY_LABELS[d.validity]
    return render(request, "approvals/results.html", {"project": project, "rows": rows})


@login_required
def results_export(request, project_id: int):
    """The register in the national 批复文件 table's fields (Excel), corrections included."""
    project = _project(request, project_id)
    data = register.export_xlsx(
        register.export_decisions(user=request.user, project=project),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="results-{project.code}.xlsx"'
    return response


@login_required
def expiring(request):
    """Results whose validity ends within 30 days, for the owner and the coordinator's work."""
    today = timezone.localdate()
    rows = list(
        register.expiring(user=request.user, today=today)
        .select_related("approval__project")
        .order_by("valid_until", "id")[:500]
    )
    for d in rows:
        d.days_left = (d.valid_until - today).days
    return render(request, "approvals/expiring.html", {"rows": rows})
