"""Register pages, the catalog history, and the standard work reference (HTML and .docx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.kernel.errors import DomainError
from greenlight.kernel.views import add_form_error, require

from . import docx, permissions, reference, selectors, services
from .choices import ItemKind, ItemStatus
from .forms import ItemForm, LimitForm, ProgressForm
from .models import ReformItem


@login_required
def register(request):
    """The register with its totals: N items, M fixed at once, K days saved."""
    require(permissions.can_read(request.user))
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    kind = kind if kind in ItemKind.values else ""
    status = status if status in ItemStatus.values else ""
    form = None
    if permissions.can_manage(request.user):
        form = ItemForm(request.POST or None, region=request.user.region)
        if request.method == "POST" and form.is_valid():
            try:
                item = services.create_item(
                    region=request.user.region, data=form.service_data(), actor=request.user
                )
                messages.success(request, _("Item added to the register."))
                return redirect("reforms:item", pk=item.pk)
            except DomainError as exc:
                add_form_error(form, exc)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "reforms/register.html",
        {
            "totals": selectors.totals(user=request.user),
            "rows": selectors.items(user=request.user, kind=kind, status=status),
            "kind": kind,
            "status": status,
            "kinds": ItemKind.choices,
            "statuses": ItemStatus.choices,
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def item_detail(request, pk: int):
    """One item: the finding, its progress and the catalog changes made through it."""
    require(permissions.can_read(request.user))
    item = get_object_or_404(selectors.items(user=request.user), pk=pk)
    can_update = permissions.can_update_item(request.user, item)
    progress = ProgressForm(
        request.POST or None, initial={"status": item.status, "evidence": item.evidence}
    )
    if request.method == "POST":
        require(can_update)
        if progress.is_valid():
            try:
                services.update_item(
                    item=item,
                    data=progress.cleaned_data,
                    actor=request.user,
                    today=timezone.localdate(),
                )
                messages.success(request, _("Item updated."))
                return redirect("reforms:item", pk=pk)
            except DomainError as exc:
                add_form_error(progress, exc)
    return render(
        request,
        "reforms/item.html",
        {
            "item": item,
            "changes": selectors.with_template_names(
                selectors.changes(user=request.user, item=item.pk)
            ),
            "progress": progress if can_update else None,
            "limit_form": LimitForm() if permissions.can_manage(request.user) else None,
        },
        status=400 if progress.errors else 200,
    )


@login_required
@require_POST
def item_limit(request, pk: int):
    """Change a matter's committed limit through this item (versioned, days saved computed)."""
    require(permissions.can_manage(request.user))
    item = get_object_or_404(ReformItem.objects.visible_to(request.user), pk=pk)
    form = LimitForm(request.POST)
    if form.is_valid():
        try:
            services.change_limit(
                item=item,
                matter=form.cleaned_data["matter"],
                limit=form.cleaned_data["limit"],
                unit=form.cleaned_data["unit"],
                actor=request.user,
            )
            messages.success(request, _("Catalog changed; the history records it."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Choose a matter and a limit."))
    return redirect("reforms:item", pk=pk)


@login_required
def changes(request):
    """The versioned catalog history with the days each change saves."""
    require(permissions.can_read(request.user))
    return render(
        request,
        "reforms/changes.html",
        {"rows": selectors.with_template_names(selectors.changes(user=request.user)[:300])},
    )


@login_required
def reference_page(request):
    """The standard work reference of the user's region, printable."""
    require(permissions.can_read_reference(request.user))
    ref = reference.build(region=request.user.region, today=timezone.localdate())
    return render(
        request,
        "reforms/reference.html",
        # A company or the administrator reads the reference only: no tabs to the register.
        {"ref": ref, "reference_only": not permissions.can_read(request.user)},
    )


@login_required
def reference_docx(request):
    """The same reference as a Word document."""
    require(permissions.can_read_reference(request.user))
    ref = reference.build(region=request.user.region, today=timezone.localdate())
    response = HttpResponse(
        docx.render(ref),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"standard-work-reference-{request.user.region.code}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
