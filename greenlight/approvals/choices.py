"""Statuses of an approval (办件) and reasons to pause its clock."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    CONSULTING = "consulting", _("Early intervention")
    SUBMITTED = "submitted", _("Submitted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    ACCEPTED = "accepted", _("Accepted")
    PAUSED = "paused", _("Paused")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = frozenset(
    {Status.NOT_STARTED, Status.CONSULTING, Status.SUBMITTED, Status.ACCEPTED, Status.PAUSED}
)
PENDING_STATUSES = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.PAUSED})
CLOSED_STATUSES = frozenset(
    {Status.NOT_ACCEPTED, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}
)


class PauseReason(models.TextChoices):
    SUPPLEMENT = "supplement", _("Supplement materials")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    HEARING = "hearing", _("Hearing")
    SITE_INSPECTION = "site_inspection", _("Site inspection")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    TESTING = "testing", _("Testing and appraisal")


class Outcome(models.TextChoices):
    """What a decision decides (准予 / 不予 / 不予受理): the approval's closing status."""

    APPROVED = "approved", _("Grant (准予许可)")
    REJECTED = "rejected", _("Refuse (不予许可)")
    NOT_ACCEPTED = "not_accepted", _("Do not accept (不予受理)")
    REVOKED = "revoked", _("Revoke (撤销许可)")


# outcome -> the workflow action that closes the approval with it
OUTCOME_ACTION = {
    Outcome.APPROVED: "approve",
    Outcome.REJECTED: "reject",
    Outcome.NOT_ACCEPTED: "not_accept",
}
# acts that take something away or refuse it: they state their reasons and legal basis
REFUSALS = frozenset({Outcome.REJECTED, Outcome.NOT_ACCEPTED, Outcome.REVOKED})
