from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "greenlight.analytics"
    label = "analytics"
    verbose_name = _("analytics")

    def ready(self):
        from greenlight.kernel import jobs

        from .casefacts import refresh_changed

        jobs.register(refresh_changed)
