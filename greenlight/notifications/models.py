"""In-app inbox, outbound webhooks and their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import DeliveryStatus, Event, WebhookKind


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Each user reads only their own inbox."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)


class Notification(models.Model):
    """One message in one user's inbox; `key` makes a repeated event a no-op."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    key = models.CharField(max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="uniq_notification_key")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]


class Webhook(models.Model):
    """An outbound channel of a region (or one department): JSON, WeCom or DingTalk robot."""

    region = models.ForeignKey("accounts.Region", on_delete=models.CASCADE, related_name="webhooks")
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=WebhookKind.choices)
    markdown = models.BooleanField(_("markdown"), default=False)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_(
            "HMAC-SHA256 key: deliveries carry X-Greenlight-Timestamp and X-Greenlight-Signature "
            "(DingTalk robots with 加签 also timestamp and sign in the URL)"
        ),
    )
    events = models.JSONField(_("events"), default=list, blank=True, help_text=_("empty = all"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        """Whether this webhook subscribes to `event`."""
        return self.is_active and (not self.events or event in self.events)


class Delivery(models.Model):
    """One event to send to one webhook; unique per (webhook, key) so nothing goes twice."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField(max_length=200)
    event = models.CharField(max_length=30, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["webhook", "key"], name="uniq_delivery_key")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
