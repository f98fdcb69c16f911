"""Project generation: issue targets, propose candidates, keep pools, match, decide, start.

Every function is keyword-only, runs in one transaction and writes an audit event.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.accounts.models import Department, Organization, Subdistrict
from greenlight.audit import services as audit
from greenlight.kernel.errors import Conflict, DomainError
from greenlight.kernel.roles import Role

from . import matching
from .choices import NEED_FIELDS, CandidateStatus, FactorKind, Maturity, Pin
from .models import AnnualTarget, Candidate, FactorPool, MatchRun

CANDIDATE_FIELDS = (
    "name",
    "category",
    "industry",
    "investment",
    "funding",
    "land_need",
    "energy_need",
    "fiscal_need",
    "bond_need",
    "environment_need",
    "maturity",
    "priority",
    "description",
)


def amount(field: str, value, *, required: bool = False) -> Decimal:
    """A non-negative amount, or a DomainError naming `field`."""
    if value is None or value == "":
        if required:
            raise DomainError(_("this field is required"), field=field)
        return Decimal("0")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("must be a number"), field=field) from None
    if not number.is_finite():
        raise DomainError(_("must be a number"), field=field)
    if number < 0:
        raise DomainError(_("must not be negative"), field=field)
    return number


def _count(field: str, value) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise DomainError(_("must be a whole number"), field=field) from None
    if number < 0:
        raise DomainError(_("must not be negative"), field=field)
    return number


def _subdistrict(region, pk, field: str = "subdistrict") -> Subdistrict | None:
    if pk in (None, ""):
        return None
    sub = Subdistrict.objects.filter(pk=getattr(pk, "pk", pk), region=region).first()
    if sub is None:
        raise DomainError(_("unknown subdistrict"), field=field)
    return sub


def _full_clean(obj, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError("; ".join(messages), field=field) from None


# -- annual targets ----------------------------------------------------------------------------


def issue_target(
    *,
    region,
    year: int,
    actor,
    investment,
    new_starts,
    generated,
    subdistrict=None,
    department=None,
    at: datetime | None = None,
) -> AnnualTarget:
    """Issue (or re-issue) a year's target to the region, a subdistrict or a department."""
    sub = _subdistrict(region, subdistrict)
    dept = None
    if department not in (None, ""):
        dept = Department.objects.filter(pk=getattr(department, "pk", department), region=region)
        dept = dept.first()
        if dept is None:
            raise DomainError(_("unknown department"), field="department")
    if sub and dept:
        raise DomainError(
            _("a target goes to a subdistrict or a department, not both"), field="department"
        )
    values = {
        "investment": amount("investment", investment),
        "new_starts": _count("new_starts", new_starts),
        "generated": _count("generated", generated),
    }
    with transaction.atomic():
        target = (
            AnnualTarget.objects.select_for_update(of=("self",))
            .filter(region=region, year=year, subdistrict=sub, department=dept)
            .first()
        )
        before = {k: getattr(target, k) for k in values} if target else None
        target = target or AnnualTarget(region=region, year=year, subdistrict=sub, department=dept)
        for k, v in values.items():
            setattr(target, k, v)
        target.issued_by, target.issued_at = actor, at or timezone.now()
        target.acknowledged_by = target.acknowledged_at = None
        target.save()
        audit.record(
            target,
            "target_issued",
            actor=actor,
            changes={"year": year, "recipient": target.recipient_name, "before": before, **values},
        )
    return target


def acknowledge_target(*, target: AnnualTarget, actor, at: datetime | None = None) -> AnnualTarget:
    """The recipient acknowledges the target it was issued."""
    if target.acknowledged_at:
        raise Conflict(_("This target was acknowledged already."), field="target")
    with transaction.atomic():
        target.acknowledged_by, target.acknowledged_at = actor, at or timezone.now()
        target.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit.record(target, "target_acknowledged", actor=actor, changes={"year": target.year})
    return target


# -- candidates --------------------------------------------------------------------------------


def _maturity(values) -> list[str]:
    values = list(values or [])
    unknown = [v for v in values if v not in Maturity.values]
    if unknown:
        raise DomainError(
            _("unknown checklist item: %(items)s") % {"items": ", ".join(map(str, unknown))},
            field="maturity",
        )
    return [v for v in Maturity.values if v in values]


def propose_candidate(*, data: dict, actor, region=None, year: int | None = None) -> Candidate:
    """Put a candidate into the planning pool (a company: for its own organization)."""
    region = region or actor.region
    cand = Candidate(region=region, year=year or data.get("year") or timezone.localdate().year)
    cand.proposer = actor
    if actor.role == Role.COMPANY:
        cand.owner = actor.organization
    else:
        owner = Organization.objects.filter(pk=data.get("owner") or 0, region=region).first()
        if owner is None:
            raise DomainError(_("unknown project owner"), field="owner")
        cand.owner = owner
    cand.subdistrict = _subdistrict(region, data.get("subdistrict"))
    unknown = set(data.get("needs") or {}) - set(FactorKind.values)
    if unknown:
        raise DomainError(
            _("unknown factor: %(f)s") % {"f": ", ".join(sorted(unknown))}, field="needs"
        )
    for kind, value in (data.get("needs") or {}).items():
        data = {**data, NEED_FIELDS[kind]: value}
    for field in CANDIDATE_FIELDS:
        if field in data:
            setattr(cand, field, data[field])
    cand.investment = amount("investment", data.get("investment"), required=True)
    for field in NEED_FIELDS.values():
        setattr(cand, field, amount(field, getattr(cand, field)))
    cand.maturity = _maturity(cand.maturity)
    _full_clean(cand, exclude=["proposer", "project"])
    with transaction.atomic():
        cand.save()
        audit.record(
            cand,
            "candidate_proposed",
            actor=actor,
            changes={f: getattr(cand, f) for f in CANDIDATE_FIELDS},
        )
    return cand


def pin_candidate(*, candidate: Candidate, pin: str, actor) -> Candidate:
    """Force a candidate into or out of the selection (or release it) for the next run."""
    if pin not in Pin.values:
        raise DomainError(_("must be one of in, out or empty"), field="pin")
    if candidate.status != CandidateStatus.PROPOSED:
        raise Conflict(_("This candidate was decided already."), field="pin")
    with transaction.atomic():
        before, candidate.pin = candidate.pin, pin
        candidate.save(update_fields=["pin"])
        audit.record(candidate, "candidate_pinned", actor=actor, changes={"pin": [before, pin]})
    return candidate


# -- factor pools ------------------------------------------------------------------------------


def set_pool(*, region, year: int, kind: str, actor, amount_value, subdistrict=None) -> FactorPool:
    """Set how much of a factor the year has (land: per subdistrict, when one is given)."""
    if kind not in FactorKind.values:
        raise DomainError(_("unknown factor"), field="kind")
    sub = _subdistrict(region, subdistrict)
    if sub and kind != FactorKind.LAND:
        raise DomainError(_("only land quotas are kept per subdistrict"), field="subdistrict")
    value = amount("amount", amount_value, required=True)
    with transaction.atomic():
        pool = (
            FactorPool.objects.select_for_update(of=("self",))
            .filter(region=region, year=year, kind=kind, subdistrict=sub)
            .first()
        )
        before = pool.amount if pool else None
        pool = pool or FactorPool(region=region, year=year, kind=kind, subdistrict=sub)
        pool.amount = value
        pool.save()
        audit.record(pool, "pool_set", actor=actor, changes={"amount": [before, value]})
    return pool


# -- matching ----------------------------------------------------------------------------------


def pool_capacity(pools) -> dict[str, float]:
    """Pool key -> amount; subdistrict land pools are separate keys (`land:<id>`)."""
    return {p.key: float(p.amount) for p in pools}


def candidate_needs(cand: Candidate, subdistrict_land: set[int]) -> dict[str, float]:
    """A candidate's needs by pool key; land goes to its subdistrict's pool when one exists."""
    needs = {}
    for kind, field in NEED_FIELDS.items():
        value = float(getattr(cand, field))
        if not value:
            continue
        key = kind.value
        if kind == FactorKind.LAND and cand.subdistrict_id in subdistrict_land:
            key = f"land:{cand.subdistrict_id}"
        needs[key] = value
    return needs


def run_matching(*, region, year: int, actor, at: datetime | None = None) -> MatchRun:
    """Match the year's undecided candidates to the pools and store the explained result."""
    pools = list(FactorPool.objects.filter(region=region, year=year).select_related("subdistrict"))
    land_subs = {p.subdistrict_id for p in pools if p.subdistrict_id}
    cands = list(
        Candidate.objects.filter(region=region, year=year, status=CandidateStatus.PROPOSED)
    )
    items = [
        matching.Item(c.pk, float(c.value), candidate_needs(c, land_subs), c.pin) for c in cands
    ]
    result = matching.match(items, pool_capacity(pools))
    body = {
        "pools": [u.__dict__ for u in result.pools],
        "verdicts": {str(v.id): v.__dict__ for v in result.verdicts},
        "conflicts": [list(c) for c in result.conflicts],
        "selected": list(result.selected),
    }
    with transaction.atomic():
        run = MatchRun.objects.create(
            region=region,
            year=year,
            run_at=at or timezone.now(),
            run_by=actor,
            feasible=result.feasible,
            objective=Decimal(str(round(result.objective, 2))),
            result=body,
        )
        audit.record(
            run,
            "matching_run",
            actor=actor,
            region=region,
            changes={"year": year, "feasible": result.feasible, "selected": list(result.selected)},
        )
    return run


def record_start(*, project, on: date, actor):
    """The project started construction: the last milestone of the push (推动开工)."""
    from greenlight.projects import services as project_services

    if on is None:
        raise DomainError(_("this field is required"), field="actual_start")
    return project_services.update_project(
        project=project, data={"actual_start": on, "stage": "construction"}, actor=actor
    )
