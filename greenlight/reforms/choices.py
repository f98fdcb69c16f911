"""Choices of the re-optimization register."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    POLICY = "policy", _("Policy")
    REGULATION = "regulation", _("Regulation")
    WORKFLOW = "workflow", _("Workflow")


class ItemKind(models.TextChoices):
    IMMEDIATE = "immediate", _("Fix at once (立行立改)")
    RECTIFY = "rectify", _("Rectify and optimize (整改优化)")


class ItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("reform item", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("reform item", "In progress")
    DONE = "done", _("Done")


class ChangeKind(models.TextChoices):
    LIMIT = "limit", _("Committed limit")
    PREREQUISITES = "prerequisites", _("Prerequisites")
    BUNDLE = "bundle", _("Bundle")
