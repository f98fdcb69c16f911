"""Project pages: list with filters, detail, register and edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from greenlight.kernel.errors import DomainError
from greenlight.kernel.views import add_form_error, paginate

from . import permissions, selectors, services
from .forms import ProjectFilterForm, ProjectForm
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
        )
    page, query = paginate(request, selectors.project_list(user=request.user, filters=filters), 50)
    return render(
        request,
        "projects/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_create": permissions.can_create_project(request.user),
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
    for approval in approvals:
        groups.setdefault(approval.matter.get_stage_display(), []).append(approval)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "groups": groups,
            "approval_count": len(approvals),
            "can_edit": permissions.can_edit_project(request.user, project),
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
            messages.success(request, _("Project registered."))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "project": None})


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
