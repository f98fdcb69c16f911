"""Approvals (办件): one project's handling of one matter, with its history and pauses."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Department, Region
from greenlight.catalog.models import Matter
from greenlight.kernel.visibility import VisibleQuerySet

from .choices import CLOSED_STATUSES, Outcome, PauseReason, Status


class ApprovalQuerySet(VisibleQuerySet):
    region_field = "project__region"
    owner_field = "project__owner_id"

    def bulk_create(self, objs, *args, **kwargs):
        """As Django's, each row's `region` taken from its project where not given."""
        objs = list(objs)
        for approval in objs:
            approval.take_region()
        return super().bulk_create(objs, *args, **kwargs)


class Approval(models.Model):
    """One project's handling of one matter by one department, with its clock and plan dates."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="approvals"
    )
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="approvals")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="approvals")
    # the project's region, copied when the approval is created (a project keeps its region:
    # registration fixes it from the code's division), so that the running approvals can be
    # scoped without joining every project (the dashboard's lights); no index of its own
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("region")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    consulting_at = models.DateTimeField(_("early intervention"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_approvals",
        verbose_name=_("handler"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_finish = models.DateField(_("planned finish"), null=True, blank=True)
    forecast_start = models.DateField(_("forecast start"), null=True, blank=True)
    forecast_finish = models.DateField(_("forecast finish"), null=True, blank=True)
    float_days = models.IntegerField(_("float (days)"), null=True, blank=True)
    critical = models.BooleanField(_("critical"), default=False)
    version = models.PositiveIntegerField(default=1)
    joint_case = models.ForeignKey(
        "approvals.JointCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("joint case"),
    )
    # the member that stands for its joint case where the case counts once (bottlenecks)
    joint_lead = models.BooleanField(default=False)
    supervision_notices = GenericRelation(
        "supervision.SupervisionNotice",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="approval",
    )

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["project", "matter__stage", "matter__code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "matter"], name="uniq_project_matter")
        ]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["status", "due_at"]),
            # the running approvals by due time, read from the index alone (the lights)
            models.Index(
                fields=["due_at"],
                include=["region", "department", "id"],
                condition=models.Q(status=Status.ACCEPTED),
                name="approval_running_cover",
            ),
        ]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def save(self, *args, **kwargs):
        self.take_region()
        super().save(*args, **kwargs)

    def take_region(self) -> None:
        """The project's region, when the approval has none yet."""
        if self.region_id is None and self.project_id is not None:
            self.region_id = self.project.region_id

    @property
    def slip_days(self) -> int | None:
        """Days the forecast finish lies after the planned (baseline) finish; positive = late."""
        if self.forecast_finish is None or self.planned_finish is None:
            return None
        return (self.forecast_finish - self.planned_finish).days

    def __str__(self) -> str:
        return f"{self.project} · {self.matter.name}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:detail", args=[self.pk])

    # -- a subject of supervision notices (greenlight.supervision.subjects.Subject) --

    @property
    def supervision_region(self):
        return self.project.region

    @property
    def supervision_label(self) -> str:
        return str(self)

    @property
    def supervision_open(self) -> bool:
        """A decided or withdrawn approval takes no more notices."""
        return self.status not in CLOSED_STATUSES

    def supervision_departments(self) -> list:
        """The approval's own department."""
        return [self.department]


class ApprovalEventQuerySet(VisibleQuerySet):
    region_field = "approval__project__region"
    owner_field = "approval__project__owner_id"


EVENT_LABELS = {
    "consulting_started": _("Early intervention started"),
    "submitted": _("Application submitted"),
    "accepted": _("Accepted; the clock starts"),
    "not_accepted": _("Not accepted"),
    "paused": _("Clock paused"),
    "resumed": _("Clock resumed"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "withdrawn": _("Withdrawn"),
    "decision_corrected": _("Decision corrected"),
}


class ApprovalEvent(models.Model):
    """One transition of an approval: the project's timeline and the bottleneck data."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=300, blank=True)

    objects = ApprovalEventQuerySet.as_manager()

    @property
    def kind_label(self) -> str:
        """The event in words, in the user's language."""
        return str(EVENT_LABELS.get(self.kind, self.kind))

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["approval", "at"])]


class Pause(models.Model):
    """A span during which an approval's clock stood still (补正, expert review...)."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=20, choices=PauseReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["approval", "started_at"]


class DecisionQuerySet(VisibleQuerySet):
    region_field = "approval__project__region"
    owner_field = "approval__project__owner_id"

    def current(self):
        """Decisions no later act has corrected: the ones in force."""
        return self.filter(corrected_by__isnull=True)


class Decision(models.Model):
    """An administrative act closing an approval (准予 / 不予 / 不予受理) with its document.
    Final once issued: a correction is a new act pointing at the one it corrects."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision (outcome)"), max_length=20, choices=Outcome.choices)
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        verbose_name=_("corrects"),
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    number = models.CharField(_("approval or licence number"), max_length=100)
    title = models.CharField(_("document title"), max_length=200)
    opinion = models.TextField(_("approval opinion"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    issued_on = models.DateField(_("issue date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_by = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("issuing authority"),
    )
    handler_name = models.CharField(_("handler"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"))
    # the signed document: never public, served by the checked view only
    file = models.FileField(upload_to="decisions/%Y/", blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["approval", "at", "id"]
        indexes = [models.Index(fields=["valid_until"])]
        verbose_name = _("decision (outcome)")
        verbose_name_plural = _("administrative decisions")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:detail", args=[self.approval_id]) + f"#decision-{self.pk}"

    @property
    def is_current(self) -> bool:
        """Whether no later act corrects this one."""
        try:
            return self.corrected_by is None
        except Decision.DoesNotExist:
            return True

    @property
    def file_extension(self) -> str:
        """The document's type as the national table writes it (pdf, jpg …)."""
        return self.file_name.rsplit(".", 1)[-1].lower() if "." in self.file_name else ""


class JointCaseQuerySet(VisibleQuerySet):
    region_field = "project__region"
    owner_field = "project__owner_id"


class JointCase(models.Model):
    """一口受理: a project's matters of one catalog bundle handled as one case: one submission,
    one acceptance by the lead department, one shared clock with the bundle's committed limit,
    the members decided together (一次办结)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="joint_cases"
    )
    bundle = models.ForeignKey(
        "catalog.Bundle", on_delete=models.PROTECT, related_name="cases", verbose_name=_("bundle")
    )
    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="led_joint_cases",
        verbose_name=_("lead department"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = JointCaseQuerySet.as_manager()

    class Meta:
        ordering = ["project", "bundle"]
        constraints = [
            models.UniqueConstraint(fields=["project", "bundle"], name="uniq_project_bundle")
        ]
        verbose_name = _("joint case")
        verbose_name_plural = _("joint cases")

    def __str__(self) -> str:
        return f"{self.project} · {self.bundle.name}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:joint", args=[self.pk])


class PreparedAct(models.Model):
    """A joint case member's act as its department prepared it; issued with the others once
    every member has one (until then it may be replaced: nothing is final yet)."""

    approval = models.OneToOneField(Approval, on_delete=models.CASCADE, related_name="prepared_act")
    outcome = models.CharField(_("decision (outcome)"), max_length=20, choices=Outcome.choices)
    fields = models.JSONField(default=dict)
    file = models.FileField(upload_to="decisions/%Y/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    prepared_at = models.DateTimeField()


class MissingMaterialQuerySet(VisibleQuerySet):
    region_field = "approval__project__region"
    owner_field = "approval__project__owner_id"


class MissingMaterial(models.Model):
    """容缺受理: a material the department accepted the application without, and the day by
    which the owner must supply it; a grant waits until every one is supplied."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="missing")
    name = models.CharField(_("material"), max_length=200)
    due_on = models.DateField(_("to be supplied by"))
    supplied_at = models.DateTimeField(_("supplied"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MissingMaterialQuerySet.as_manager()

    class Meta:
        ordering = ["approval", "due_on", "id"]
        indexes = [models.Index(fields=["supplied_at", "due_on"])]
        verbose_name = _("missing material")
        verbose_name_plural = _("missing materials")

    def __str__(self) -> str:
        return f"{self.approval} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:detail", args=[self.approval_id]) + "#gaps"


from .commitment_models import CheckStatus, Commitment, PostCheck  # noqa: E402, F401
