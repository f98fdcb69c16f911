"""Choices of the five-step joint review: opinion kinds, meeting outcomes, feedback states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpinionKind(models.TextChoices):
    PENDING = "", _("Not yet in")
    GUIDANCE = "guidance", _("Guidance")
    MATERIALS_MISSING = "materials_missing", _("Materials missing")
    NO_OBJECTION = "no_objection", _("No objection")


RECORDABLE_KINDS = (
    OpinionKind.GUIDANCE,
    OpinionKind.MATERIALS_MISSING,
    OpinionKind.NO_OBJECTION,
)


class Outcome(models.TextChoices):
    """The joint review meeting's decision on one project."""

    PROCEED = "proceed", _("Proceed in parallel")
    CONDITIONS = "conditions", _("Proceed with conditions")
    DEFER = "defer", _("Deferred")


class FeedbackState(models.TextChoices):
    """Where an action item stands against its deadline (derived, not stored)."""

    OPEN = "open", _("Open")
    DONE = "done", _("Fed back in time")
    LATE = "late", _("Fed back late")
    OVERDUE = "overdue", _("Overdue")
