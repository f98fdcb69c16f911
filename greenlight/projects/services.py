"""Creating and changing projects; every write is validated whole and audited."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.accounts.models import Organization, Region, Subdistrict
from greenlight.audit import services as audit
from greenlight.catalog.models import Matter
from greenlight.kernel import validation
from greenlight.kernel.errors import Conflict, DomainError, NotPermitted
from greenlight.kernel.roles import Role

from . import hooks, lifecycle, matters, totals
from .choices import Lifecycle
from .codes import division_code, validate_project_code
from .models import Project
from .phones import normalize_phone

# What a project owner may not set: the office decides the stage and the major flag, and the
# code and region come from the investment platform's filing.
OWNER_FIXED_ON_CREATE = {"stage": Lifecycle.PLANNING, "is_major": False}
OWNER_FIXED_ON_UPDATE = ("stage", "is_major", "code", "region")

EDITABLE = (
    "code",
    "name",
    "category",
    "industry",
    "location",
    "construction_nature",
    "scale_content",
    "funding_source",
    "contact_name",
    "contact_phone",
    "total_investment",
    "land_area",
    "stage",
    "is_major",
    "land_acquired_on",
    "planned_start",
    "actual_start",
    "completed_on",
    "description",
)
# What the national investment project record needs of every new project (the owner too, but a
# company is its own owner); once given, these may not be emptied.
REQUIRED = (
    "code",
    "name",
    "category",
    "industry",
    "location",
    "construction_nature",
    "scale_content",
    "funding_source",
    "total_investment",
)
TEXT_LIMITS = {"location": 200, "contact_name": 50, "scale_content": 4000}


def _decimal(field: str, value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("must be a number"), field=field) from None
    if number < 0:
        raise DomainError(_("must not be negative"), field=field)
    return number


def _resolve_refs(*, data: dict, actor, region) -> dict:
    """Turn owner/subdistrict ids into objects the actor may use; refuse the rest by field."""
    out = dict(data)
    if actor.role == Role.COMPANY:
        out["owner"] = actor.organization
    elif "owner" in data:
        owner = Organization.objects.visible_to(actor).filter(pk=data["owner"]).first()
        if owner is None or owner.region_id != region.id:
            raise DomainError(_("unknown project owner"), field="owner")
        out["owner"] = owner
    if data.get("subdistrict") not in (None, ""):
        sub = Subdistrict.objects.filter(pk=data["subdistrict"], region=region).first()
        if sub is None:
            raise DomainError(_("unknown subdistrict"), field="subdistrict")
        out["subdistrict"] = sub
    elif "subdistrict" in data:
        out["subdistrict"] = None
    if "category" in data and "template" not in data:
        out["template"] = matters.template_for(data["category"])
    return out


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _refuse_blank(data: dict, *, creating: bool) -> None:
    """A new project needs every REQUIRED field; a change may not empty one."""
    for name in REQUIRED:
        if (creating and name not in data) or (name in data and _blank(data[name])):
            raise DomainError(_("this field is required"), field=name)


def _text(field: str, value) -> str:
    value = "" if value is None else str(value).strip()
    limit = TEXT_LIMITS.get(field)
    if limit and len(value) > limit:
        raise DomainError(_("at most %(n)s characters") % {"n": limit}, field=field)
    return value


def _apply(project: Project, data: dict) -> list[str]:
    changed = []
    for field, value in data.items():
        if field in ("total_investment", "land_area"):
            value = _decimal(field, value)
        if field in ("location", "scale_content", "contact_name", "description"):
            value = _text(field, value)
        if field == "contact_phone":
            value = (value or "").strip()
            if value:
                value, reason = normalize_phone(value)
                if reason:
                    raise DomainError(reason, field="contact_phone")
        if field == "code":
            value = (value or "").strip()
            reason = validate_project_code(value)
            if reason:
                raise DomainError(reason, field="code")
        if getattr(project, field) != value:
            setattr(project, field, value)
            changed.append(field)
    return changed


def _refuse_owner_fields(*, data: dict, actor, project: Project | None) -> None:
    """A project owner may not set the stage, the major flag, the code or the region."""
    if actor.role != Role.COMPANY:
        return
    if project is None:
        fixed = [f for f, v in OWNER_FIXED_ON_CREATE.items() if f in data and data[f] != v]
    else:
        fixed = [f for f in OWNER_FIXED_ON_UPDATE if f in data and _differs(data[f], project, f)]
    if fixed:
        raise NotPermitted(_("a project owner may not set this field"), field=fixed[0])


def _differs(value, project: Project, field: str) -> bool:
    current = getattr(project, field)
    if field == "code":
        return (value or "").strip() != current
    if field == "region":
        return value not in (current, current.pk, current.code)
    return value != current


def _override_reason(data: dict, actor) -> str:
    """The stage-gate override reason of the request; only coordinators may give one."""
    reason = (data.pop("stage_override_reason", "") or "").strip()
    if reason and actor.role != Role.COORDINATOR:
        raise NotPermitted(
            _("only the coordinators' office may override a stage gate"),
            field="stage_override_reason",
        )
    return reason


def _check_gate(*, project: Project, stage_changed: bool, reason: str, actor) -> dict:
    """Refuse a stage the project lacks the facts for, unless a coordinator gives a reason;
    returns the override fields to store (cleared when the gate is met)."""
    if not stage_changed:
        return {}
    missing = lifecycle.missing_for(project, project.stage)
    if not missing:
        return {"stage_override_reason": "", "stage_override_by": None, "stage_override_at": None}
    if not reason.strip():
        raise DomainError(lifecycle.explain(project.stage, missing), field="stage")
    return {
        "stage_override_reason": reason.strip()[:2000],
        "stage_override_by": actor,
        "stage_override_at": timezone.now(),
        "_override_missing": missing,
    }


def _store_override(project: Project, override: dict, actor) -> None:
    missing = override.pop("_override_missing", None)
    for field, value in override.items():
        setattr(project, field, value)
    if missing:
        audit.record(
            project,
            "project_stage_overridden",
            actor=actor,
            changes={"stage": project.stage, "reason": project.stage_override_reason,
                     "missing": missing},
        )  # fmt: skip


def _validate(project: Project) -> None:
    try:
        project.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError("; ".join(messages), field=field) from None
    # The stored dates as a whole: a PATCH of one date meets the other one already stored.
    dates = {f: getattr(project, f) for f in ("actual_start", "completed_on")}
    for field, reason in validation.order_problems(dates).items():
        raise DomainError(reason, field=field)


def division_region(code: str, *, actor) -> Region:
    """The Region named by the code's division part (RRRRRR), which must be one the platform
    knows at or below the actor's region; refused on `code`, naming the division code."""
    division = division_code(code)
    region = Region.objects.visible_to(actor).filter(code=division).first()
    if region is not None:
        return region
    if Region.objects.filter(code=division).exists():
        raise DomainError(
            _(
                "the division code %(division)s in the project code is outside your region %(region)s"
            )
            % {"division": division, "region": actor.region.name if actor.region_id else "—"},
            field="code",
        )
    raise DomainError(
        _("the division code %(division)s in the project code is not a division the platform knows")
        % {"division": division},
        field="code",
    )


def _plan_start(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("Enter the date as YYYY-MM-DD."), field="plan_start") from None


@dataclass
class Registration:
    """A project checked whole and not yet saved, with the matters it will open."""

    project: Project
    matters: list[Matter]
    changed: list[str]
    override: dict = dataclasses.field(default_factory=dict)


def check_registration(*, data: dict, actor, region=None) -> Registration:
    """Everything `create_project` checks, writing nothing (an import's dry run uses it): the
    fields, the code and its division, the owner, the optional matters and their departments."""
    data = dict(data)
    optional = data.pop("optional_matters", None) or ()
    if isinstance(optional, str):
        optional = [c for c in optional.replace("，", ",").replace("、", ",").split(",") if c]
    plan_start = _plan_start(data.pop("plan_start", None))
    if optional and actor.role == Role.COMPANY:
        raise NotPermitted(
            _("only the coordinators' office may choose a project's matters"),
            field="optional_matters",
        )
    _refuse_blank(data, creating=True)
    _refuse_owner_fields(data=data, actor=actor, project=None)
    reason = _override_reason(data, actor)
    code = str(data["code"]).strip()
    reason_code = validate_project_code(code)
    if reason_code:
        raise DomainError(reason_code, field="code")
    division = division_region(code, actor=actor)  # checked even when the caller names a region
    region = region or division
    if actor.role != Role.COMPANY and _blank(data.get("owner")):
        raise DomainError(_("this field is required"), field="owner")
    data = _resolve_refs(data=data, actor=actor, region=region)
    project = Project(region=region, plan_start=plan_start)
    changed = _apply(project, {k: v for k, v in data.items() if k in EDITABLE})
    for ref in ("owner", "subdistrict", "template"):
        if ref in data:
            setattr(project, ref, data[ref])
    _validate(project)
    override = _check_gate(
        project=project, stage_changed=project.stage in lifecycle.GATED, reason=reason, actor=actor
    )
    opened = matters.template_matters(project.template, optional=optional)
    matters.departments_for(region, opened)
    return Registration(project, opened, changed, override)


def create_project(*, data: dict, actor, region=None) -> Project:
    """Register a project (a company: for its own organization) in the region its code names,
    open its template's approvals (required ones, and the optional matters ticked in
    `data["optional_matters"]`) and announce it, so that plans plans it at once."""
    reg = check_registration(data=data, actor=actor, region=region)
    project = reg.project
    with transaction.atomic():
        project.save()
        approvals = matters.open_approvals(project, reg.matters)
        changes = {f: getattr(project, f) for f in reg.changed}
        changes["matters"] = [a.matter.code for a in approvals]
        audit.record(project, "project_created", actor=actor, changes=changes)
        if reg.override:
            _store_override(project, reg.override, actor)
            project.save(update_fields=[f for f in reg.override if not f.startswith("_")])
        hooks.project_registered.send(project=project, actor=actor)
    return project


def update_project(*, project: Project, data: dict, actor) -> Project:
    """Change some fields of a project, validated whole; the change is audited and announced."""
    data = {k: v for k, v in data.items() if k not in ("optional_matters", "plan_start")}
    _refuse_owner_fields(data=data, actor=actor, project=project)
    _refuse_blank(data, creating=False)
    if "code" in data and (data["code"] or "").strip() != project.code:
        code = (data["code"] or "").strip()
        reason_code = validate_project_code(code)
        if reason_code:
            raise DomainError(reason_code, field="code")
        division_region(code, actor=actor)
    reason = _override_reason(data, actor)
    data = _resolve_refs(data=data, actor=actor, region=project.region)
    before = {f: getattr(project, f) for f in EDITABLE}
    changed = _apply(project, {k: v for k, v in data.items() if k in EDITABLE})
    for ref in ("owner", "subdistrict"):
        if ref in data and getattr(project, ref) != data[ref]:
            setattr(project, ref, data[ref])
            changed.append(ref)
    _validate(project)
    gate_facts = {"stage", "actual_start", "completed_on"}
    override = _check_gate(
        project=project, stage_changed=bool(gate_facts & set(changed)), reason=reason, actor=actor
    )
    with transaction.atomic():
        stored = totals.lock([project.pk])[project.pk]  # where its reports count until now
        if override:
            _store_override(project, override, actor)
        project.save()
        totals.move(project.pk, old=stored, new=totals.where(project))
        audit.record(
            project,
            "project_updated",
            actor=actor,
            changes={f: [before.get(f), getattr(project, f)] for f in changed},
        )
        if changed:
            hooks.project_changed.send(project=project, fields=list(changed), actor=actor)
    return project


def _may_change_matters(project: Project, actor) -> None:
    if (
        actor.role != Role.COORDINATOR
        or not Project.objects.visible_to(actor).filter(pk=project.pk).exists()
    ):
        raise NotPermitted(_("only the coordinators' office may change a project's matters"))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("give the reason"), field="reason")
    return reason[:300]


def add_matter(*, project: Project, matter: Matter | str, reason: str, actor):
    """Open an approval of a catalog matter the project lacks (a coordinator, with a reason);
    audited, and the plan follows."""
    _may_change_matters(project, actor)
    reason = _reason(reason)
    if isinstance(matter, str):
        code = matter.strip()
        matter = Matter.objects.filter(code=code, is_active=True).first()
        if matter is None:
            raise DomainError(_("unknown matter %(code)s") % {"code": code or "—"}, field="matter")
    elif not matter.is_active:
        raise DomainError(_("unknown matter %(code)s") % {"code": matter.code}, field="matter")
    if project.approvals.filter(matter=matter).exists():
        raise Conflict(
            _("%(matter)s is one of the project's matters already") % {"matter": matter.name},
            field="matter",
        )
    with transaction.atomic():
        (approval,) = matters.open_approvals(project, [matter])
        audit.record(
            project,
            "project_matter_added",
            actor=actor,
            changes={"matter": matter.code, "name": matter.name, "reason": reason},
        )
        hooks.project_changed.send(project=project, fields=["matters"], actor=actor)
    return approval


def remove_matter(*, project: Project, approval, reason: str, actor) -> None:
    """Remove a matter not yet started from the project (a coordinator, with a reason);
    refused, saying why, once a department has it. Audited, and the plan follows."""
    _may_change_matters(project, actor)
    reason = _reason(reason)
    if approval.project_id != project.pk:
        raise DomainError(_("unknown matter %(code)s") % {"code": approval.matter.code},
                          field="matter")  # fmt: skip
    refused = matters.removal_refused(approval)
    if refused:
        raise Conflict(refused, field="matter")
    code, name = approval.matter.code, approval.matter.name
    try:
        with transaction.atomic():
            approval.delete()
            audit.record(
                project,
                "project_matter_removed",
                actor=actor,
                changes={"matter": code, "name": name, "reason": reason},
            )
            hooks.project_changed.send(project=project, fields=["matters"], actor=actor)
    except ProtectedError:
        raise Conflict(
            _("%(matter)s cannot be removed: joint-review opinions refer to it") % {"matter": name},
            field="matter",
        ) from None
