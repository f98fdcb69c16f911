"""告知承诺制 rows: the owner's signed commitment and the department's 事后核查 (post-check)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.visibility import VisibleQuerySet


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("To be checked")
    PASSED = "passed", _("Check passed")
    FAILED = "failed", _("Check failed: revocation open")
    REVOKED = "revoked", _("Revoked")


class Commitment(models.Model):
    """The owner's written commitment (告知承诺书) a commitment-based matter is decided on."""

    approval = models.OneToOneField(
        "approvals.Approval", on_delete=models.CASCADE, related_name="commitment"
    )
    text = models.TextField(_("commitment"))
    signed_by = models.CharField(_("signed by"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    file = models.FileField(upload_to="commitments/%Y/", blank=True)  # blank: from history
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")


class PostCheckQuerySet(VisibleQuerySet):
    region_field = "approval__project__region"
    owner_field = "approval__project__owner_id"


class PostCheck(models.Model):
    """事后核查: the department checks a commitment-based grant within the region's period; a
    failed check opens a revocation, decided by its own act."""

    approval = models.OneToOneField(
        "approvals.Approval", on_delete=models.CASCADE, related_name="post_check"
    )
    due_on = models.DateField(_("check due by"))
    status = models.CharField(
        _("status"), max_length=20, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    note = models.CharField(_("findings"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation = models.OneToOneField(
        "approvals.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revoking_check",
        verbose_name=_("revocation decision"),
    )

    objects = PostCheckQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("post-check")
        verbose_name_plural = _("post-checks")

    def __str__(self) -> str:
        return f"{self.approval} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:detail", args=[self.approval_id]) + "#post-check"
