from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformsConfig(AppConfig):
    name = "greenlight.reforms"
    label = "reforms"
    verbose_name = _("reforms")

    def ready(self):
        from greenlight.catalog import hooks as catalog_hooks

        from . import history

        catalog_hooks.matter_changing.connect(history.on_matter_changing)
