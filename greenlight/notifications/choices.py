"""Kinds of notification events and webhook formats."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    BATCH_ISSUED = "batch_issued", _("Joint review batch issued")
    OPINION_DUE = "opinion_due", _("Early-intervention opinion due soon")
    MEETING_SCHEDULED = "meeting_scheduled", _("Meeting scheduled or changed")
    APPROVAL_DUE = "approval_due", _("Approval due soon")
    APPROVAL_OVERDUE = "approval_overdue", _("Approval overdue")
    APPROVAL_CHANGED = "approval_changed", _("Approval status changed")
    NOTICE_ISSUED = "notice_issued", _("Supervision notice issued")
    NOTICE_REPLIED = "notice_replied", _("Supervision notice answered")
    TICKET = "ticket", _("Problem ticket")
    CALENDAR_CHANGED = "calendar_changed", _("Working-day calendar changed")


class WebhookKind(models.TextChoices):
    JSON = "json", _("Generic JSON")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk robot")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
