"""Template overview pages: per catalog template, serial vs parallel, critical path, float."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from greenlight.catalog.models import Template

from . import charting
from .views import download


def _overview(template: Template, user) -> dict:
    data = charting.template_data(template, region=user.region, today=timezone.localdate())
    r = data.result
    by_id = {t.id: t for t in r.tasks}
    return {
        "template": template,
        "data": data,
        "critical": [by_id[c] for c in r.critical],
        "most_float": sorted(r.tasks, key=lambda t: (-t.float_days, t.id))[:5],
    }


@login_required
def template_list(request):
    """Every template with its serial and parallel duration and where the time goes."""
    rows = [_overview(t, request.user) for t in Template.objects.visible_to(request.user)]
    return render(request, "plans/template_list.html", {"rows": rows})


@login_required
def template_detail(request, code: str, view: str = "combined"):
    """One template: its "3+1" charts, critical path and the matters with the most float."""
    if view not in charting.VIEWS:
        raise Http404
    template = get_object_or_404(Template.objects.visible_to(request.user), code=code)
    context = _overview(template, request.user)
    context.update(
        view=view,
        views=charting.view_titles(),
        svg=charting.svg(view, context["data"]),
        tasks=sorted(context["data"].result.tasks, key=lambda t: (t.early_start, t.id)),
    )
    return render(request, "plans/template_detail.html", context)


@login_required
def template_svg(request, code: str, view: str):
    """Download one view of a template as SVG."""
    if view not in charting.VIEWS:
        raise Http404
    template = get_object_or_404(Template.objects.visible_to(request.user), code=code)
    data = charting.template_data(template, region=request.user.region, today=timezone.localdate())
    return download(charting.svg(view, data), "image/svg+xml", f"{template.code}-{view}.svg")
