"""Registering projects from Excel: the template, the upload with its dry run, the import."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from greenlight.kernel.staged_import import StagedImport

from . import importer, permissions
from .forms import ImportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request) -> None:
    if not permissions.can_import_projects(request.user):
        raise PermissionDenied


IMPORT = StagedImport(importer, "project-imports", "projects/import.html", "projects:import")


@login_required
def import_template(request):
    """The Excel template to fill in, one project a row."""
    _require(request)
    response = HttpResponse(importer.template(region=request.user.region), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="projects-template.xlsx"'
    return response


@login_required
def import_upload(request):
    """Upload a file: the dry run lists each bad row; a clean file may then be imported."""
    _require(request)
    return IMPORT.upload(request, ImportForm(request.POST or None, request.FILES or None))


@login_required
@require_POST
def import_commit(request):
    """Register the previewed file's projects, all rows or none."""
    _require(request)
    return IMPORT.commit(request, done=_registered, then="projects:list")


def _registered(projects: list) -> str:
    n = len(projects)
    return ngettext(
        "%(n)s project registered from Excel, with its approvals and plan.",
        "%(n)s projects registered from Excel, with their approvals and plans.",
        n,
    ) % {"n": n}
