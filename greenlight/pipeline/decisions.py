"""The leading-group decision (谋划生成决策): all candidates of a meeting, or none.

A candidate decided "start this year" becomes a Project in stage 前期 (preparation), with a
valid code, its template's approvals and a plan from the engine.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from greenlight.accounts.models import Department
from greenlight.approvals.models import Approval
from greenlight.audit import services as audit
from greenlight.catalog.models import Template
from greenlight.kernel.errors import Conflict, DomainError
from greenlight.plans import planning
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


def _approvals(project: Project, template: Template) -> list[Approval]:
    depts = {d.kind: d for d in Department.objects.filter(region=project.region)}
    rows = []
    for item in template.items.select_related("matter"):
        dept = depts.get(item.matter.department_kind)
        if dept is None:
            raise DomainError(
                _("%(region)s has no department for %(kind)s")
                % {
                    "region": project.region.name,
                    "kind": item.matter.get_department_kind_display(),
                },
                field="decisions",
            )
        rows.append(Approval(project=project, matter=item.matter, department=dept))
    return Approval.objects.bulk_create(rows)


def generate_project(*, candidate: Candidate, on: date, actor) -> Project:
    """Turn a candidate decided for a start into a project in preparation, with its plan."""
    template = Template.objects.filter(category=candidate.category).first()
    if template is None:
        raise DomainError(
            _("no template for category %(c)s") % {"c": candidate.get_category_display()},
            field="decisions",
        )
    data = {
        "code": _code(candidate, on),
        "name": candidate.name,
        "owner": candidate.owner_id,
        "subdistrict": candidate.subdistrict_id,
        "category": candidate.category,
        "industry": candidate.industry,
        "total_investment": candidate.investment,
        "land_area": candidate.land_need or None,
        "stage": "preparation",
        "description": candidate.description,
    }
    project = project_services.create_project(data=data, actor=actor, region=candidate.region)
    project.template = template
    project.plan_start = on
    project.save(update_fields=["template", "plan_start"])
    _approvals(project, template)
    planning.replan(project, today=on)
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
