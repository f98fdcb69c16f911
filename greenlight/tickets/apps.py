from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "greenlight.tickets"
    label = "tickets"
    verbose_name = _("tickets")

    def ready(self):
        from greenlight.catalog import hooks as catalog_hooks
        from greenlight.kernel import jobs
        from greenlight.supervision import hooks, subjects

        from . import recalendar
        from .jobs import escalate
        from .services import on_notice_issued

        jobs.register(escalate)
        subjects.register("ticket", "tickets.Ticket")
        hooks.notice_issued.connect(on_notice_issued)
        catalog_hooks.calendar_changed.connect(recalendar.on_calendar_changed)
