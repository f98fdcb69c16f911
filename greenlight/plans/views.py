"""Pages of a project's plan: the "3+1" charts, 拿地即开工, custom plan editing, versions, exports."""

from __future__ import annotations

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.accounts.models import shown_with
from greenlight.catalog import calendars
from greenlight.kernel import validation
from greenlight.kernel.errors import DomainError
from greenlight.kernel.roles import Role
from greenlight.projects import permissions as project_permissions
from greenlight.projects import services as project_services
from greenlight.projects.forms import MatterAddForm
from greenlight.projects.models import Project

from . import charting, editing, exports, services
from .models import PlanVersion


def _project(request, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(request.user).select_related("owner", "region", "template"),
        pk=pk,
    )


def can_edit_plan(user, project: Project) -> bool:
    """Only coordinators edit plans, and custom plans are for major projects."""
    return user.role == Role.COORDINATOR and project.is_major


class NoMatters(Exception):
    """The project has no approval matters (and no custom plan), so nothing to schedule."""

    def __init__(self, project: Project):
        super().__init__(project.pk)
        self.project = project


def _data(request, project: Project, land: date | None = None) -> charting.ChartData:
    data = charting.project_data(project, user=request.user, today=timezone.localdate(), land=land)
    if data is None:
        raise NoMatters(project)
    return data


def no_matters(request, project: Project, view: str = ""):
    """What a plan page shows for a project without matters: what to do, and for the
    coordinator the form to add one (never a 404)."""
    change = project_permissions.can_change_matters(request.user, project)
    context = {
        "project": project,
        "view": view,
        "views": charting.view_titles(),
        "can_edit_plan": can_edit_plan(request.user, project),
        "add_form": MatterAddForm(project=project) if change else None,
    }
    return render(request, "plans/no_matters.html", context)


def plan_page(view_func):
    """A plan page or export that shows `no_matters` for a project without matters."""

    def wrapper(request, pk: int, *args, **kwargs):
        try:
            return view_func(request, pk, *args, **kwargs)
        except NoMatters as exc:
            return no_matters(request, exc.project, kwargs.get("view", ""))

    wrapper.__name__ = view_func.__name__
    wrapper.__doc__ = view_func.__doc__
    return wrapper


@login_required
def charts(request, pk: int):
    """The default view: the owner's checklist for a company, the combined chart for staff."""
    _project(request, pk)  # 404 before redirecting, as every view of the project does
    view = "push" if request.user.role == Role.COMPANY else "combined"
    return redirect("plans:chart", pk=pk, view=view)


def _chart_context(request, project, view: str, data) -> dict:
    return {
        "project": project,
        "data": data,
        "view": view,
        "view_title": charting.view_titles().get(view, _("Start on land day")),
        "views": charting.view_titles(),
        "svg": charting.svg(view, data),
        "can_edit_plan": can_edit_plan(request.user, project),
        "verdict": charting.verdict(project, user=request.user, today=timezone.localdate()),
        "provisional_years": plan_provisional_years(data.result, calendar=data.calendar),
    }


def plan_provisional_years(result, *, calendar) -> list[int]:
    """The provisional calendar years the plan's dates reach into (start to the later of its
    finish and forecast); memory only."""
    finish = max(result.parallel.finish, result.forecast.finish if result.forecast else date.min)
    return calendars.provisional_span(result.start, finish, calendar=calendar)


@login_required
@plan_page
def chart(request, pk: int, view: str):
    """One of the "3+1" views of a project, printable."""
    if view not in charting.VIEWS:
        raise Http404
    project = _project(request, pk)
    data = _data(request, project)
    return render(request, "plans/chart.html", _chart_context(request, project, view, data))


@login_required
@plan_page
def chart_svg(request, pk: int, view: str):
    """Download one view as an SVG file."""
    if view not in charting.VIEWS:
        raise Http404
    project = _project(request, pk)
    body = charting.svg(view, _data(request, project))
    return download(body, "image/svg+xml", f"{project.code}-{view}.svg")


def download(body, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _land(request, project: Project) -> tuple[date, str]:
    raw = request.POST.get("land") or request.GET.get("land")
    if not raw:
        return charting.land_default(project, timezone.localdate()), ""
    try:
        land = date.fromisoformat(raw)
    except ValueError:
        return charting.land_default(project, timezone.localdate()), _(
            "Enter the date as YYYY-MM-DD."
        )
    reason = validation.date_problem(land)
    if reason:
        return charting.land_default(project, timezone.localdate()), f"{_('Land date')}: {reason}"
    return land, ""


@login_required
@plan_page
def backward(request, pk: int):
    """拿地即开工: plan back from the land date; a coordinator may store the date on the project."""
    project = _project(request, pk)
    land, error = _land(request, project)
    if request.method == "POST" and not error:
        if not project_permissions.can_edit_project(request.user, project):
            raise PermissionDenied
        project_services.update_project(
            project=project, data={"land_acquired_on": land}, actor=request.user
        )
        messages.success(request, _("Land acquisition date saved."))
        return redirect(f"{request.path}?land={land.isoformat()}")
    data = _data(request, project, land=land)
    context = _chart_context(request, project, charting.BACKWARD, data)
    context.update(
        land=land,
        error=error,
        rows=charting.backward_rows(data),
        target=data.result.target,
        target_name=next((t.name for t in data.tasks if t.id == data.target_task), ""),
        can_save_land=project_permissions.can_edit_project(request.user, project),
    )
    return render(request, "plans/backward.html", context)


def _editable(request, pk: int) -> Project:
    project = _project(request, pk)
    if not can_edit_plan(request.user, project):
        raise PermissionDenied
    return project


@login_required
@plan_page
def edit(request, pk: int):
    """The custom plan editor: every change recomputes the chart (HTMX); save makes a version."""
    project = _editable(request, pk)
    today = timezone.localdate()
    if request.method == "POST":
        document, error = editing.apply_form(project, request.POST, user=request.user)
        if "save" in request.POST and not error:
            try:
                version = services.save_version(
                    project=project,
                    document=document,
                    actor=request.user,
                    note=request.POST.get("note", "").strip(),
                )
            except DomainError as exc:
                error = str(exc.message)
            else:
                messages.success(request, _("Version %(n)s saved.") % {"n": version.number})
                return redirect("plans:versions", pk=pk)
    else:
        document, error = editing.initial_document(project, user=request.user, today=today), ""
        if not document.get("tasks"):
            raise NoMatters(project)
    context = editing.editor_context(project, document, error=error, user=request.user)
    template = "plans/_editor.html" if request.headers.get("HX-Request") else "plans/edit.html"
    status = 400 if error and "save" in request.POST else 200
    context.update(project=project, views=charting.view_titles(), can_edit_plan=True)
    return render(request, template, context, status=status)


@login_required
def versions(request, pk: int):
    """Saved versions of the custom plan (who, when, finish, days saved), with a comparison."""
    project = _project(request, pk)
    rows = list(
        PlanVersion.objects.visible_to(request.user)
        .filter(project=project)
        .select_related(*shown_with("created_by"))
    )
    if not rows and not project.approvals.exists():
        return no_matters(request, project, "versions")
    by_number = {v.number: v for v in rows}
    compare = None
    try:
        a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
    except ValueError:
        a = b = 0
    if a in by_number and b in by_number:
        compare = editing.compare(by_number[a], by_number[b])
    return render(
        request,
        "plans/versions.html",
        {
            "project": project,
            "versions": rows,
            "compare": compare,
            "views": charting.view_titles(),
            "can_edit_plan": can_edit_plan(request.user, project),
        },
    )


@login_required
@require_POST
def restore(request, pk: int, number: int):
    """Make an earlier version the plan in force again (as a new version)."""
    project = _editable(request, pk)
    if not PlanVersion.objects.filter(project=project, number=number).exists():
        raise Http404
    version = services.restore_version(project=project, number=number, actor=request.user)
    messages.success(
        request, _("Version %(n)s restored as version %(m)s.") % {"n": number, "m": version.number}
    )
    return redirect("plans:versions", pk=pk)


@login_required
@plan_page
def export(request, pk: int, fmt: str):
    """The plan as a plan file (JSON, engine format), an Excel workbook or BPMN 2.0 XML."""
    project = _project(request, pk)
    data = _data(request, project, land=project.land_acquired_on)
    if fmt == "json":
        body = json.dumps(exports.plan_document(project, data), ensure_ascii=False, indent=2)
        return download(body, "application/json", f"{project.code}-plan.json")
    if fmt == "xlsx":
        return download(
            exports.workbook(project, data),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{project.code}-plan.xlsx",
        )
    if fmt == "bpmn":
        body = charting.bpmn_document(data, name=f"{project.name} {project.code}")
        return download(body, "application/xml", f"{project.code}.bpmn")
    raise Http404
