"""API of project generation: targets, candidates, pools, matching and decisions."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from greenlight.catalog.choices import Category
from greenlight.kernel.api_input import found_first
from greenlight.kernel.errors import DomainError, NotPermitted
from greenlight.projects.choices import Industry

from . import decisions, permissions, selectors, services
from .choices import FactorKind, Funding, Maturity, Outcome
from .models import Candidate

router = Router(tags=["pipeline"])

FactorName = Literal["land", "energy", "fiscal", "bond", "environment"]
NonNegative = Field(ge=0)


def _need(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


class TargetOut(Schema):
    id: int
    year: int
    recipient: str = Field(alias="recipient_name")
    subdistrict_id: int | None
    department_id: int | None
    investment: Decimal
    new_starts: int
    generated: int
    issued_at: datetime
    acknowledged_at: datetime | None
    achieved_investment: Decimal = Decimal("0")
    achieved_new_starts: int = 0
    achieved_generated: int = 0


class TargetIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    subdistrict: int | None = None
    department: int | None = None
    investment: Decimal = Field(..., ge=0)
    new_starts: int = Field(..., ge=0)
    generated: int = Field(..., ge=0)


class CandidateOut(Schema):
    id: int
    year: int
    name: str
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    subdistrict_id: int | None
    category: str
    industry: str
    investment: Decimal
    funding: str
    land_need: Decimal
    energy_need: Decimal
    fiscal_need: Decimal
    bond_need: Decimal
    environment_need: Decimal
    maturity: list[str]
    priority: int
    pin: str
    status: str
    project_id: int | None


class CandidateIn(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    name: str = Field(..., min_length=1, max_length=200)
    owner: int | None = None
    subdistrict: int | None = None
    category: Category
    industry: Industry
    investment: Decimal = Field(..., ge=0)
    funding: Funding
    needs: dict[FactorName, Decimal] = Field(default_factory=dict)
    maturity: list[Maturity] = Field(default_factory=list)
    priority: int = Field(3, ge=1, le=5)
    description: str = ""


class PinIn(Schema):
    pin: Literal["", "in", "out"]


class PoolIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    kind: FactorKind
    subdistrict: int | None = None
    amount: Decimal = Field(..., ge=0)


class PoolOut(Schema):
    id: int
    year: int
    kind: str
    subdistrict_id: int | None
    amount: Decimal


class RunOut(Schema):
    id: int
    year: int
    run_at: datetime
    feasible: bool
    objective: Decimal
    result: dict


class PipelineDecisionIn(Schema):
    candidate: int
    outcome: Outcome
    note: str = Field("", max_length=300)


class PipelineMeetingIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., min_length=1, max_length=200)
    held_on: date
    minutes: str = Field(..., min_length=1)
    decisions: list[PipelineDecisionIn] = Field(..., min_length=1)


class PipelineDecisionOut(Schema):
    candidate_id: int
    outcome: str
    project_id: int | None = Field(None, alias="candidate.project_id")


class PipelineMeetingOut(Schema):
    id: int
    year: int
    title: str
    held_on: date
    decisions: list[PipelineDecisionOut]

    @staticmethod
    def resolve_decisions(obj) -> list:
        return list(obj.decisions.select_related("candidate"))


@router.get("/pipeline/targets", response=list[TargetOut])
def list_targets(request, year: int | None = None):
    """The year's targets with achievement (an approver: the region's and its department's)."""
    _need(permissions.can_read(request.user), _("Your role may not see targets."))
    out = []
    for a in selectors.achievements(user=request.user, year=_year(year)):
        t = a.target
        t.achieved_investment, t.achieved_new_starts = a.investment, a.new_starts
        t.achieved_generated = a.generated
        out.append(t)
    return out


@router.post("/pipeline/targets", response={201: TargetOut})
def issue_target(request, payload: TargetIn):
    """Issue (or re-issue) a target to the region, a subdistrict or a department."""
    _need(permissions.can_manage(request.user), _("Only coordinators issue targets."))
    target = services.issue_target(region=request.user.region, actor=request.user, **payload.dict())
    return Status(201, target)


@router.post("/pipeline/targets/{target_id}/acknowledge", response=TargetOut)
def acknowledge_target(request, target_id: int):
    """The recipient acknowledges its target."""
    _need(permissions.can_read(request.user), _("Your role may not see targets."))
    target = get_object_or_404(selectors.targets(user=request.user, year=None), pk=target_id)
    _need(permissions.can_acknowledge(request.user, target), _("This target is not yours."))
    return services.acknowledge_target(target=target, actor=request.user)


@router.get("/pipeline/candidates", response=list[CandidateOut])
def list_candidates(request, year: int | None = None, status: str = ""):
    """Candidates the caller may see (a company: its own)."""
    _need(permissions.can_see_candidates(request.user), _("Your role may not see candidates."))
    return list(selectors.candidates(user=request.user, year=year, status=status))


@router.get("/pipeline/candidates/{candidate_id}", response=CandidateOut)
def get_candidate(request, candidate_id: int):
    """One candidate; 404 when the caller may not see it."""
    _need(permissions.can_see_candidates(request.user), _("Your role may not see candidates."))
    return get_object_or_404(selectors.candidates(user=request.user), pk=candidate_id)


@router.post("/pipeline/candidates", response={201: CandidateOut})
def propose_candidate(request, payload: CandidateIn):
    """Propose a candidate (a company: for its own organization)."""
    _need(permissions.can_propose(request.user), _("Your role may not propose candidates."))
    data = payload.dict()
    data["needs"] = {str(k): v for k, v in data["needs"].items()}
    data["maturity"] = [str(m) for m in data["maturity"]]
    cand = services.propose_candidate(data=data, actor=request.user, year=payload.year)
    return Status(201, cand)


def _pinnable(request, candidate_id: int) -> Candidate:
    _need(permissions.can_manage(request.user), _("Only coordinators pin candidates."))
    return get_object_or_404(Candidate.objects.visible_to(request.user), pk=candidate_id)


@router.post("/pipeline/candidates/{candidate_id}/pin", response=CandidateOut)
@found_first(_pinnable)
def pin_candidate(request, candidate_id: int, payload: PinIn):
    """Pin a candidate in or out of the selection, or release it ("")."""
    cand = _pinnable(request, candidate_id)
    return services.pin_candidate(candidate=cand, pin=payload.pin, actor=request.user)


@router.get("/pipeline/pools", response=list[PoolOut])
def list_pools(request, year: int | None = None):
    """The year's factor pools."""
    _need(permissions.can_read(request.user), _("Your role may not see factor pools."))
    return list(selectors.pools(user=request.user, year=_year(year)))


@router.put("/pipeline/pools", response=PoolOut)
def set_pool(request, payload: PoolIn):
    """Set one factor pool (land: per subdistrict when `subdistrict` is given)."""
    _need(permissions.can_manage(request.user), _("Only coordinators set factor pools."))
    return services.set_pool(
        region=request.user.region,
        year=payload.year,
        kind=payload.kind,
        subdistrict=payload.subdistrict,
        amount_value=payload.amount,
        actor=request.user,
    )


@router.get("/pipeline/matching", response=RunOut)
def latest_matching(request, year: int | None = None):
    """The last matching run of the year, with each candidate's verdict."""
    _need(permissions.can_read(request.user), _("Your role may not see the matching."))
    run = selectors.latest_run(user=request.user, year=_year(year))
    if run is None:
        raise DomainError(_("No matching run for this year yet."), field="year")
    return run


@router.post("/pipeline/matching", response={201: RunOut})
def run_matching(request, year: int | None = None):
    """Run the factor matching for the year's undecided candidates."""
    _need(permissions.can_manage(request.user), _("Only coordinators run the matching."))
    run = services.run_matching(region=request.user.region, year=_year(year), actor=request.user)
    return Status(201, run)


@router.post("/pipeline/decisions", response={201: PipelineMeetingOut})
def record_decisions(request, payload: PipelineMeetingIn):
    """Record a meeting and its decisions, all or nothing; "start" creates the project."""
    _need(permissions.can_manage(request.user), _("Only coordinators record decisions."))
    found = {
        c.pk: c
        for c in Candidate.objects.visible_to(request.user).filter(
            pk__in=[d.candidate for d in payload.decisions]
        )
    }
    rows = []
    for i, d in enumerate(payload.decisions):
        if d.candidate not in found:
            raise DomainError(_("unknown candidate"), field=f"decisions.{i}.candidate")
        rows.append((found[d.candidate], d.outcome, d.note))
    meeting = decisions.decide(
        region=request.user.region,
        year=payload.year,
        title=payload.title,
        held_on=payload.held_on,
        minutes=payload.minutes,
        decisions=rows,
        actor=request.user,
    )
    return Status(201, meeting)
