"""Choices of projects: lifecycle stages, industries, construction nature, funding sources."""

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


class ConstructionNature(models.TextChoices):
    """建设性质 of the national investment project record."""

    NEW = "new", _("New construction")
    EXPANSION = "expansion", _("Expansion")
    RECONSTRUCTION = "reconstruction", _("Reconstruction")
    RENOVATION = "renovation", _("Technical renovation")
    RELOCATION = "relocation", _("Relocation")
    RESTORATION = "restoration", _("Restoration")


class FundingSource(models.TextChoices):
    """资金来源 of the national investment project record (the main source)."""

    FISCAL = "fiscal", _("Fiscal funds")
    SPECIAL_BONDS = "special_bonds", _("Local government special bonds")
    CENTRAL_BUDGET = "central_budget", _("Central budget investment")
    STATE_OWNED = "state_owned", _("State-owned enterprise funds")
    SOCIAL = "social", _("Social investment")
    FOREIGN = "foreign", _("Foreign investment")
    MIXED = "mixed", _("Mixed sources")
