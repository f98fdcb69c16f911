from django.apps import AppConfig


class KernelConfig(AppConfig):
    """The base layer: visibility, errors, middleware, progress, hooks and import helpers."""

    name = "greenlight.kernel"
    label = "kernel"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .pgloaders import use_compiled_loader

        connection_created.connect(use_compiled_loader, dispatch_uid="kernel.timestamptz")
