"""Project generation (谋划生成): annual targets, candidates, factor pools, matching, decisions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Department, Organization, Region, Subdistrict
from greenlight.catalog.choices import Category
from greenlight.kernel.visibility import VisibleQuerySet
from greenlight.projects.choices import Industry
from greenlight.projects.models import Project

from .choices import CandidateStatus, FactorKind, Funding, Maturity, Outcome, Pin

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


def _amount(label, **kw):
    return models.DecimalField(
        label, max_digits=16, decimal_places=2, default=Decimal("0"), validators=NON_NEGATIVE, **kw
    )


class StaffQuerySet(VisibleQuerySet):
    """Region-scoped rows that companies never see."""


class AnnualTarget(models.Model):
    """The year's targets (年度任务) issued to a region, a subdistrict or a department."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="annual_targets")
    year = models.PositiveIntegerField(_("year"))
    subdistrict = models.ForeignKey(
        Subdistrict, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("subdistrict")
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("department")
    )
    investment = _amount(_("investment to complete (10,000 yuan)"))
    new_starts = models.PositiveIntegerField(_("new construction starts"), default=0)
    generated = models.PositiveIntegerField(_("projects to generate"), default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["year", "department", "subdistrict", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=models.Q(subdistrict__isnull=True, department__isnull=True),
                name="uniq_target_region",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "subdistrict"],
                condition=models.Q(subdistrict__isnull=False),
                name="uniq_target_subdistrict",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "department"],
                condition=models.Q(department__isnull=False),
                name="uniq_target_department",
            ),
            models.CheckConstraint(
                condition=~(
                    models.Q(subdistrict__isnull=False) & models.Q(department__isnull=False)
                ),
                name="target_one_recipient",
            ),
        ]
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")

    def __str__(self) -> str:
        return f"{self.year} {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        """Who the target was issued to: a department, a subdistrict, or the region as a whole."""
        if self.department_id:
            return self.department.name
        if self.subdistrict_id:
            return self.subdistrict.name
        return self.region.name


class CandidateQuerySet(VisibleQuerySet):
    owner_field = "owner_id"


class Candidate(models.Model):
    """A candidate project in the planning pool (谋划库), with what it needs of each factor."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="candidates")
    year = models.PositiveIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, verbose_name=_("owner"))
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subdistrict = models.ForeignKey(
        Subdistrict, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("subdistrict")
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices)
    investment = _amount(_("estimated investment (10,000 yuan)"))
    funding = models.CharField(_("funding"), max_length=10, choices=Funding.choices)
    land_need = _amount(_("land need (m²)"))
    energy_need = _amount(_("energy need (tce)"))
    fiscal_need = _amount(_("fiscal funds need (10,000 yuan)"))
    bond_need = _amount(_("special bonds need (10,000 yuan)"))
    environment_need = _amount(_("environmental capacity need (t/a)"))
    maturity = models.JSONField(_("maturity checklist"), default=list, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    pin = models.CharField(_("pin"), max_length=3, choices=Pin.choices, blank=True, default="")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CandidateStatus.choices,
        default=CandidateStatus.PROPOSED,
    )
    project = models.OneToOneField(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidate"
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "-investment", "id"]
        indexes = [models.Index(fields=["region", "year", "status"])]
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")

    def __str__(self) -> str:
        return self.name

    @property
    def maturity_labels(self) -> list[str]:
        """The maturity checks met, in words (in the checklist's order)."""
        met = set(self.maturity or [])
        return [str(m.label) for m in Maturity if m.value in met]

    @property
    def value(self) -> Decimal:
        """Priority-weighted investment: what the matching maximizes."""
        return self.investment * self.priority


class FactorPool(models.Model):
    """How much of one factor the year has (land: per subdistrict)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="factor_pools")
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("factor"), max_length=12, choices=FactorKind.choices)
    subdistrict = models.ForeignKey(
        Subdistrict, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("subdistrict")
    )
    amount = _amount(_("available"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["year", "kind", "subdistrict"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "kind"],
                condition=models.Q(subdistrict__isnull=True),
                name="uniq_factor_pool_region",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "kind", "subdistrict"],
                condition=models.Q(subdistrict__isnull=False),
                name="uniq_factor_pool_subdistrict",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="pool_non_negative"),
        ]
        verbose_name = _("factor pool")
        verbose_name_plural = _("factor pools")

    def __str__(self) -> str:
        where = f" {self.subdistrict.name}" if self.subdistrict_id else ""
        return f"{self.year} {self.get_kind_display()}{where}"

    @property
    def key(self) -> str:
        """The constraint name used by the matching (`land:12` for a subdistrict's land)."""
        return f"{self.kind}:{self.subdistrict_id}" if self.subdistrict_id else self.kind


class MatchRun(models.Model):
    """One run of the factor matching, with its full explanation."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="match_runs")
    year = models.PositiveIntegerField(_("year"))
    run_at = models.DateTimeField(_("run at"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    feasible = models.BooleanField(_("feasible"))
    objective = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal("0"))
    result = models.JSONField(default=dict)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["-run_at", "-id"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")


class Meeting(models.Model):
    """A leading-group meeting (谋划生成决策会) that decides on candidates."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="pipeline_meetings")
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("decision meeting")
        verbose_name_plural = _("decision meetings")

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """The meeting's decision on one candidate: reserve, start this year, or reject."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
