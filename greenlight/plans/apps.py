from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Project plans: the engine bridge, forecasts, custom plans and their versions, charts."""

    name = "greenlight.plans"
    label = "plans"
    verbose_name = _("plans")

    def ready(self):
        from greenlight.approvals import hooks as approval_hooks
        from greenlight.catalog import hooks as catalog_hooks
        from greenlight.kernel import jobs as tick_jobs
        from greenlight.kernel import slots
        from greenlight.projects import hooks as project_hooks

        from . import jobs, panels, planning, recalendar, receivers

        approval_hooks.approval_moved.connect(planning.replan_after_move)
        project_hooks.project_registered.connect(receivers.plan_registered)
        project_hooks.project_changed.connect(receivers.replan_changed)
        catalog_hooks.calendar_changing.connect(recalendar.on_calendar_changing)
        catalog_hooks.calendar_changed.connect(recalendar.on_calendar_changed)
        # After the other jobs (the case facts pick up changed critical flags on the next tick),
        # before the delivery of messages (order 90).
        tick_jobs.register(jobs.reforecast, order=60)
        slots.provide("project.detail.links", panels.project_links)
        slots.provide("project.detail.summary", panels.project_summary)
