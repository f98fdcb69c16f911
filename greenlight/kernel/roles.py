"""The roles of the platform's users; every permission check compares against these."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator (command office)")
    APPROVER = "approver", _("Approver (department)")
    COMPANY = "company", _("Project owner")
    LEADER = "leader", _("Leader")
    SUPERVISOR = "supervisor", _("Supervisor (discipline inspection)")
    # 三员分立: three administrators, each one role, so no account holds two of them.
    ADMIN = "admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


ADMIN_ROLES = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
STAFF_ROLES = frozenset(
    {Role.COORDINATOR, Role.APPROVER, Role.LEADER, Role.SUPERVISOR, *ADMIN_ROLES}
)
# Who reads the audit trail: the audit administrator and the supervisor (纪委监委).
AUDIT_READERS = frozenset({Role.AUDIT_ADMIN, Role.SUPERVISOR})
