"""三员分立 in the Django admin: which role may view or change which app's models.

The system administrator keeps the catalog, the calendar, regions, departments and owners; the
security administrator keeps users and tokens; the audit administrator reads nothing in the admin
(the trail has its own page). Workflow models (approvals, events, tickets, batches, plans…) are
view-only for the system administrator: they change through the platform's services only.
"""

from __future__ import annotations

from greenlight.kernel.roles import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = frozenset({VIEW, ADD, CHANGE, DELETE})

# role -> {(app_label, model or "*"): actions}
RIGHTS: dict[str, dict[tuple[str, str], frozenset[str]]] = {
    Role.ADMIN: {
        ("catalog", "*"): ALL,
        ("accounts", "region"): ALL,
        ("accounts", "subdistrict"): ALL,
        ("accounts", "department"): ALL,
        ("accounts", "organization"): ALL,
        ("approvals", "*"): frozenset({VIEW}),
        ("projects", "*"): frozenset({VIEW}),
        ("tickets", "*"): frozenset({VIEW}),
        ("reviews", "*"): frozenset({VIEW}),
        ("plans", "*"): frozenset({VIEW}),
        ("supervision", "*"): frozenset({VIEW}),
        ("pipeline", "*"): frozenset({VIEW}),
        ("reforms", "*"): frozenset({VIEW}),
        ("notifications", "*"): frozenset({VIEW}),
    },
    Role.SECURITY_ADMIN: {
        ("accounts", "user"): frozenset({VIEW, ADD, CHANGE}),
        ("accounts", "apitoken"): frozenset({VIEW}),
        ("otp_totp", "totpdevice"): frozenset({VIEW, DELETE}),
    },
    Role.AUDIT_ADMIN: {},
}


def allows(role: str, perm: str) -> bool:
    """Does `role` hold Django permission `perm` ("app_label.action_model")?"""
    app_label, _, codename = perm.partition(".")
    action, _, model = codename.partition("_")
    table = RIGHTS.get(role, {})
    granted = table.get((app_label, model)) or table.get((app_label, "*")) or frozenset()
    return action in granted


def allows_app(role: str, app_label: str) -> bool:
    """Does `role` see `app_label` on the admin's index?"""
    return any(app == app_label for app, _model in RIGHTS.get(role, {}))
