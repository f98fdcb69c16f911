"""The case page (案例对照) and the cases behind each of its figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import casepage
from .casepage_forms import CaseForm, CasesForm

INVALID = 422  # a refused choice: the form comes back with the field's reason


@login_required
def page(request):
    """Every figure of the case beside the platform's computation for a district and period."""
    form = CaseForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "analytics/casepage.html", {"form": form}, status=INVALID)
    choice = form.choice()
    if not form.is_bound:  # the form shows the defaults the figures were computed with
        form.initial = {**choice, "region": getattr(choice["region"], "code", "")}
    rows = casepage.figures(**choice, user=request.user) if choice["region"] else []
    return render(
        request, "analytics/casepage.html", {"form": form, "choice": choice, "rows": rows}
    )


@login_required
def cases(request):
    """The cases (projects, approvals, joint cases, tickets, register rows) behind one figure."""
    form = CasesForm(request.GET or None, user=request.user)
    if not form.is_bound:  # nothing chosen yet: the choice itself
        return render(request, "analytics/casepage_cases.html", {"form": form})
    if not form.is_valid():
        return render(request, "analytics/casepage_cases.html", {"form": form}, status=INVALID)
    choice = form.choice()
    if choice["region"] is None:
        raise Http404
    key = form.cleaned_data["figure"]
    figure = next(f for f in casepage.figures(**choice, user=request.user) if f.key == key)
    if figure.cases is None:
        raise Http404
    page_obj = Paginator(figure.cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    back = query.copy()
    back.pop("figure", None)
    return render(
        request,
        "analytics/casepage_cases.html",
        {
            "form": form,
            "figure": figure,
            "choice": choice,
            "page": page_obj,
            "kind": figure.cases.model._meta.model_name,
            "query": query.urlencode(),
            "back": back.urlencode(),
        },
    )
