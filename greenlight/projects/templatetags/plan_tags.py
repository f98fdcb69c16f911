"""The plan links and the 拿地即开工 verdict on the project page."""

from django import template
from django.utils import timezone

from greenlight.projects import plan_views, plans

register = template.Library()


@register.inclusion_tag("projects/plan/_project_links.html", takes_context=True)
def plan_links(context, project):
    """Buttons to the project's charts, and the verdict when a land date is set."""
    user = context["request"].user
    return {
        "project": project,
        "verdict": plans.verdict(project, user=user, today=timezone.localdate()),
        "can_edit_plan": plan_views.can_edit_plan(user, project),
        "views": plans.view_titles(),
        "company": user.role == "company",
    }
