"""The approval catalog: matters, templates (dependency graphs), bundles, calendar."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenlight.accounts.choices import DepartmentKind
from greenlight.accounts.models import Department, Organization, Region
from greenlight.kernel.visibility import VisibleQuerySet

from .choices import (
    CalendarChangeKind,
    Category,
    LimitKind,
    LinkType,
    MovedDate,
    MovedKind,
    Stage,
    Unit,
)


class CatalogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalog is public to every signed-in user."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self


class Matter(models.Model):
    """An approval matter (审批事项): who handles it, its limits and its prerequisites."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    department_kind = models.CharField(
        _("department"), max_length=20, choices=DepartmentKind.choices
    )
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    statutory_limit = models.PositiveIntegerField(_("statutory limit"))
    statutory_unit = models.CharField(_("statutory unit"), max_length=10, choices=Unit.choices)
    statutory_source = models.CharField(_("statutory source"), max_length=300, blank=True)
    committed_limit = models.PositiveIntegerField(_("committed limit"))
    committed_unit = models.CharField(_("committed unit"), max_length=10, choices=Unit.choices)
    committed_source = models.CharField(_("committed source"), max_length=300, blank=True)
    accept_with_gaps = models.BooleanField(_("accept with gaps (容缺受理)"), default=False)
    commitment_based = models.BooleanField(_("approval on commitment (告知承诺制)"), default=False)
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    required_results = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="reused_by",
        verbose_name=_("earlier results required as materials"),
    )
    validity_months = models.PositiveIntegerField(_("validity (months)"), null=True, blank=True)
    validity_source = models.CharField(_("validity source"), max_length=300, blank=True)
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        verbose_name=_("prerequisites"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "code"]
        verbose_name = _("approval matter")
        verbose_name_plural = _("approval matters")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LimitChange(models.Model):
    """History of a matter's limits: who changed which limit, when and why."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="limit_changes")
    kind = models.CharField(_("limit"), max_length=10, choices=LimitKind.choices)
    old_limit = models.PositiveIntegerField(null=True)
    old_unit = models.CharField(max_length=10, choices=Unit.choices, blank=True)
    new_limit = models.PositiveIntegerField()
    new_unit = models.CharField(max_length=10, choices=Unit.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-changed_at"]


class Template(models.Model):
    """A named dependency graph of matters for one project category."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    matters = models.ManyToManyField(Matter, through="TemplateItem", related_name="templates")

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("template")
        verbose_name_plural = _("templates")

    def __str__(self) -> str:
        return self.name


class TemplateItem(models.Model):
    """One matter in a template, in file order; an optional one (e.g. 占道挖掘, needed only when
    the works dig up a road) is opened for a project only when the coordinator ticks it."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="template_items")
    position = models.PositiveIntegerField(default=0)
    optional = models.BooleanField(_("optional"), default=False)

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "matter"], name="uniq_template_matter")
        ]


class TemplateLink(models.Model):
    """A prerequisite edge inside a template: `successor` waits for `predecessor`."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="+")
    successor = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=2, choices=LinkType.choices, default=LinkType.FS)
    lag = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "predecessor", "successor"], name="uniq_template_link"
            )
        ]


class Bundle(models.Model):
    """Merged handling (一口受理、同步审批、一次办结) of several matters, with its own limit."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    matters = models.ManyToManyField(Matter, related_name="bundles")
    limit = models.PositiveIntegerField(_("limit"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("bundle")
        verbose_name_plural = _("bundles")

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """One day of the working-day calendar (every day of each known year is stored); `source`
    says where the year came from: package, import (CSV), notice (entered on the notice page) or
    admin (an edit)."""

    date = models.DateField(_("date"), primary_key=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=20, default="package")

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = pgettext_lazy("calendar table", "calendar day")
        verbose_name_plural = pgettext_lazy("calendar table", "calendar days")

    def __str__(self) -> str:
        return f"{self.date} {_('working day') if self.is_workday else _('day off')}"


class CalendarChange(models.Model):
    """One change of the calendar (a notice entered, a file imported) and its recomputation:
    every running clock and plan moved at once; the moved dates are its `moves`."""

    kind = models.CharField(_("kind"), max_length=10, choices=CalendarChangeKind.choices)
    years = models.JSONField(_("years"), default=list)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    approvals = models.PositiveIntegerField(_("approvals moved"), default=0)
    tickets = models.PositiveIntegerField(_("tickets moved"), default=0)
    projects = models.PositiveIntegerField(_("forecasts moved"), default=0)

    # The calendar is national: every signed-in user may know a change happened (what it moved
    # is scoped per row, see CalendarMove).
    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")

    def __str__(self) -> str:
        years = ", ".join(str(y) for y in self.years)
        return f"{self.get_kind_display()} {years}"


class CalendarMoveQuerySet(VisibleQuerySet):
    owner_field = "organization_id"


class CalendarMove(models.Model):
    """One date a calendar change moved, with whom it concerns (region, department, owner)."""

    change = models.ForeignKey(CalendarChange, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(_("kind"), max_length=20, choices=MovedKind.choices)
    object_id = models.PositiveIntegerField()
    label = models.CharField(_("item"), max_length=300)
    what = models.CharField(_("date"), max_length=20, choices=MovedDate.choices)
    url = models.CharField(max_length=300, blank=True)
    before = models.DateField(_("from"), null=True)
    after = models.DateField(_("to"), null=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CalendarMoveQuerySet.as_manager()

    class Meta:
        ordering = ["change", "kind", "before", "id"]
        indexes = [models.Index(fields=["change", "region"])]
        verbose_name = _("moved date")
        verbose_name_plural = _("moved dates")

    @property
    def days(self) -> int | None:
        """Calendar days the date moved (positive: later)."""
        if self.before is None or self.after is None:
            return None
        return (self.after - self.before).days
