"""Categories, channels, statuses and milestones of problem tickets (疑难问题 "123机制")."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    LAND = "land", pgettext_lazy("ticket category", "Land use")
    PLANNING = "planning", pgettext_lazy("ticket category", "Planning")
    ENVIRONMENT = "environment", pgettext_lazy("ticket category", "Environmental protection")
    FUNDS = "funds", pgettext_lazy("ticket category", "Funding")
    DEMOLITION = "demolition", pgettext_lazy("ticket category", "Land expropriation and demolition")
    PIPELINES = "pipelines", pgettext_lazy("ticket category", "Pipeline relocation")
    SITE = "site", pgettext_lazy("ticket category", "Construction conditions")
    POLICY = "policy", pgettext_lazy("ticket category", "Policy")
    OTHER = "other", pgettext_lazy("ticket category", "Other")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    EXCEL = "excel", _("Excel import")
    PHONE = "phone", _("Phone call (recorded by staff)")
    VISIT = "visit", _("Visit (recorded by staff)")
    MEETING = "meeting", _("Meeting")


STAFF_CHANNELS = (Channel.WEB, Channel.PHONE, Channel.VISIT, Channel.MEETING)


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    FEEDBACK = "feedback", _("Acknowledged")
    PATH = "path", _("Solution path set")
    PROGRESS = "progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = frozenset(
    {Status.REPORTED, Status.FEEDBACK, Status.PATH, Status.PROGRESS, Status.REOPENED}
)


class Milestone(models.TextChoices):
    """The three clocks of the 1-2-3 rule, in order."""

    FEEDBACK = "feedback", _("Feedback")
    PATH = "path", _("Solution path")
    PROGRESS = "progress", _("First progress")


MILESTONES = (Milestone.FEEDBACK, Milestone.PATH, Milestone.PROGRESS)
DEFAULT_WORKDAYS = {Milestone.FEEDBACK: 1, Milestone.PATH: 2, Milestone.PROGRESS: 3}


class Light(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")


class EventKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSIGNED = "assigned", _("Assigned")
    FEEDBACK = "feedback", _("Feedback given")
    PATH = "path", _("Solution path set")
    PROGRESS = "progress", _("Progress reported")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closing confirmed")
    REOPENED = "reopened", _("Reopened")
    OVERDUE = "overdue", _("Milestone missed; coordinator notified")
    ESCALATED = "escalated", _("Escalated to the region's leaders")
    NOTICE = "notice", _("Supervision notice issued")
    MEETING = "meeting", _("Meeting decision")
    COMMENT = "comment", _("Comment")
    ATTACHMENT = "attachment", _("Attachment added")
