"""The roles of the platform's users; every permission check compares against these."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator (command office)")
    APPROVER = "approver", _("Approver (department)")
    COMPANY = "company", _("Project owner")
    LEADER = "leader", _("Leader")
    SUPERVISOR = "supervisor", _("Supervisor (discipline inspection)")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset({Role.COORDINATOR, Role.APPROVER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN})
