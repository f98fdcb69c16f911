"""The leading-group decision (谋划生成决策): all candidates of a meeting, or none.

A candidate decided "start this year" becomes a Project in stage 前期 (preparation), with a
valid code, its template's approvals and a plan from the engine.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from greenlight.audit import services as audit
from greenlight.kernel.errors import Conflict, DomainError
from greenlight.projects import matters as project_matters
from greenlight.projects import services as project_services
from greenlight.projects.codes import make_project_code
from greenlight.projects.models import Project

from .choices import OUTCOME_STATUS, CandidateStatus, Outcome
from .models import Candidate, Decision, Meeting

SECTOR = {"gov_building": 47, "social_industry": 36, "small_low_risk": 47, "linear": 48}


def _code(cand: Candidate, on: date) -> str:
    """A fresh valid project code for the candidate (serials from 70000 up, never reused)."""
    kind = 1 if cand.owner.kind == "agency" else 3
    serial = 70000 + cand.pk % 29000
    while True:
        code = make_project_code(
            year=on.year,
            month=on.month,
            region_code=cand.region.code,
            sector=SECTOR.get(cand.category, 99),
            kind=kind,
            serial=serial,
        )
        if not Project.objects.filter(code=code).exists():
            return code
        serial += 1


# A candidate's funding (谋划) as the project record's 资金来源.
FUNDING_SOURCE = {"fiscal": "fiscal", "bond": "special_bonds", "company": "social"}


def generate_project(*, candidate: Candidate, on: date, actor) -> Project:
    """Turn a candidate decided for a start into a project in preparation: registered through
    `projects.services.create_project` like every project, so its template's approvals open
    and it is planned from the meeting day."""
    template = project_matters.template_for(candidate.category)
    if template is None:
        raise DomainError(
            _("no template for category %(c)s") % {"c": candidate.get_category_display()},
            field="decisions",
        )
    funding = FUNDING_SOURCE.get(candidate.funding, "social")
    if funding == "social" and candidate.owner.kind == "soe":
        funding = "state_owned"
    site = candidate.subdistrict.name if candidate.subdistrict_id else ""
    if site and not site.endswith("街道"):
        site += "街道"
    data = {
        "code": _code(candidate, on),
        "name": candidate.name,
        "owner": candidate.owner_id,
        "subdistrict": candidate.subdistrict_id,
        "category": candidate.category,
        "industry": candidate.industry,
        "location": f"{candidate.region.name}{site}",
        "construction_nature": "new",
        "scale_content": candidate.description or candidate.name,
        "funding_source": funding,
        "total_investment": candidate.investment,
        "land_area": candidate.land_need or None,
        "stage": "preparation",
        "description": candidate.description,
        "plan_start": on,
    }
    try:
        project = project_services.create_project(data=data, actor=actor, region=candidate.region)
    except DomainError as exc:
        raise DomainError(f"{candidate.name}: {exc.message}", field="decisions") from None
    project.refresh_from_db()
    if project.forecast_start:
        project.planned_start = project.forecast_start
        project.save(update_fields=["planned_start"])
    return project


def decide(
    *, region, year: int, title: str, held_on: date, minutes: str, decisions: list, actor
) -> Meeting:
    """Record a meeting and its decisions [(candidate, outcome, note)], all or nothing."""
    if not (title or "").strip():
        raise DomainError(_("this field is required"), field="title")
    if not (minutes or "").strip():
        raise DomainError(_("the minutes are required"), field="minutes")
    if held_on is None:
        raise DomainError(_("this field is required"), field="held_on")
    if not decisions:
        raise DomainError(_("decide on at least one candidate"), field="decisions")
    seen = set()
    for cand, outcome, _note in decisions:
        if outcome not in Outcome.values:
            raise DomainError(_("unknown decision"), field="decisions")
        if cand.pk in seen:
            raise DomainError(_("a candidate is listed twice"), field="decisions")
        seen.add(cand.pk)
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Candidate.objects.select_for_update(of=("self",)).filter(
                pk__in=seen, region=region, year=year
            )
        }
        meeting = Meeting.objects.create(
            region=region,
            year=year,
            title=title.strip(),
            held_on=held_on,
            minutes=minutes.strip(),
            recorded_by=actor,
        )
        summary = []
        for cand, outcome, note in decisions:
            cand = locked.get(cand.pk)
            if cand is None:
                raise DomainError(_("unknown candidate"), field="decisions")
            if cand.status != CandidateStatus.PROPOSED:
                raise Conflict(
                    _("%(name)s was decided already") % {"name": cand.name}, field="decisions"
                )
            Decision.objects.create(meeting=meeting, candidate=cand, outcome=outcome, note=note)
            cand.status = OUTCOME_STATUS[outcome]
            if outcome == Outcome.START:
                cand.project = generate_project(candidate=cand, on=held_on, actor=actor)
            cand.save(update_fields=["status", "project"])
            summary.append({"candidate": cand.pk, "outcome": outcome, "project": cand.project_id})
        audit.record(
            meeting,
            "decisions_recorded",
            actor=actor,
            region=region,
            changes={"held_on": held_on, "decisions": summary},
        )
    return meeting
