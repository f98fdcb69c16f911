from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "greenlight.audit"
    label = "audit"
    verbose_name = _("audit")

    def ready(self):
        from . import receivers

        receivers.connect()
