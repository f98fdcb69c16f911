"""The case page (案例对照): each figure of the Bao'an case set beside the platform's own
computation for a district and a period, with its definition and the cases behind it.

`figures(region=, start=, end=)` is the one entry point (the page, its API and the demo's
checks read it). Every figure is what the data yields; a figure the data cannot give has
`value is None` and shows as 无数据, never a default. With `user` every read goes through
`visible_to(user)`; without it (the demo's checks, a command) the read is the district's
whole share. The number of queries does not depend on the number of projects: counts and
sums are aggregated in SQL, and what is read row by row (joint cases, catalog changes,
batches) grows with the cases of one matter or the catalog, not with the projects.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from . import casepage_figures as compute
from . import casepage_register as register
from .casepage_records import CASE_START, DEFAULT_DAYS, SEED, Figure, Scope, slope_template

__all__ = ["CASE_START", "DEFAULT_DAYS", "SEED", "Figure", "Scope", "figures", "slope_template"]


def figures(
    *,
    region,
    start: date,
    end: date,
    days: int = DEFAULT_DAYS,
    template: str = "",
    user=None,
) -> list[Figure]:
    """Every figure of the case for `region` and the days `start`..`end` (both included), as
    `user` may see them (the district's whole share without a user)."""
    if not template:
        chosen = slope_template(user)
        template = chosen.code if chosen else ""
    scope = Scope(region=region, start=start, end=end, days=days, template=template, user=user)
    rows = [
        *compute.template_days(scope),
        *compute.joint_eia(scope),
        *compute.batch_starts(scope),
        *compute.served(scope),
        *register.reforms(scope),
    ]
    return [replace(f, link=drill_link(scope, f.key)) if f.cases is not None else f for f in rows]


def drill_link(scope: Scope, key: str) -> str:
    """The page listing the cases behind figure `key` of `scope`."""
    query = {
        "figure": key,
        "region": scope.region.code,
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
        "days": scope.days,
    }
    if scope.template:
        query["template"] = scope.template
    return f"{reverse('casepage:cases')}?{urlencode(query)}"
