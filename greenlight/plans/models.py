"""Models of plans: the saved versions of a major project's custom plan."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.visibility import VisibleQuerySet


class PlanVersionQuerySet(VisibleQuerySet):
    region_field = "project__region"
    owner_field = "project__owner_id"


class PlanVersion(models.Model):
    """One saved version of a major project's custom plan (engine tasks in plan-file format);
    the highest number is the plan in force."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="plan_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("plan"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    restored_from = models.PositiveIntegerField(_("restored from version"), null=True, blank=True)
    matters = models.PositiveIntegerField(_("matters"), default=0)
    finish = models.DateField(_("parallel finish"), null=True)
    serial_days = models.PositiveIntegerField(_("serial days"), default=0)
    parallel_days = models.PositiveIntegerField(_("parallel days"), default=0)
    saved_days = models.IntegerField(_("days saved"), default=0)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="plans_uniq_version_number")
        ]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return f"{self.project} v{self.number}"
