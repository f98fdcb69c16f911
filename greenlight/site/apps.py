from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The composition root: home page, URL conf, API mount, the tick and `serve`."""

    name = "greenlight.site"
    label = "site"
