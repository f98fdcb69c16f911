"""Who sees what: the region scope of a user, shared by every `visible_to()`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from greenlight.kernel.roles import Role

# 三员分立: the security and the audit administrator keep accounts and the trail, and read none
# of the projects' data (they get nothing from every `visible_to` built on `region_filter`).
NO_DATA_ROLES = frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


def region_filter(user, field: str = "region") -> Q | None:
    """Q restricting `field` (a Region FK path) to the user's region and below; None = nothing."""
    if user is None or not user.is_authenticated or user.role in NO_DATA_ROLES:
        return None
    return region_scope(user, field)


def region_scope(user, field: str = "region") -> Q | None:
    """The user's region and below, whatever the role (the trail, accounts, tokens)."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser and user.region_id is None:
        return Q()
    region = user.region
    if region is None:
        return None
    return Q(**{f"{field}__code__startswith": region.prefix})


class VisibleQuerySet(models.QuerySet):
    """Base queryset: subclasses say how a company and staff are scoped."""

    region_field = "region"
    owner_field: str | None = None  # path to the owner Organization id, for company users

    def visible_to(self, user, *, region_field: str | None = None):
        """The rows `user` may see: a company its own, staff their region, province all.
        `region_field` names another path to the same region (a copy on the row itself)."""
        scope = region_filter(user, region_field or self.region_field)
        if scope is None:
            return self.none()
        qs = self.filter(scope)
        if user.role == Role.COMPANY:
            if self.owner_field is None or user.organization_id is None:
                return self.none()
            qs = qs.filter(**{self.owner_field: user.organization_id})
        return qs
