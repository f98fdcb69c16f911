"""Problem tickets (疑难问题) with their 1-2-3 clocks, timeline, attachments and API keys."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenlight.accounts.models import Department
from greenlight.kernel.visibility import VisibleQuerySet
from greenlight.projects.models import Project

from .choices import OPEN_STATUSES, Category, Channel, EventKind, Milestone, Status
from .clocks import next_due_expression


class TicketQuerySet(VisibleQuerySet):
    region_field = "project__region"
    owner_field = "project__owner_id"

    def open(self):
        """Tickets still being worked on (not resolved or closed)."""
        return self.filter(status__in=OPEN_STATUSES)


class Ticket(models.Model):
    """A blocking problem of one project, due for feedback, a path and progress in 1/2/3 days."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        pgettext_lazy("ticket", "category"), max_length=20, choices=Category.choices
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_tickets",
        verbose_name=_("reporter"),
    )
    reported_at = models.DateTimeField(_("reported"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REPORTED
    )
    lead_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tickets",
        verbose_name=_("lead department"),
    )
    cooperating_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="cooperating_tickets",
        verbose_name=_("cooperating departments"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    feedback_due = models.DateTimeField(_("feedback due"))
    path_due = models.DateTimeField(_("path due"))
    progress_due = models.DateTimeField(_("progress due"))
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True)
    path_at = models.DateTimeField(_("path set"), null=True, blank=True)
    progress_at = models.DateTimeField(_("first progress"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to leaders"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_comment = models.TextField(_("satisfaction comment"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    supervision_notices = GenericRelation(
        "supervision.SupervisionNotice",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="ticket",
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["status", "feedback_due"]),
            models.Index(fields=["lead_department", "status"]),
            models.Index(fields=["project", "status"]),
            models.Index(fields=["category", "reported_at"]),
            # the lists' order, most urgent first (selectors.ticket_list): a page walks this
            # index instead of sorting every visible ticket (demo district: 0.78 → 0.12 ms)
            models.Index(
                next_due_expression(),
                models.F("reported_at").desc(),
                models.F("id").desc(),
                name="ticket_next_due_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="ticket_satisfaction_1_to_5",
            )
        ]
        verbose_name = _("problem ticket")
        verbose_name_plural = _("problem tickets")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # -- a subject of supervision notices (greenlight.supervision.subjects.Subject) --

    @property
    def supervision_region(self):
        return self.project.region

    @property
    def supervision_label(self) -> str:
        return f"{self.project.name} · {self}"

    @property
    def supervision_open(self) -> bool:
        return self.is_open

    def supervision_departments(self) -> list:
        """The lead department first, then the cooperating ones; none before assignment."""
        if self.lead_department_id is None:
            return []
        others = [d for d in self.cooperating_departments.all() if d.pk != self.lead_department_id]
        return [self.lead_department, *others]

    def due_of(self, milestone: str):
        """The due time of one milestone."""
        return getattr(self, f"{milestone}_due")

    def reached_at(self, milestone: str):
        """When a milestone was met; a resolution meets every milestone not met before it."""
        return getattr(self, f"{milestone}_at") or self.resolved_at


class TicketEvent(models.Model):
    """One entry of a ticket's timeline: milestones, assignments, notices, decisions, comments."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    milestone = models.CharField(max_length=10, choices=Milestone.choices, blank=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField(blank=True)
    # A generic reference (a supervision notice, a joint-review meeting ...): type, id and words.
    ref_type = models.CharField(max_length=60, blank=True)
    ref_id = models.CharField(max_length=40, blank=True)
    ref_repr = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"]), models.Index(fields=["kind", "at"])]
        constraints = [
            # the tick may run any number of times: one "missed" and one "escalated" per milestone
            models.UniqueConstraint(
                fields=["ticket", "kind", "milestone"],
                condition=models.Q(kind__in=["overdue", "escalated"]),
                name="uniq_ticket_escalation",
            )
        ]

    @property
    def kind_label(self) -> str:
        return str(EventKind(self.kind).label) if self.kind in EventKind.values else self.kind


def _upload_to(instance, filename: str) -> str:
    return f"tickets/{instance.ticket_id}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    """A file attached to a ticket, stored under MEDIA_ROOT, served only through a checked view."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_upload_to, max_length=200)
    token = models.CharField(max_length=32)
    extension = models.CharField(max_length=10)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a user sent with POST /api/v1/tickets, with the body it came with."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    body_hash = models.CharField(max_length=64)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_user_idem_key")]
