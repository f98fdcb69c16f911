"""Reads of the regions for lists that the province and cities see: the district filter."""

from __future__ import annotations

from .choices import RegionLevel
from .models import Region


def region_prefix(code: str) -> str:
    """The code prefix of a division and everything below it (440000 -> 44, 440300 -> 4403)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def district_choices(user) -> list[tuple[str, str]]:
    """The cities and districts below the user's region, as (code, name) for a district filter
    (a district's own users get only their district)."""
    regions = Region.objects.visible_to(user).exclude(level=RegionLevel.PROVINCE)
    return [(r.code, r.name if r.level == RegionLevel.CITY else f"— {r.name}") for r in regions]


def within_q(field: str, code: str):
    """Q: `field` (a Region path) is the division `code` or below it."""
    from django.db.models import Q

    return Q(**{f"{field}__code__startswith": region_prefix(code)})
