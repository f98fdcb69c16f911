"""Pages of the data exchange: the runs with their failures, an upload, pull and push, the
download of the region's tables, and the registration filled from the 投资 platform."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.accounts.models import Organization
from greenlight.kernel.errors import DomainError
from greenlight.kernel.views import add_form_error, require
from greenlight.projects import views as project_views
from greenlight.projects.forms import ProjectForm

from . import client, fields, permissions, selectors, services
from .forms import LookupForm, UploadForm
from .models import ExchangeRun

FIRST_FAILED = 5  # failed rows shown under each run on the list; the run's page has them all


def _ran(request, run: ExchangeRun) -> None:
    text = _("Run finished: %(applied)s applied, %(unchanged)s unchanged, %(failed)s failed.") % {
        "applied": run.applied,
        "unchanged": run.unchanged,
        "failed": run.failed,
    }
    (messages.warning if run.failed or run.message else messages.success)(request, text)


@login_required
def run_list(request):
    """Every run of the coordinator's region with its counts; the upload form beside."""
    require(permissions.can_read(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(permissions.can_run(request.user))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = services.import_file(data=upload.read(), name=upload.name, actor=request.user)
            except DomainError as exc:
                add_form_error(form, exc)
            else:
                _ran(request, run)
                return redirect("exchange:run", pk=run.pk)
    page = Paginator(selectors.runs(user=request.user), 20).get_page(request.GET.get("page"))
    failed = selectors.failed_by_run(page.object_list, first=FIRST_FAILED)
    for run in page.object_list:
        run.first_failed = failed.get(run.pk, [])
    return render(
        request,
        "exchange/runs.html",
        {
            "page": page,
            "form": form,
            "first": FIRST_FAILED,
            "configured": bool(client.endpoint_or_blank()),
        },
        status=400 if form.errors else 200,
    )


@login_required
def run_detail(request, pk: int):
    """One run: its counts and each failed row with its field and reason."""
    require(permissions.can_read(request.user))
    run = get_object_or_404(selectors.runs(user=request.user), pk=pk)
    return render(
        request,
        "exchange/run.html",
        {"run": run, "failed": selectors.failed_rows(run=run)},
    )


@login_required
@require_POST
def run_http(request, direction: str):
    """Pull from or push to the configured 工改 endpoint now."""
    require(permissions.can_run(request.user))
    try:
        run = (services.pull if direction == "pull" else services.push)(actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("exchange:runs")
    _ran(request, run)
    return redirect("exchange:run", pk=run.pk)


@login_required
@require_POST
def export_json(request):
    """Download the region's national tables as JSON (recorded as an export run)."""
    require(permissions.can_run(request.user))
    _run, doc = services.export(actor=request.user)
    response = HttpResponse(
        json.dumps(doc, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="spgl-tables.json"'
    return response


@login_required
def investment(request):
    """从投资平台带出: the registration form filled from the 投资 platform's record of a code;
    the filled form is registered by the projects intake, as if typed."""
    require(permissions.can_run(request.user))
    if request.method == "POST":
        return project_views.project_create(request)
    lookup = LookupForm(request.GET or None)
    initial = None
    if request.GET and lookup.is_valid():
        try:
            initial = _prefill(lookup.cleaned_data["code"], user=request.user)
        except DomainError as exc:
            add_form_error(lookup, exc)
    if initial is None:
        return render(
            request,
            "exchange/investment.html",
            {"lookup": lookup},
            status=400 if lookup.errors else 200,
        )
    form = ProjectForm(initial=initial, user=request.user, region=request.user.region)
    messages.info(request, _("Filled from the investment platform's record; check and register."))
    return render(request, "projects/form.html", {"form": form, "project": None})


def _prefill(code: str, *, user) -> dict:
    record = client.investment_record(code)
    if record is None:
        raise DomainError(
            _("the investment platform has no project %(code)s") % {"code": code}, field="code"
        )
    try:
        data = fields.project_data({**record, "XMDM": record.get("XMDM") or code})
    except DomainError as exc:
        raise DomainError(
            _("the investment platform's record is not usable: %(field)s %(reason)s")
            % {"field": exc.field, "reason": exc.message},
            field="code",
        ) from exc
    credit = str(record.get("DWTYSHXYDM") or "")
    owner = Organization.objects.visible_to(user).filter(credit_code=credit).first()
    if credit and owner is not None:
        data["owner"] = owner.pk
    return data
