"""`{% project_results project %}`: a project's results register on any page that shows the
project (its own page, in projects), read with the viewer's visibility."""

from __future__ import annotations

from django import template
from django.utils import timezone

from greenlight.approvals import register as results_register

register = template.Library()


@register.inclusion_tag("approvals/_project_results.html", takes_context=True)
def project_results(context, project):
    """The project's results in force with their validity, and the links to the register."""
    request = context["request"]
    today = timezone.localdate()
    rows = list(results_register.results(user=request.user, project=project))
    for d in rows:
        d.validity = results_register.validity(d, today=today)
        d.validity_label = results_register.VALIDITY_LABELS[d.validity]
    return {"project": project, "rows": rows, "request": request}
