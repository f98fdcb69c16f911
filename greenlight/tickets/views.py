"""Ticket pages: the list by light, the report form, one ticket with its clocks, actions and
timeline, Excel import with a dry run, figures, Excel export and checked attachment downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.kernel.errors import DomainError
from greenlight.kernel.staged_import import StagedImport
from greenlight.supervision.panels import panel

from . import clocks, exports, forms, importer, permissions, selectors, services
from .choices import MILESTONES, Light, Milestone
from .models import Attachment, Ticket

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(form) -> selectors.TicketFilter:
    if not (form.is_bound and form.is_valid()):
        return selectors.TicketFilter()
    d = form.cleaned_data
    return selectors.TicketFilter(
        q=d["q"].strip(),
        light=d["light"],
        state=d["state"],
        category=d["category"],
        department=d["department"].pk if d.get("department") else None,
        project=d.get("project"),
        mine=bool(d.get("mine")),
        region=d.get("region") or "",
    )


@login_required
def ticket_list(request):
    """Tickets by light (on time, due today, overdue), filtered by department, category, project."""
    form = forms.FilterForm(request.GET or None, user=request.user)
    filters = _filters(form)
    now = timezone.now()
    rows = selectors.ticket_list(user=request.user, filters=filters, now=now)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": selectors.with_lights(list(page.object_list), now=now),
        "page_query": query.urlencode(),
        "counts": selectors.light_counts(user=request.user, filters=filters, now=now),
        "can_report": permissions.can_report(request.user),
        "can_figures": permissions.can_read_figures(request.user),
        "query": request.GET.urlencode(),
    }
    return render(request, "tickets/list.html", context)


@login_required
def new(request):
    """Report a problem: companies for their own projects, staff (phone, visit) for any."""
    if not permissions.can_report(request.user):
        raise PermissionDenied
    form = forms.TicketForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ticket = services.report(
                actor=request.user,
                project=d["project"],
                title=d["title"],
                category=d["category"],
                description=d["description"],
                channel=d.get("channel") or "web",
                reported_at=d.get("reported_at"),
                uploads=d["attachments"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Problem reported."))
            return redirect("tickets:detail", pk=ticket.pk)
    return render(request, "tickets/new.html", {"form": form})


def _visible(request, pk: int) -> Ticket:
    qs = Ticket.objects.visible_to(request.user).select_related(
        "project__region", "project__owner", "lead_department", "reporter"
    )
    return get_object_or_404(qs.prefetch_related("cooperating_departments"), pk=pk)


@login_required
def detail(request, pk: int):
    """One ticket: facts, the three clocks, the actions the user may take, the full timeline."""
    ticket = _visible(request, pk)
    user, now = request.user, timezone.now()
    clocks_rows = []
    for m in MILESTONES:
        due, at = ticket.due_of(m), getattr(ticket, f"{m}_at")
        state = ("late" if at > due else "ok") if at else ("late" if now > due else "waiting")
        clocks_rows.append({"label": Milestone(m).label, "due": due, "at": at, "state": state})
    context = {
        "ticket": ticket,
        "light": clocks.light(ticket, now=now),
        "light_label": dict(Light.choices).get(clocks.light(ticket, now=now), ""),
        "next": clocks.next_milestone(ticket),
        "clocks": clocks_rows,
        "events": selectors.timeline(ticket=ticket),
        "attachments": ticket.attachments.all(),
        "supervision": panel(request, ticket),
        "can": {
            "assign": permissions.can_assign(user, ticket),
            "work": permissions.can_work(user, ticket),
            "resolve": permissions.can_resolve(user, ticket),
            "close": permissions.can_close(user, ticket),
            "reopen": permissions.can_reopen(user, ticket),
            "comment": permissions.can_comment(user, ticket),
        },
        "assign_form": forms.AssignForm(
            region=ticket.project.region,
            initial={
                "lead_department": ticket.lead_department_id,
                "cooperating_departments": [d.pk for d in ticket.cooperating_departments.all()],
            },
        ),
        "close_form": forms.CloseForm(),
    }
    return render(request, "tickets/detail.html", context)


def _run(action: str, ticket: Ticket, user, d: dict):
    if action == "assign":
        return services.assign(
            ticket=ticket,
            actor=user,
            lead=d["lead_department"],
            cooperating=d["cooperating_departments"],
        )
    if action == "milestone":
        return services.record_milestone(ticket=ticket, actor=user, **d)
    if action == "resolve":
        return services.resolve(ticket=ticket, actor=user, text=d["text"])
    if action == "close":
        return services.close(ticket=ticket, actor=user, **d)
    if action == "reopen":
        return services.reopen(ticket=ticket, actor=user, reason=d["reason"])
    if action == "comment":
        return services.comment(ticket=ticket, actor=user, text=d["text"])
    return services.attach(ticket=ticket, actor=user, uploads=d["attachments"])


ACTIONS = {
    "assign": (forms.AssignForm, permissions.can_assign),
    "milestone": (forms.MilestoneForm, permissions.can_work),
    "resolve": (forms.TextForm, permissions.can_resolve),
    "close": (forms.CloseForm, permissions.can_close),
    "reopen": (forms.ReopenForm, permissions.can_reopen),
    "comment": (forms.TextForm, permissions.can_comment),
    "attach": (forms.AttachForm, permissions.can_attach),
}


@login_required
@require_POST
def act(request, pk: int, action: str):
    """One action on a ticket, posted from its page (404 if not visible, 403 if not allowed)."""
    ticket = _visible(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, allowed = ACTIONS[action]
    if not allowed(request.user, ticket):
        raise PermissionDenied
    kwargs = {"region": ticket.project.region} if action == "assign" else {}
    form = form_class(request.POST, request.FILES or None, **kwargs)
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(
                f"{form.fields[f].label or f}: {' '.join(e)}" if f in form.fields else " ".join(e)
                for f, e in form.errors.items()
            ),
        )
        return redirect("tickets:detail", pk=pk)
    try:
        _run(action, ticket, request.user, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("tickets:detail", pk=pk)


@login_required
def attachment(request, pk: int):
    """Download an attachment of a ticket the user may see (files are never public)."""
    att = get_object_or_404(
        Attachment.objects.filter(ticket__in=Ticket.objects.visible_to(request.user)), pk=pk
    )
    try:
        handle = att.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=att.name, content_type=att.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# -- Excel ------------------------------------------------------------------------------------

IMPORT = StagedImport(importer, "ticket-imports", "tickets/import.html", "tickets:import")


@login_required
def import_template(request):
    """The Excel template to fill in."""
    response = HttpResponse(importer.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="tickets-template.xlsx"'
    return response


@login_required
def import_upload(request):
    """Upload an Excel file: a dry run lists each bad row; a clean file may then be imported."""
    if not permissions.can_report(request.user):
        raise PermissionDenied
    return IMPORT.upload(request, forms.ImportForm(request.POST or None, request.FILES or None))


@login_required
@require_POST
def import_commit(request):
    """Import the previewed file, all rows or none."""
    if not permissions.can_report(request.user):
        raise PermissionDenied
    return IMPORT.commit(
        request,
        done=lambda rows: _("%(n)s problems imported.") % {"n": len(rows)},
        then="tickets:list",
    )


@login_required
def export(request):
    """The filtered list as an Excel workbook."""
    form = forms.FilterForm(request.GET or None, user=request.user)
    now = timezone.now()
    rows = selectors.ticket_list(user=request.user, filters=_filters(form), now=now)
    response = HttpResponse(exports.workbook(rows, now=now), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="tickets.xlsx"'
    return response


@login_required
def figures(request):
    """Per department on-time rates and medians; counts by category and month."""
    if not permissions.can_read_figures(request.user):
        raise PermissionDenied
    months, table = selectors.by_category_month(user=request.user)
    context = {
        "departments": selectors.department_figures(user=request.user),
        "months": months,
        "table": table,
        "milestones": [Milestone(m).label for m in MILESTONES],
    }
    return render(request, "tickets/figures.html", context)
