from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "greenlight.analytics"
    label = "analytics"
    verbose_name = _("analytics")

    def ready(self):
        from django.db.backends.signals import connection_created

        from greenlight.kernel import jobs

        from .aggregates import register_sqlite
        from .casefacts import refresh_changed

        jobs.register(refresh_changed)
        connection_created.connect(register_sqlite, dispatch_uid="analytics.percentile")
