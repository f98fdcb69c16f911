from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "greenlight.exchange"
    label = "exchange"
    verbose_name = _("data exchange")

    def ready(self):
        from greenlight.kernel import jobs

        from .jobs import scheduled_exchange

        jobs.register(scheduled_exchange, order=40)
