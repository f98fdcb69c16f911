"""The append-only audit trail: chains of HMAC-SM3 over every field, one chain per project (or
per region for what belongs to no project), so that writers in different projects never wait on
one another and tampering with any field, or deleting the tail, shows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.roles import AUDIT_READERS
from greenlight.kernel.visibility import region_scope


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The audit administrator and the supervisor (纪委监委, 司法) read the trail of their
        region (and events of no region); nobody else does."""
        if user is None or not user.is_authenticated or user.role not in AUDIT_READERS:
            return self.none()
        scope = region_scope(user, "region")
        if scope is None:
            return self.none()
        return self.filter(scope | models.Q(region__isnull=True))

    def update(self, **kwargs):
        raise TypeError("audit events are append-only")

    def delete(self):
        raise TypeError("audit events are append-only")


class AppendOnlyManager(models.Manager.from_queryset(AuditEventQuerySet)):
    """Also the base manager: `_base_manager.filter(...).update()` is refused too."""


class AuditEvent(models.Model):
    """Who did what to which object, when, from where, with what outcome; never changed."""

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, default="success")
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    region = models.ForeignKey(
        "accounts.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.CharField(_("source address"), max_length=45, blank=True)
    chain = models.CharField(_("chain"), max_length=40, default="-")
    seq = models.PositiveBigIntegerField(_("sequence"), default=0)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyManager()

    class Meta:
        ordering = ["id"]
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor_name", "at"]),
        ]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="uniq_audit_seq")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("audit events are append-only")


class ChainHead(models.Model):
    """The head of one chain (a project's, a region's): its last sequence number and hash, with
    their own MAC, so that deleting the chain's last rows shows. Locked FOR UPDATE by writers of
    this chain only."""

    chain = models.CharField(primary_key=True, max_length=40)
    region = models.ForeignKey(
        "accounts.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    mac = models.CharField(max_length=64, blank=True)


class ArchiveAnchor(models.Model):
    """Where a chain resumes after its oldest rows were archived and pruned: the last pruned
    row's sequence number and hash (MACed). Rows up to it may be deleted, no others."""

    chain = models.CharField(max_length=40, db_index=True)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    archived_at = models.DateTimeField()
    file = models.CharField(max_length=300)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["chain", "seq"]
