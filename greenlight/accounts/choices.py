"""Choices of the accounts app: roles, region levels, department kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")


class DepartmentKind(models.TextChoices):
    """The functional kind of a department; a matter names the kind that handles it."""

    DEVELOPMENT = "drc", _("Development and Reform")
    PLANNING = "planning", _("Planning and Natural Resources")
    RENEWAL = "renewal", _("Urban Renewal and Land Consolidation")
    HOUSING = "housing", _("Housing and Construction")
    ECOLOGY = "ecology", _("Ecology and Environment")
    WATER = "water", _("Water Affairs")
    TRANSPORT = "transport", _("Transport")
    LAND_INSPECTION = "land_inspection", _("Land Inspection")


class OrganizationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    AGENCY = "agency", _("Government agency")
    STATE_OWNED = "soe", _("State-owned enterprise")
