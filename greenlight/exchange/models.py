"""Exchange runs, the fate of each row, and the national keys already applied."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenlight.accounts.models import Region
from greenlight.kernel.visibility import VisibleQuerySet

from .choices import Direction, RowOutcome, RunStatus, Source
from .tables import TABLES


class StaffQuerySet(VisibleQuerySet):
    """Region-scoped rows that companies never see (owner_field None)."""


class ExchangeRun(models.Model):
    """One import or export with the 工改 system, for one region: when, whence, and its counts."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="exchange_runs")
    direction = models.CharField(
        pgettext_lazy("exchange", "direction"), max_length=10, choices=Direction.choices
    )
    source = models.CharField(
        pgettext_lazy("exchange", "source"), max_length=10, choices=Source.choices
    )
    name = models.CharField(_("file or address"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        pgettext_lazy("exchange", "status"),
        max_length=10,
        choices=RunStatus.choices,
        default=RunStatus.RUNNING,
    )
    message = models.CharField(pgettext_lazy("exchange", "message"), max_length=500, blank=True)
    started_at = models.DateTimeField(pgettext_lazy("exchange", "started"))
    finished_at = models.DateTimeField(pgettext_lazy("exchange", "finished"), null=True, blank=True)
    total = models.PositiveIntegerField(pgettext_lazy("exchange", "rows"), default=0)
    applied = models.PositiveIntegerField(pgettext_lazy("exchange", "applied"), default=0)
    unchanged = models.PositiveIntegerField(pgettext_lazy("exchange", "unchanged"), default=0)
    failed = models.PositiveIntegerField(pgettext_lazy("exchange", "failed"), default=0)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["region", "-started_at"])]
        verbose_name = _("exchange run")
        verbose_name_plural = _("exchange runs")

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:run", args=[self.pk])


class ExchangeRowQuerySet(VisibleQuerySet):
    region_field = "run__region"


class ExchangeRow(models.Model):
    """One row of a run: its table and national key, applied / unchanged / failed and why."""

    run = models.ForeignKey(ExchangeRun, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(pgettext_lazy("exchange", "row"))
    table = models.CharField(pgettext_lazy("exchange", "table"), max_length=30)
    key = models.CharField(pgettext_lazy("exchange", "national key"), max_length=120, blank=True)
    outcome = models.CharField(
        pgettext_lazy("exchange", "outcome"), max_length=10, choices=RowOutcome.choices
    )
    field = models.CharField(pgettext_lazy("exchange", "field"), max_length=30, blank=True)
    reason = models.CharField(pgettext_lazy("exchange", "reason"), max_length=500, blank=True)

    objects = ExchangeRowQuerySet.as_manager()

    @property
    def field_label(self) -> str:
        """The field as the national table names it: "ZTZE 总投资额（万元）"."""
        table = TABLES.get(self.table)
        name = table.name_of(self.field) if table else ""
        return f"{self.field} {name}".strip() if self.field else "—"

    class Meta:
        ordering = ["run", "number", "id"]
        indexes = [models.Index(fields=["run", "outcome"])]
        verbose_name = _("exchange row")
        verbose_name_plural = _("exchange rows")


class ExchangeRecord(models.Model):
    """A national key already applied: a 办件编号 linked to its approval, or a status, 特别程序
    or 批复 row (办件编号 + state + time) applied once, so that a re-run changes nothing."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    table = models.CharField(max_length=30)
    key = models.CharField(max_length=200)
    approval = models.ForeignKey(
        "approvals.Approval", null=True, on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(ExchangeRun, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = StaffQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "table", "key"], name="uniq_exchange_key")
        ]
