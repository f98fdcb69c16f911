"""Projects, their lifecycle and monthly investment reports."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Organization, Region, Subdistrict
from greenlight.catalog.choices import Category
from greenlight.catalog.models import Template
from greenlight.kernel.sm4 import SM4TextField
from greenlight.kernel.visibility import VisibleQuerySet

from .choices import ConstructionNature, FundingSource, Industry, Lifecycle
from .codes import validate_project_code


def validate_code(value: str) -> None:
    """Model-field validator for the national project code."""
    reason = validate_project_code(value)
    if reason:
        raise ValidationError(reason)


class ProjectQuerySet(VisibleQuerySet):
    owner_field = "owner_id"


class Project(models.Model):
    """A fixed-asset investment project (固定资产投资项目) from planning to completion."""

    code = models.CharField(
        _("project code"), max_length=24, unique=True, validators=[validate_code]
    )
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="projects", verbose_name=_("owner")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="projects", verbose_name=_("region")
    )
    subdistrict = models.ForeignKey(
        Subdistrict,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("subdistrict"),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices)
    template = models.ForeignKey(
        Template,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("template"),
    )
    # The national investment project record (全国投资项目在线审批监管平台 项目信息).
    location = models.CharField(_("construction site"), max_length=200, blank=True)
    construction_nature = models.CharField(
        _("nature of construction"), max_length=20, choices=ConstructionNature.choices, blank=True
    )
    scale_content = models.TextField(_("scale and content of construction"), blank=True)
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices, blank=True
    )
    contact_name = models.CharField(_("project contact"), max_length=50, blank=True)
    # Personal data: SM4 ciphertext at rest (kernel/sm4.py), masked for roles without need.
    contact_phone = SM4TextField(_("contact phone"), blank=True)
    total_investment = models.DecimalField(
        _("total investment (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    land_area = models.DecimalField(
        _("land area (m²)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    stage = models.CharField(
        _("lifecycle stage"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.PLANNING
    )
    is_major = models.BooleanField(_("major project"), default=False)
    plan_start = models.DateField(_("approval work may begin"), null=True, blank=True)
    land_acquired_on = models.DateField(_("land acquired"), null=True, blank=True)
    planned_start = models.DateField(_("planned construction start"), null=True, blank=True)
    actual_start = models.DateField(_("actual construction start"), null=True, blank=True)
    completed_on = models.DateField(_("completion"), null=True, blank=True)
    forecast_start = models.DateField(_("forecast construction start"), null=True, blank=True)
    # The day the plan was last forecast (the daily re-forecast picks up the projects before it).
    forecast_on = models.DateField(_("forecast on"), null=True, blank=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    # A coordinator's override of a lifecycle gate (see lifecycle.py), kept while the stage holds.
    stage_override_reason = models.TextField(_("reason for overriding the stage gate"), blank=True)
    stage_override_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage_override_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["region", "stage"]),
            models.Index(fields=["owner"]),
            models.Index(fields=["name"]),
            models.Index(fields=["forecast_on"]),
            # the lists' ordering, with the region for the visibility check: a page's ids by
            # an index-only walk (kernel/paging.py)
            models.Index(fields=["-is_major", "-id", "region"], name="project_list_order"),
            # the dashboard's new starts of a year: a range of this index, never every project
            models.Index(fields=["actual_start", "region"], name="project_started"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_investment__gte=0), name="project_investment_non_negative"
            )
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.name


class InvestmentReportQuerySet(VisibleQuerySet):
    region_field = "project__region"
    owner_field = "project__owner_id"


class InvestmentReport(models.Model):
    """Completed investment of one project in one month (报数), in 10,000 yuan."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="investment_reports"
    )
    month = models.DateField(_("month"), help_text=_("first day of the month"))
    amount = models.DecimalField(
        _("completed investment (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    objects = InvestmentReportQuerySet.as_manager()

    class Meta:
        ordering = ["project", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="uniq_report_month")
        ]
        verbose_name = _("investment report")
        verbose_name_plural = _("investment reports")


class InvestmentMonthQuerySet(VisibleQuerySet):
    # No owner path: a company's share is its own projects' reports, read from the reports.
    region_field = "region"


class InvestmentMonth(models.Model):
    """The investment reports of one month summed per district, subdistrict and industry: the
    dashboard's and the district comparison's figures for staff, kept by every service that
    writes reports (`totals.py`), in the same transaction; rebuilt from the reports by
    `totals.rebuild`."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    subdistrict = models.ForeignKey(
        Subdistrict, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices)
    month = models.DateField(_("month"), help_text=_("first day of the month"))
    amount = models.DecimalField(
        _("completed investment (10,000 yuan)"), max_digits=18, decimal_places=2
    )
    reports = models.PositiveIntegerField(_("investment reports"))

    objects = InvestmentMonthQuerySet.as_manager()

    class Meta:
        constraints = [
            # a project without a subdistrict has its own cell (NULL is never equal to NULL)
            models.UniqueConstraint(
                fields=["region", "subdistrict", "industry", "month"],
                condition=models.Q(subdistrict__isnull=False),
                name="uniq_investment_month",
            ),
            models.UniqueConstraint(
                fields=["region", "industry", "month"],
                condition=models.Q(subdistrict__isnull=True),
                name="uniq_investment_month_no_subdistrict",
            ),
        ]
        indexes = [models.Index(fields=["month", "region"], name="investment_month_region")]
        verbose_name = _("monthly investment total")
        verbose_name_plural = _("monthly investment totals")
