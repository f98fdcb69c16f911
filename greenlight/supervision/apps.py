from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Supervision notices (督办单) on any subject: an approval, a ticket, a joint-review batch."""

    name = "greenlight.supervision"
    label = "supervision"
    verbose_name = _("supervision")

    def ready(self):
        from greenlight.catalog import hooks as catalog_hooks

        from . import recalendar

        catalog_hooks.calendar_changed.connect(recalendar.on_calendar_changed)
