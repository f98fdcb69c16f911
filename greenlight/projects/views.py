"""Project pages: list with filters, detail, register and edit, the project's matters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from greenlight.approvals.models import Approval
from greenlight.kernel.errors import DomainError
from greenlight.kernel.paging import IdsFirst
from greenlight.kernel.views import add_form_error, paginate

from . import matters, permissions, selectors, services
from .forms import (
    MatterAddForm,
    MatterRemoveForm,
    ProjectFilterForm,
    ProjectForm,
    optional_choices,
    search_owners,
)
from .models import Project


@login_required
def project_list(request):
    """The projects the user may see, filtered and paginated."""
    form = ProjectFilterForm(request.GET or None, user=request.user)
    filters = selectors.ProjectFilter()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.ProjectFilter(
            q=d["q"].strip(),
            stage=d["stage"],
            category=d["category"],
            subdistrict=d["subdistrict"].pk if d["subdistrict"] else None,
            major={"1": True, "0": False}.get(d["major"]),
            department=d["department"].pk if d["department"] else None,
            region=d["region"],
        )
    page, query = paginate(
        request, IdsFirst(selectors.project_list(user=request.user, filters=filters)), 50
    )
    page.object_list = selectors.with_pending_counts(page.object_list)
    return render(
        request,
        "projects/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_create": permissions.can_create_project(request.user),
            "can_import": permissions.can_import_projects(request.user),
        },
    )


@login_required
def project_detail(request, pk: int):
    """One project: basic facts, investment, approvals grouped by stage; the plan's links and
    summary come from the plans app through the page's slots."""
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related(
            "owner", "region", "subdistrict", "template"
        ),
        pk=pk,
    )
    approvals = selectors.project_approvals(project=project, user=request.user)
    groups: dict[str, list] = {}
    change = permissions.can_change_matters(request.user, project)
    for approval in approvals:
        approval.removable = change and not matters.removal_refused(approval)
        groups.setdefault(approval.matter.get_stage_display(), []).append(approval)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "contact_phone": permissions.contact_phone_for(request.user, project),
            "phone_in_clear": permissions.can_see_contact(request.user, project),
            "groups": groups,
            "approval_count": len(approvals),
            "can_edit": permissions.can_edit_project(request.user, project),
            "can_change_matters": change,
            "add_form": MatterAddForm(project=project) if change else None,
        },
    )


def _save(request, form, *, project=None):
    try:
        if project is None:
            return services.create_project(data=form.service_data(), actor=request.user)
        return services.update_project(
            project=project, data=form.service_data(), actor=request.user
        )
    except DomainError as exc:
        add_form_error(form, exc)
        return None


@login_required
def project_create(request):
    """Register a project."""
    if not permissions.can_create_project(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user, region=request.user.region)
    if request.method == "POST" and form.is_valid():
        project = _save(request, form)
        if project:
            n = project.approvals.count()
            messages.success(
                request,
                ngettext(
                    "Project registered: %(n)s approval matter opened and planned.",
                    "Project registered: %(n)s approval matters opened and planned.",
                    n,
                )
                % {"n": n}
                if n
                else _("Project registered. It has no approval matters yet: add them below."),
            )
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "projects/form.html",
        {
            "form": form,
            "project": None,
            "perms_import": permissions.can_import_projects(request.user),
        },
    )


@login_required
def owner_options(request):
    """The owner picker's list (HTMX): owners of the user's region matching what was typed."""
    if not permissions.can_create_project(request.user):
        raise PermissionDenied
    q = request.GET.get("owner") or request.GET.get("q") or ""
    owners = search_owners(request.user, request.user.region, q)
    return render(request, "projects/_owner_options.html", {"owners": owners})


@login_required
def optional_matters(request):
    """The optional-matter checkboxes of the category chosen on the form (HTMX)."""
    if not permissions.can_create_project(request.user):
        raise PermissionDenied
    choices = optional_choices(request.GET.get("category", ""))
    chosen = set(request.GET.getlist("optional_matters"))
    return render(
        request,
        "projects/_optional_matters.html",
        {"choices": choices, "chosen": chosen},
    )


def _changeable(request, pk: int) -> Project:
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    if not permissions.can_change_matters(request.user, project):
        raise PermissionDenied
    return project


def _back(request, project: Project):
    """Back to the page the form was on (the project page, or a plan page), else the project."""
    nxt = request.POST.get("next", "")
    if nxt.startswith(f"/projects/{project.pk}/"):
        return redirect(nxt)
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_POST
def matter_add(request, pk: int):
    """Open one more approval matter on the project, with the reason (audited, replanned)."""
    project = _changeable(request, pk)
    form = MatterAddForm(request.POST, project=project)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
        return _back(request, project)
    try:
        approval = services.add_matter(
            project=project,
            matter=form.cleaned_data["matter"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(matter)s added; the plan was recomputed.") % {
            "matter": approval.matter.name})  # fmt: skip
    return _back(request, project)


@login_required
@require_POST
def matter_remove(request, pk: int, approval_pk: int):
    """Remove a matter not yet started from the project, with the reason (audited, replanned)."""
    project = _changeable(request, pk)
    approval = get_object_or_404(
        Approval.objects.visible_to(request.user).select_related("matter"),
        pk=approval_pk,
        project=project,
    )
    form = MatterRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for removing %(matter)s.") % {
            "matter": approval.matter.name})  # fmt: skip
        return _back(request, project)
    try:
        services.remove_matter(
            project=project,
            approval=approval,
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(matter)s removed; the plan was recomputed.") % {
            "matter": approval.matter.name})  # fmt: skip
    return _back(request, project)


@login_required
def project_edit(request, pk: int):
    """Edit a project's facts."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    initial = {f: getattr(project, f) for f in services.EDITABLE}
    initial.update(owner=project.owner_id, subdistrict=project.subdistrict_id)
    form = ProjectForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        region=project.region,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, project=project)
        if saved:
            messages.success(request, _("Project saved."))
            return redirect("projects:detail", pk=pk)
    return render(request, "projects/form.html", {"form": form, "project": project})
