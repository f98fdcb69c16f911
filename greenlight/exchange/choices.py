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
    RUNNING = "running", pgettext_lazy("exchange", "Running")
    DONE = "done", pgettext_lazy("exchange", "Done")
    FAILED = "failed", pgettext_lazy("exchange", "Failed")


class RowOutcome(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("exchange", "Applied")
    UNCHANGED = "unchanged", pgettext_lazy("exchange", "Unchanged")
    FAILED = "failed", pgettext_lazy("exchange", "Failed")
