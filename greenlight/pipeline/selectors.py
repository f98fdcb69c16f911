"""Reads of project generation for pages and the API; always through `visible_to`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from greenlight.accounts.models import shown_with
from greenlight.kernel.roles import Role
from greenlight.projects.models import InvestmentReport, Project

from .choices import COMPETENT_DEPARTMENT, CandidateStatus, Outcome
from .models import AnnualTarget, Candidate, Decision, FactorPool, MatchRun


@dataclass(frozen=True)
class Achievement:
    """A target with what was achieved so far: new starts, investment, projects generated."""

    target: AnnualTarget
    new_starts: int
    investment: Decimal
    generated: int

    def pct(self, done, goal) -> int | None:
        return round(100 * float(done) / float(goal)) if goal else None

    @property
    def starts_pct(self) -> int | None:
        return self.pct(self.new_starts, self.target.new_starts)

    @property
    def investment_pct(self) -> int | None:
        return self.pct(self.investment, self.target.investment)

    @property
    def generated_pct(self) -> int | None:
        return self.pct(self.generated, self.target.generated)


def targets(*, user, year: int | None) -> QuerySet[AnnualTarget]:
    """The year's targets the user may see: an approver the region's and its department's."""
    qs = AnnualTarget.objects.visible_to(user)
    if year:
        qs = qs.filter(year=year)
    if user.role == Role.APPROVER:
        qs = qs.filter(
            Q(department_id=user.department_id)
            | Q(department__isnull=True, subdistrict__isnull=True)
        )
    return qs.select_related("region", "subdistrict", "department", *shown_with("acknowledged_by"))


def achievements(*, user, year: int) -> list[Achievement]:
    """Each visible target of `year` with what belongs to it, in a fixed number of queries.

    The region's target counts every project of the region; a subdistrict's, the projects (and
    decided candidates) of that subdistrict; a department's, those of the industries it is in
    charge of (`COMPETENT_DEPARTMENT`), never the projects it merely approves something for."""
    rows = list(targets(user=user, year=year))
    if not rows:
        return []
    region_ids = {t.region_id for t in rows}
    projects = Project.objects.filter(region_id__in=region_ids)
    started = set(projects.filter(actual_start__year=year).values_list("id", flat=True))
    invest = dict(
        InvestmentReport.objects.filter(project__region_id__in=region_ids, month__year=year)
        .values("project_id")
        .annotate(s=Sum("amount"))
        .values_list("project_id", "s")
    )
    # project -> (region, subdistrict, industry), for the projects that count at all
    where = {
        pk: (region, sub, industry)
        for pk, region, sub, industry in projects.filter(
            Q(pk__in=started) | Q(pk__in=list(invest))
        ).values_list("id", "region_id", "subdistrict_id", "industry")
    }
    # one (region, subdistrict, industry) per candidate decided to start or to reserve
    generated = list(
        Decision.objects.filter(
            meeting__region_id__in=region_ids,
            meeting__year=year,
            outcome__in=[Outcome.START, Outcome.RESERVE],
        ).values_list("meeting__region_id", "candidate__subdistrict_id", "candidate__industry")
    )

    def belongs(t: AnnualTarget, region: int, sub: int | None, industry: str) -> bool:
        if region != t.region_id:
            return False
        if t.department_id:
            return COMPETENT_DEPARTMENT.get(industry) == t.department.kind
        if t.subdistrict_id:
            return sub == t.subdistrict_id
        return True

    out = []
    for t in rows:
        n_start = sum(1 for p in started if belongs(t, *where[p]))
        money = sum((v for p, v in invest.items() if belongs(t, *where[p])), Decimal("0"))
        n_gen = sum(1 for g in generated if belongs(t, *g))
        out.append(Achievement(t, n_start, money, n_gen))
    return out


def candidates(*, user, year: int | None = None, status: str = "") -> QuerySet[Candidate]:
    """Candidates the user may see (a company: its own), with what the list shows."""
    qs = Candidate.objects.visible_to(user).select_related("owner", "subdistrict", "project")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs


def pools(*, user, year: int) -> QuerySet[FactorPool]:
    """The year's factor pools of the user's region."""
    return FactorPool.objects.visible_to(user).filter(year=year).select_related("subdistrict")


def latest_run(*, user, year: int) -> MatchRun | None:
    """The last matching run of the year."""
    return MatchRun.objects.visible_to(user).filter(year=year).select_related("run_by").first()


def pipeline_counts(*, user, year: int) -> dict:
    """Candidates of the year by status."""
    rows = (
        Candidate.objects.visible_to(user)
        .filter(year=year)
        .values("status")
        .annotate(n=Count("id"), s=Sum("investment"))
    )
    out = {s: {"n": 0, "s": Decimal("0")} for s in CandidateStatus.values}
    for r in rows:
        out[r["status"]] = {"n": r["n"], "s": r["s"] or Decimal("0")}
    return out


def push_list(*, user, year: int) -> QuerySet[Candidate]:
    """Candidates decided to start in `year`, with their projects: the push to start."""
    return (
        candidates(user=user, year=year, status=CandidateStatus.STARTING)
        .filter(project__isnull=False)
        .select_related("decision__meeting", "project")
        .order_by("project__actual_start", "-investment")
    )


def region_targets(*, user, year: int, region=None) -> dict:
    """The year's target of the user's region (or of `region`, one of the regions below it):
    its own when one was issued to it, else the sum of its districts' (`source` says which;
    `districts` / `covered`: how many districts it has and how many of them have a target, so a
    partial sum is not taken for the whole). None each when there is none."""
    from greenlight.accounts.choices import RegionLevel
    from greenlight.accounts.models import Region

    scope = region if region is not None else getattr(user, "region", None)
    rows = AnnualTarget.objects.visible_to(user).filter(
        year=year, subdistrict__isnull=True, department__isnull=True
    )
    districts = Region.objects.filter(level=RegionLevel.DISTRICT)
    if scope is not None:
        rows = rows.filter(region__code__startswith=scope.prefix)
        districts = districts.filter(code__startswith=scope.prefix)
    rows = list(rows.values("region_id", "region__level", "new_starts", "investment"))
    own = next((r for r in rows if scope is not None and r["region_id"] == scope.pk), None)
    if own is not None:
        return {
            "new_starts": own["new_starts"],
            "investment": own["investment"],
            "source": "own",
            "districts": None,
            "covered": None,
        }
    leaf = [r for r in rows if r["region__level"] == RegionLevel.DISTRICT]
    if not leaf:
        return {"new_starts": None, "investment": None, "source": None}
    return {
        "new_starts": sum(r["new_starts"] for r in leaf),
        "investment": sum((r["investment"] for r in leaf), Decimal(0)),
        "source": "districts",
        "districts": districts.count(),
        "covered": len(leaf),
    }


def district_targets(*, user, year: int) -> dict[int, dict]:
    """Each visible region's own target of `year`, by region id: new starts and investment."""
    return {
        r["region_id"]: r
        for r in AnnualTarget.objects.visible_to(user)
        .filter(year=year, subdistrict__isnull=True, department__isnull=True)
        .values("region_id", "new_starts", "investment")
    }
