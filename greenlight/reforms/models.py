"""The process re-optimization register (流程再优化) and the versioned catalog history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Department, Region
from greenlight.catalog.models import Bundle, LimitChange, Matter
from greenlight.kernel.visibility import VisibleQuerySet

from .choices import ChangeKind, DocumentKind, ItemKind, ItemStatus


def limit_text(limit, unit: str) -> str:
    """A time limit in words: "11 个工作日", "30 个自然日"."""
    if limit in (None, ""):
        return "—"
    if unit == "workday":
        return gettext("%(n)s working days") % {"n": limit}
    return gettext("%(n)s calendar days") % {"n": limit}


class StaffQuerySet(VisibleQuerySet):
    """Region-scoped rows that companies never see."""


class ReviewedDocument(models.Model):
    """A policy, regulation or workflow that a unit reviewed (梳理的政策、法规、流程)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="reviewed_documents")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    unit = models.CharField(_("reviewing unit"), max_length=100)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "title"], name="uniq_reviewed_document")
        ]
        verbose_name = _("reviewed document")
        verbose_name_plural = _("reviewed documents")

    def __str__(self) -> str:
        return self.title


class ReformItem(models.Model):
    """One item found by the review: what is wrong, fix at once or rectify, who, by when."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="reform_items")
    number = models.PositiveIntegerField(_("number"))
    document = models.ForeignKey(
        ReviewedDocument, on_delete=models.PROTECT, related_name="items", verbose_name=_("reviewed")
    )
    finding = models.TextField(_("finding"))
    kind = models.CharField(_("type"), max_length=10, choices=ItemKind.choices)
    owner_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reform_items",
        verbose_name=_("owner department"),
    )
    owner_unit = models.CharField(_("owner unit"), max_length=100)
    due = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="uniq_reform_number")
        ]
        verbose_name = _("reform item")
        verbose_name_plural = _("reform items")

    def __str__(self) -> str:
        return f"#{self.number} {self.finding[:40]}"


class CatalogChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalog is shared by every region: any signed-in staff member reads its history."""
        if user is None or not user.is_authenticated or not user.is_staff_role:
            return self.none()
        return self


class CatalogChange(models.Model):
    """One versioned change of a matter's committed limit or prerequisites, or of a bundle,
    with the days it saves (computed at the change, never typed)."""

    kind = models.CharField(_("change"), max_length=14, choices=ChangeKind.choices)
    matter = models.ForeignKey(
        Matter, null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    bundle = models.ForeignKey(
        Bundle, null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    limit_change = models.OneToOneField(
        LimitChange, null=True, blank=True, on_delete=models.SET_NULL, related_name="reform_change"
    )
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    item = models.ForeignKey(
        ReformItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
        verbose_name=_("register item"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))
    approvals_12m = models.PositiveIntegerField(_("approvals in the last 12 months"), default=0)
    days_saved = models.IntegerField(_("days saved"), default=0)
    templates = models.JSONField(_("effect on templates"), default=list, blank=True)

    objects = CatalogChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("catalog change")
        verbose_name_plural = _("catalog changes")

    def __str__(self) -> str:
        subject = self.matter or self.bundle
        return f"{self.get_kind_display()} · {subject}"

    def _side(self, state) -> str:
        state = state or {}
        if self.kind == ChangeKind.PREREQUISITES:
            return ", ".join(state.get("prerequisites") or []) or "—"
        return limit_text(state.get("limit"), state.get("unit", ""))

    @property
    def before_text(self) -> str:
        """What the change replaced, in words (a limit with its unit, or the prerequisites)."""
        return self._side(self.before)

    @property
    def after_text(self) -> str:
        """What the change made of it, in words."""
        return self._side(self.after)
