"""Choices of the catalog: national stages, time units, project categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The four national stages of construction-project approval (四个阶段)."""

    LAND_PLANNING = "land_planning", _("Project approval and land-use planning permit")
    ENGINEERING_PERMIT = "engineering_permit", _("Engineering construction permit")
    CONSTRUCTION_PERMIT = "construction_permit", _("Construction permit")
    COMPLETION = "completion", _("Completion acceptance")


class Unit(models.TextChoices):
    WORKDAY = "workday", _("working days")
    DAY = "day", _("calendar days")


class LimitKind(models.TextChoices):
    STATUTORY = "statutory", _("Statutory limit")
    COMMITTED = "committed", _("Committed limit")


class Category(models.TextChoices):
    """Project categories; each has a template of matters."""

    GOV_BUILDING = "gov_building", _("Government-invested building")
    SOCIAL_INDUSTRY = "social_industry", _("Socially invested industrial")
    SMALL_LOW_RISK = "small_low_risk", _("Small low-risk")
    LINEAR = "linear", _("Linear infrastructure (roads, water)")


class LinkType(models.TextChoices):
    FS = "FS", _("finish-to-start")
    SS = "SS", _("start-to-start")


class CalendarChangeKind(models.TextChoices):
    """How the working-day calendar changed."""

    NOTICE = "notice", _("State Council notice entered")
    IMPORT = "import", _("Calendar file imported")
    SEED = "seed", _("Seeded from the package")
    EDIT = "edit", _("Day edited by an administrator")


class MovedKind(models.TextChoices):
    """What a calendar change moved."""

    APPROVAL = "approval", _("Approval due date")
    TICKET = "ticket", _("Problem ticket milestone")
    PROJECT = "project", _("Project forecast")
    NOTICE = "notice_reply", _("Supervision notice reply")


class MovedDate(models.TextChoices):
    """Which date of the moved item a calendar change moved."""

    DUE = "due", _("due date")
    FEEDBACK = "feedback", _("feedback due")
    PATH = "path", _("path due")
    PROGRESS = "progress", _("progress due")
    FORECAST_START = "forecast_start", _("forecast construction start")
    REPLY = "reply_due", _("reply due")
