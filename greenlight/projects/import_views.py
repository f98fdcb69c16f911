"""Registering projects from Excel: the template, the upload with its dry run, the import."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from greenlight.kernel.errors import DomainError

from . import importer, permissions
from .forms import ImportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _require(request) -> None:
    if not permissions.can_import_projects(request.user):
        raise PermissionDenied


def _staged(user, token: str) -> Path:
    if not _TOKEN.match(token or ""):
        raise Http404
    return Path(settings.MEDIA_ROOT) / "project-imports" / str(user.pk) / f"{token}.xlsx"


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
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            importer.check_size(upload.size)
            data = upload.read()
            parsed = importer.parse(data, user=request.user)
        except DomainError as exc:
            form.add_error("file", str(exc.message))
        else:
            context["parsed"] = parsed
            if parsed.ok:
                token = uuid.uuid4().hex
                path = _staged(request.user, token)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                context["token"] = token
    return render(request, "projects/import.html", context)


@login_required
@require_POST
def import_commit(request):
    """Register the previewed file's projects, all rows or none."""
    _require(request)
    path = _staged(request.user, request.POST.get("token", ""))
    if not path.exists():
        messages.error(request, _("The previewed file has expired; upload it again."))
        return redirect("projects:import")
    try:
        projects = importer.commit(path.read_bytes(), user=request.user)
    except DomainError as exc:
        lines = [f"{e['row']} {e['column']}: {e['reason']}" for e in exc.extra.get("errors", [])]
        messages.error(request, " · ".join([str(exc.message), *lines[:20]]))
        return redirect("projects:import")
    finally:
        path.unlink(missing_ok=True)
    n = len(projects)
    messages.success(
        request,
        ngettext(
            "%(n)s project registered from Excel, with its approvals and plan.",
            "%(n)s projects registered from Excel, with their approvals and plans.",
            n,
        )
        % {"n": n},
    )
    return redirect("projects:list")
