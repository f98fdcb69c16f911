"""Choices of the data exchange: which way a run goes, where from, what became of a row."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Direction(models.TextChoices):
    IMPORT = "import", pgettext_lazy("exchange direction", "Import")
    EXPORT = "export", pgettext_lazy("exchange direction", "Export")


class Source(models.TextChoices):
    FILE = "file", _("File upload")
    COMMAND = "command", _("Command line")
    PULL = "pull", _("HTTP pull")
    PUSH = "push", _("HTTP push")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class RowOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    UNCHANGED = "unchanged", _("Unchanged")
    FAILED = "failed", _("Failed")
