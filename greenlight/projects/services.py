"""Creating and changing projects; every write is validated whole and audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.accounts.models import Organization, Subdistrict
from greenlight.audit import services as audit
from greenlight.catalog.models import Template
from greenlight.kernel.errors import DomainError, NotPermitted
from greenlight.kernel.roles import Role

from . import lifecycle
from .choices import Lifecycle
from .codes import validate_project_code
from .models import Project

# What a project owner may not set: the office decides the stage and the major flag, and the
# code and region come from the investment platform's filing.
OWNER_FIXED_ON_CREATE = {"stage": Lifecycle.PLANNING, "is_major": False}
OWNER_FIXED_ON_UPDATE = ("stage", "is_major", "code", "region")

EDITABLE = (
    "code",
    "name",
    "category",
    "industry",
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
        out["template"] = Template.objects.filter(category=data["category"]).first()
    return out


def _apply(project: Project, data: dict) -> list[str]:
    changed = []
    for field, value in data.items():
        if field in ("total_investment", "land_area"):
            value = _decimal(field, value)
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


def create_project(*, data: dict, actor, region=None) -> Project:
    """Register a project in the actor's region (a company: for its own organization)."""
    region = region or actor.region
    if data.get("total_investment") in (None, ""):
        raise DomainError(_("this field is required"), field="total_investment")
    _refuse_owner_fields(data=data, actor=actor, project=None)
    reason = _override_reason(data, actor)
    data = _resolve_refs(data=data, actor=actor, region=region)
    project = Project(region=region)
    changed = _apply(project, {k: v for k, v in data.items() if k in EDITABLE})
    for ref in ("owner", "subdistrict", "template"):
        if ref in data:
            setattr(project, ref, data[ref])
    _validate(project)
    override = _check_gate(
        project=project, stage_changed=project.stage in lifecycle.GATED, reason=reason, actor=actor
    )
    with transaction.atomic():
        project.save()
        audit.record(
            project,
            "project_created",
            actor=actor,
            changes={f: getattr(project, f) for f in changed},
        )
        if override:
            _store_override(project, override, actor)
            project.save(update_fields=[f for f in override if not f.startswith("_")])
    return project


def update_project(*, project: Project, data: dict, actor) -> Project:
    """Change some fields of a project, validated whole; the change is audited."""
    _refuse_owner_fields(data=data, actor=actor, project=project)
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
        if override:
            _store_override(project, override, actor)
        project.save()
        audit.record(
            project,
            "project_updated",
            actor=actor,
            changes={f: [before.get(f), getattr(project, f)] for f in changed},
        )
    return project
