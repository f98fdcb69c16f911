from django.apps import AppConfig


class KernelConfig(AppConfig):
    """The base layer: visibility, errors, middleware, progress, hooks and import helpers."""

    name = "greenlight.kernel"
    label = "kernel"
