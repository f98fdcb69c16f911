from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "greenlight.core"
    label = "core"
