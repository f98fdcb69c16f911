"""Models of the analytics app: the per-case fact table of the bottleneck analysis."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.visibility import VisibleQuerySet


def _ref(model: str, name: str):
    """A plain id column with a join path (the fact table is derived data: no constraint)."""
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=name
    )


class CaseFactQuerySet(VisibleQuerySet):
    """Scoped through the projects (`Project.visible_to`), so a fact never outlives a move."""

    def visible_to(self, user):
        from greenlight.projects.models import Project

        return self.filter(project_id__in=Project.objects.visible_to(user).values("pk"))


class CaseFact(models.Model):
    """One decided case's figures as `rules.case_fact` computes them, refreshed by `greenlight tick`
    (`casefacts.refresh_changed`) and `greenlight analytics refresh`; units: the committed
    limit's, and the statutory limit's for `handling_statutory`."""

    approval = models.OneToOneField(
        "approvals.Approval", on_delete=models.CASCADE, primary_key=True, related_name="fact"
    )
    project = _ref("projects.Project", _("project"))
    region = _ref("accounts.Region", _("region"))
    matter = _ref("catalog.Matter", _("matter"))
    department = _ref("accounts.Department", _("department"))
    stage = models.CharField(_("stage"), max_length=20)
    decided_at = models.DateTimeField(_("decided"))
    month = models.DateField(_("decided month"))
    unit = models.CharField(_("unit"), max_length=10)
    committed_limit = models.IntegerField(_("committed limit"))
    statutory_limit = models.IntegerField(_("statutory limit"))
    handling = models.IntegerField(_("handling days"))
    handling_statutory = models.IntegerField(_("handling days (statutory unit)"))
    idle = models.IntegerField(_("idle days"), null=True)
    overdue = models.BooleanField(_("overdue"))
    overdue_statutory = models.BooleanField(_("over the statutory limit"))
    supplements = models.IntegerField(_("supplement loops"))
    critical = models.BooleanField(_("critical"))
    delay = models.IntegerField(_("delay days"))
    version = models.PositiveIntegerField(default=1)
    computed_at = models.DateTimeField(auto_now=True)

    objects = CaseFactQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["decided_at"]),
            models.Index(fields=["project"]),
            # a year's cases by district and stage read from the index alone (the district
            # comparison); PostgreSQL only, other databases build it without the extra columns
            models.Index(
                fields=["decided_at"],
                include=["region", "stage", "overdue", "handling", "approval"],
                name="casefact_year_cover",
            ),
        ]
        verbose_name = _("case fact")
        verbose_name_plural = _("case facts")


class FactsState(models.Model):
    """The refresh's high-water mark: the last approval event already folded into the facts."""

    key = models.CharField(max_length=20, primary_key=True)
    last_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)
