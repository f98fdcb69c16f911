"""The supervision notice (督办单): the coordinators' office orders one department to act on a
subject (a late approval, a problem ticket, a joint-review batch) and to reply by a deadline.

The subject is generic (a content type and an id); the notice keeps the subject's region and its
words at issue time, so lists never join the subjects' tables and survive their renaming.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Department
from greenlight.kernel.roles import Role
from greenlight.kernel.visibility import VisibleQuerySet

from .choices import State


class NoticeQuerySet(VisibleQuerySet):
    region_field = "region"

    def visible_to(self, user):
        """Staff of the notice's region and above; never companies (project owners)."""
        if user is None or not user.is_authenticated or user.role == Role.COMPANY:
            return self.none()
        return super().visible_to(user)

    def of(self, subject):
        """The notices issued on one subject."""
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )

    def awaiting(self):
        """Not answered yet."""
        return self.filter(replied_at__isnull=True)

    def in_state(self, state: str, *, now):
        """Awaiting a reply (overdue ones too), overdue (unanswered past the due time), or
        answered."""
        if state == State.OPEN:
            return self.filter(replied_at__isnull=True)
        if state == State.OVERDUE:
            return self.filter(replied_at__isnull=True, reply_due__lt=now)
        if state == State.ANSWERED:
            return self.filter(replied_at__isnull=False)
        return self


class SupervisionNotice(models.Model):
    """A supervision notice on one subject, addressed to one department, with its reply."""

    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("subject"), max_length=300)
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="supervision_notices",
        verbose_name=_("department"),
    )
    text = models.TextField(_("what must be done"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued"))
    reply_due = models.DateTimeField(_("reply due"))
    # The working days given to reply, so that a calendar change can move `reply_due`.
    reply_workdays = models.PositiveSmallIntegerField(_("working days to reply"), null=True)
    reply_text = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("replied by"),
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["department", "replied_at"]),
            models.Index(fields=["region", "replied_at", "reply_due"]),
        ]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")

    def __str__(self) -> str:
        return f"{self.subject_label} · {self.department}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:detail", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.replied_at is not None

    def state(self, *, now) -> str:
        """open (awaiting a reply, not late yet) / overdue / answered."""
        if self.replied_at is not None:
            return State.ANSWERED
        return State.OVERDUE if now > self.reply_due else State.OPEN
