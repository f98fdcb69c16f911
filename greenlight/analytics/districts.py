"""The district comparison (区县比较) for province and city users: per county-level unit of the
user's region, new starts and completed investment against the district's target, the on-time
rate of the decided approvals, median handling days per stage, overdue problem tickets and the
use of joint cases (一口受理), with a league table per figure.

Every figure is one aggregate grouped by district (a fixed number of queries, whatever the
number of projects or districts), through `visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from greenlight.accounts.choices import RegionLevel
from greenlight.accounts.models import Region
from greenlight.approvals.models import Approval, JointCase
from greenlight.catalog.choices import Stage
from greenlight.kernel.roles import Role
from greenlight.pipeline import selectors as pipeline_selectors
from greenlight.projects import totals as project_totals
from greenlight.projects.models import Project
from greenlight.tickets import selectors as ticket_selectors

from . import bottlenecks, casefacts
from .models import CaseFact

# the figures of the league table: key, higher is better
FIGURES = (
    ("starts_share", True),
    ("investment_share", True),
    ("on_time", True),
    ("overdue_tickets", False),
    ("joint_share", True),
)


def can_compare(user) -> bool:
    """Province and city staff compare their districts; a district's own users do not (they
    have the district's dashboard), nor do project owners or the two no-data administrators."""
    if not user.is_authenticated or user.role in (
        Role.COMPANY,
        Role.SECURITY_ADMIN,
        Role.AUDIT_ADMIN,
    ):
        return False
    region = user.region
    if region is None:
        return user.is_superuser
    return region.level in (RegionLevel.PROVINCE, RegionLevel.CITY)


def resolve(*, user, code: str) -> Region:
    """The district (or city) `code` below the user's region; 404 when not visible."""
    region = Region.objects.visible_to(user).filter(code=code).first()
    if region is None:
        raise Http404
    return region


def districts(*, user, within: Region | None = None) -> list[Region]:
    """The county-level units the user may see (below `within`, a city, when given)."""
    qs = Region.objects.visible_to(user).filter(level=RegionLevel.DISTRICT)
    if within is not None:
        qs = qs.filter(code__startswith=within.prefix)
    return list(qs.select_related("parent").order_by("code"))


@dataclass
class Row:
    """One district's figures."""

    region: Region
    starts: int = 0
    starts_target: int | None = None
    investment: float = 0.0
    investment_target: float | None = None
    decided: int = 0
    late: int = 0
    joint: int = 0
    joint_cases: int = 0
    overdue_tickets: int = 0
    medians: dict | None = None

    @property
    def starts_share(self) -> float | None:
        return self.starts / self.starts_target if self.starts_target else None

    @property
    def investment_share(self) -> float | None:
        return self.investment / self.investment_target if self.investment_target else None

    @property
    def on_time(self) -> float | None:
        return (self.decided - self.late) / self.decided if self.decided else None

    @property
    def joint_share(self) -> float | None:
        return self.joint / self.decided if self.decided else None

    def as_dict(self) -> dict:
        return {
            "code": self.region.code,
            "name": self.region.name,
            "city": self.region.parent.name
            if self.region.parent and self.region.parent.level == RegionLevel.CITY
            else "",
            "starts": self.starts,
            "starts_target": self.starts_target,
            "starts_share": self.starts_share,
            "investment": round(self.investment, 2),
            "investment_target": self.investment_target,
            "investment_share": self.investment_share,
            "decided": self.decided,
            "late": self.late,
            "on_time": self.on_time,
            "medians": self.medians or {},
            "median_list": [(self.medians or {}).get(s.value) for s in Stage],
            "overdue_tickets": self.overdue_tickets,
            "joint_cases": self.joint_cases,
            "joint": self.joint,
            "joint_share": self.joint_share,
        }


def _by_region(qs, field: str, **agg) -> dict:
    return {r[field]: r for r in qs.order_by().values(field).annotate(**agg)}


def compare(*, user, year: int, within: Region | None = None, now: datetime | None = None) -> dict:
    """Every district's figures of `year`, the league table (rank per figure) and the totals."""
    now = now or timezone.now()
    units = districts(user=user, within=within)
    rows = {r.pk: Row(region=r, medians={}) for r in units}
    ids = list(rows)
    projects = Project.objects.visible_to(user).filter(region_id__in=ids)
    for pk, r in _by_region(
        projects.filter(actual_start__year=year), "region_id", n=Count("id")
    ).items():
        rows[pk].starts = r["n"]
    reports, paths = project_totals.visible(user)
    by = f"{paths['region']}_id"
    reports = reports.filter(month__year=year, **{f"{by}__in": ids})
    for pk, r in _by_region(reports, by, s=Sum("amount")).items():
        rows[pk].investment = float(r["s"] or 0)
    for pk, t in pipeline_selectors.district_targets(user=user, year=year).items():
        if pk in rows:
            rows[pk].starts_target = t["new_starts"] or None
            rows[pk].investment_target = float(t["investment"]) if t["investment"] else None
    _cases(rows, user=user, year=year)
    joint = JointCase.objects.visible_to(user).filter(
        submitted_at__year=year, project__region_id__in=ids
    )
    for pk, r in _by_region(joint, "project__region_id", n=Count("id")).items():
        rows[pk].joint_cases = r["n"]
    for pk, n in ticket_selectors.overdue_by_region(user=user, now=now, regions=ids).items():
        rows[pk].overdue_tickets = n
    out = [r.as_dict() for r in rows.values()]
    _rank(out)
    return {"year": year, "rows": out, "totals": _totals(out), "stages": _stages()}


def _cases(rows: dict, *, user, year: int) -> None:
    """Decided cases of `year` per district and stage: count, late (past the committed limit),
    in a joint case, median handling days; a joint case counts once (by its lead member)."""
    casefacts.catch_up()
    # the joint members as id sets (few rows), not a join of every fact to its approval
    joint = Approval.objects.filter(joint_case__isnull=False).values("id")
    followers = joint.filter(joint_lead=False)
    # Gated by the facts' own region among the visible districts (the comparison is for staff,
    # whose share is by region alone) rather than through a semi-join of every fact to its
    # project: at province scale that join was most of the page's time.
    start, end = bottlenecks.period_for_year(year).bounds()
    # Grouped by the handling days too: a hash aggregate into a few thousand rows, and each
    # median read off its distribution (exactly percentile_cont's), instead of sorting every
    # case of the year by district and stage (two thirds of the page's time at province size).
    facts = (
        CaseFact.objects.filter(decided_at__gte=start, decided_at__lt=end, region_id__in=list(rows))
        .exclude(approval_id__in=followers)
        .values("region_id", "stage", "handling")
        .annotate(
            n=Count("approval_id"),
            late=Count("approval_id", filter=Q(overdue=True)),
            joint=Count("approval_id", filter=Q(approval_id__in=joint)),
        )
        .order_by()
    )
    spread: dict[tuple, dict[int, int]] = {}
    for f in bottlenecks.fetch_grouped(facts):
        row = rows[f["region_id"]]
        row.decided += f["n"]
        row.late += f["late"]
        row.joint += f["joint"]
        spread.setdefault((f["region_id"], f["stage"]), {})[f["handling"]] = f["n"]
    for (region_id, stage), counts in spread.items():
        rows[region_id].medians[stage] = median_of(counts)


def median_of(counts: dict[int, int]) -> float:
    """The median of values given as value -> how many times, as percentile_cont(0.5) computes
    it: the middle value, or halfway between the two middle values."""
    n = sum(counts.values())
    lo_at, hi_at = (n - 1) // 2, n // 2  # 0-based positions of the middle value(s)
    seen, lo = 0, None
    for value in sorted(counts):
        seen += counts[value]
        if lo is None and seen > lo_at:
            lo = value
        if seen > hi_at:
            return (lo + value) / 2
    raise ValueError("no values")


def _rank(out: list[dict]) -> None:
    """Rank of each district per figure (1 = best); districts without the figure get none."""
    for key, higher in FIGURES:
        have = [r for r in out if r[key] is not None]
        have.sort(key=lambda r: (-r[key] if higher else r[key], r["code"]))
        for r in out:
            r.setdefault("rank", {})[key] = None
        for i, r in enumerate(have, 1):
            r["rank"][key] = i


def _totals(out: list[dict]) -> dict:
    decided = sum(r["decided"] for r in out)
    return {
        "districts": len(out),
        "starts": sum(r["starts"] for r in out),
        "investment": round(sum(r["investment"] for r in out), 2),
        "decided": decided,
        "on_time": (decided - sum(r["late"] for r in out)) / decided if decided else None,
        "overdue_tickets": sum(r["overdue_tickets"] for r in out),
        "joint_cases": sum(r["joint_cases"] for r in out),
    }


def _stages() -> list[dict]:
    return [{"code": s.value, "label": str(s.label)} for s in Stage]


def default_year(today: date | None = None) -> int:
    return (today or timezone.localdate()).year


__all__ = ["can_compare", "compare", "districts", "resolve"]
