from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "greenlight.notifications"
    label = "notifications"
    verbose_name = _("notifications")

    def ready(self):
        from greenlight.kernel import jobs

        from .services import deliver_due

        jobs.register(deliver_due, order=90)  # after the jobs that queue messages
