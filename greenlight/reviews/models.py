"""The five-step joint review (联审联批五步法): batches, early opinions, meetings, minutes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.roles import Role
from greenlight.kernel.visibility import VisibleQuerySet

from .choices import OpinionKind, Outcome


class BatchQuerySet(VisibleQuerySet):
    region_field = "region"

    def visible_to(self, user):
        """Staff of the region read batches; an approver only those involving its department;
        companies none (they see decisions on their own projects, not batches)."""
        if user is None or not user.is_authenticated or user.role == Role.COMPANY:
            return self.none()
        qs = super().visible_to(user)
        if user.role == Role.APPROVER:
            qs = qs.filter(departments__department_id=user.department_id)
        return qs


class Batch(models.Model):
    """A joint review batch (联审联批批次): the project list the command office issues."""

    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opinion_due = models.DateField(_("opinions due"))
    note = models.TextField(_("note"), blank=True)
    projects = models.ManyToManyField(
        "projects.Project", through="BatchProject", related_name="review_batches"
    )
    supervision_notices = GenericRelation(
        "supervision.SupervisionNotice",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="batch",
    )

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("joint review batch")
        verbose_name_plural = _("joint review batches")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.pk])

    # -- a subject of supervision notices (greenlight.supervision.subjects.Subject) --

    @property
    def supervision_region(self):
        return self.region

    @property
    def supervision_label(self) -> str:
        return self.title

    supervision_open = True

    def supervision_departments(self) -> list:
        """The departments involved in the batch."""
        return [bd.department for bd in self.departments.select_related("department")]


class BatchProject(models.Model):
    """One project on a batch's list."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "project"], name="uniq_batch_project")
        ]


class BatchDepartment(models.Model):
    """A department involved in a batch (it has open approvals on the batch's projects)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="departments")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["batch", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "department"], name="uniq_batch_department")
        ]


class OpinionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Opinions of the batches the user may see (every involved department sees them all)."""
        return self.filter(batch__in=Batch.objects.visible_to(user))


class Opinion(models.Model):
    """A department's early-intervention opinion (提前介入意见) on one project × matter."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="opinions")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    approval = models.ForeignKey("approvals.Approval", on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey("catalog.Matter", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("opinion"), max_length=20, choices=OpinionKind.choices, blank=True, default=""
    )
    text = models.TextField(_("text"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = OpinionQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "project_id", "department_id", "matter_id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "approval"], name="uniq_batch_opinion")
        ]
        indexes = [models.Index(fields=["batch", "department", "kind"])]

    def __str__(self) -> str:
        return f"{self.batch} · {self.matter_id} · {self.department_id}"

    @property
    def is_in(self) -> bool:
        return bool(self.kind)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings of the batches the user may see."""
        return self.filter(batch__in=Batch.objects.visible_to(user))


class Meeting(models.Model):
    """The joint review meeting (联审联批会议) of a batch, with its minutes (会议纪要)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: +1 per change")
    summary = models.TextField(_("minutes summary"), blank=True)
    minutes_at = models.DateTimeField(_("minutes recorded"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "starts_at"]
        verbose_name = _("joint review meeting")
        verbose_name_plural = _("joint review meetings")

    def __str__(self) -> str:
        return f"{self.batch} · {self.starts_at:%Y-%m-%d %H:%M}"


class DecisionQuerySet(VisibleQuerySet):
    region_field = "project__region"
    owner_field = "project__owner_id"

    def visible_to(self, user):
        """Staff: decisions of batches they see; a company: decisions on its own projects."""
        if user is not None and user.is_authenticated and user.role != Role.COMPANY:
            return self.filter(meeting__batch__in=Batch.objects.visible_to(user))
        return super().visible_to(user)


class Decision(models.Model):
    """The meeting's decision on one project of the batch."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    text = models.TextField(_("text"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "project_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "project"], name="uniq_meeting_decision")
        ]


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Action items of the batches the user may see."""
        return self.filter(meeting__batch__in=Batch.objects.visible_to(user))


class ActionItem(models.Model):
    """A task from the minutes for one department, fed back by a deadline (限时反馈)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner department"),
    )
    text = models.TextField(_("action"))
    due = models.DateField(_("feedback due"))
    ticket_id = models.PositiveIntegerField(_("problem ticket"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_at = models.DateTimeField(_("fed back"), null=True, blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "due", "id"]
        indexes = [models.Index(fields=["department", "due"])]
        verbose_name = _("meeting action item")
        verbose_name_plural = _("meeting action items")

    def __str__(self) -> str:
        return self.text[:60]
