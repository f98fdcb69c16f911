"""Choices of projects: lifecycle stages and industries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Lifecycle(models.TextChoices):
    """The full lifecycle of a project (全周期)."""

    PLANNING = "planning", _("Planning")
    PREPARATION = "preparation", _("Preparation")
    APPROVAL = "approval", _("Approval")
    CONSTRUCTION = "construction", _("Construction")
    COMPLETED = "completed", _("Completed")


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Advanced manufacturing")
    ELECTRONICS = "electronics", _("Electronic information")
    NEW_ENERGY = "new_energy", _("New energy")
    BIOMEDICINE = "biomedicine", _("Biomedicine")
    LOGISTICS = "logistics", _("Logistics")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health care")
    HOUSING = "housing", _("Affordable housing")
    TRANSPORT = "transport", _("Transport")
    WATER = "water", _("Water")
    MUNICIPAL = "municipal", _("Municipal utilities")
    COMMERCE = "commerce", _("Commerce and services")
