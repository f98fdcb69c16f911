from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Project plans: the engine bridge, forecasts, custom plans and their versions, charts."""

    name = "greenlight.plans"
    label = "plans"
    verbose_name = _("plans")

    def ready(self):
        from greenlight.approvals import hooks as approval_hooks
        from greenlight.kernel import slots
        from greenlight.projects import hooks as project_hooks

        from . import panels, planning, receivers

        approval_hooks.approval_moved.connect(planning.replan_after_move)
        project_hooks.project_registered.connect(receivers.plan_registered)
        project_hooks.project_changed.connect(receivers.replan_changed)
        slots.provide("project.detail.links", panels.project_links)
        slots.provide("project.detail.summary", panels.project_summary)
