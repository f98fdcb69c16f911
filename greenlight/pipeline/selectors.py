"""Reads of project generation for pages and the API; always through `visible_to`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from greenlight.approvals.models import Approval
from greenlight.kernel.roles import Role
from greenlight.projects.models import InvestmentReport, Project

from .choices import CandidateStatus, Outcome
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
    return qs.select_related("region", "subdistrict", "department", "acknowledged_by")


def achievements(*, user, year: int) -> list[Achievement]:
    """Each visible target of `year` with its achievement, in a fixed number of queries."""
    rows = list(targets(user=user, year=year))
    if not rows:
        return []
    region_ids = {t.region_id for t in rows}
    projects = Project.objects.filter(region_id__in=region_ids)
    started = dict(projects.filter(actual_start__year=year).values_list("id", "subdistrict_id"))
    invest = dict(
        InvestmentReport.objects.filter(project__region_id__in=region_ids, month__year=year)
        .values("project_id")
        .annotate(s=Sum("amount"))
        .values_list("project_id", "s")
    )
    subdistrict_of = dict(projects.filter(pk__in=invest).values_list("id", "subdistrict_id"))
    generated = list(
        Decision.objects.filter(
            meeting__region_id__in=region_ids,
            meeting__year=year,
            outcome__in=[Outcome.START, Outcome.RESERVE],
        ).values_list("candidate__subdistrict_id", "candidate__project_id")
    )
    by_dept: dict[int, set[int]] = defaultdict(set)
    if any(t.department_id for t in rows):
        wanted = set(started) | set(invest) | {p for _, p in generated if p}
        for dept, project in (
            Approval.objects.filter(project_id__in=wanted)
            .values_list("department_id", "project_id")
            .distinct()
        ):
            by_dept[dept].add(project)
    out = []
    for t in rows:
        if t.department_id:
            mine = by_dept[t.department_id]
            n_start = sum(1 for p in started if p in mine)
            money = sum((v for p, v in invest.items() if p in mine), Decimal("0"))
            n_gen = sum(1 for _, p in generated if p in mine)
        elif t.subdistrict_id:
            n_start = sum(1 for s in started.values() if s == t.subdistrict_id)
            money = sum(
                (v for p, v in invest.items() if subdistrict_of.get(p) == t.subdistrict_id),
                Decimal("0"),
            )
            n_gen = sum(1 for s, _ in generated if s == t.subdistrict_id)
        else:
            n_start, money, n_gen = len(started), sum(invest.values(), Decimal("0")), len(generated)
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


def region_targets(*, user, year: int) -> dict:
    """The year's region-level targets the user may see, summed: new starts and investment."""
    row = (
        AnnualTarget.objects.visible_to(user)
        .filter(year=year, subdistrict__isnull=True, department__isnull=True)
        .aggregate(new_starts=Sum("new_starts"), investment=Sum("investment"), n=Count("id"))
    )
    if not row["n"]:
        return {"new_starts": None, "investment": None}
    return {"new_starts": row["new_starts"], "investment": row["investment"]}
