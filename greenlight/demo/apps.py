from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo district, built through each app's services (`greenlight demo`)."""

    name = "greenlight.demo"
    label = "demo"
