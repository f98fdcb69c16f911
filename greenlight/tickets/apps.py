from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "greenlight.tickets"
    label = "tickets"
    verbose_name = _("tickets")

    def ready(self):
        from greenlight.kernel import jobs

        from .jobs import escalate

        jobs.register(escalate)
