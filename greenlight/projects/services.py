"""Creating and changing projects; every write is validated whole and audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from greenlight.accounts.models import Organization, Subdistrict
from greenlight.audit import services as audit
from greenlight.catalog.models import Template
from greenlight.kernel.errors import DomainError
from greenlight.kernel.roles import Role

from .codes import validate_project_code
from .models import Project

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
    data = _resolve_refs(data=data, actor=actor, region=region)
    project = Project(region=region)
    changed = _apply(project, {k: v for k, v in data.items() if k in EDITABLE})
    for ref in ("owner", "subdistrict", "template"):
        if ref in data:
            setattr(project, ref, data[ref])
    _validate(project)
    with transaction.atomic():
        project.save()
        audit.record(
            project,
            "project_created",
            actor=actor,
            changes={f: getattr(project, f) for f in changed},
        )
    return project


def update_project(*, project: Project, data: dict, actor) -> Project:
    """Change some fields of a project, validated whole; the change is audited."""
    data = _resolve_refs(data=data, actor=actor, region=project.region)
    before = {f: getattr(project, f) for f in EDITABLE}
    changed = _apply(project, {k: v for k, v in data.items() if k in EDITABLE})
    for ref in ("owner", "subdistrict"):
        if ref in data and getattr(project, ref) != data[ref]:
            setattr(project, ref, data[ref])
            changed.append(ref)
    _validate(project)
    with transaction.atomic():
        project.save()
        audit.record(
            project,
            "project_updated",
            actor=actor,
            changes={f: [before.get(f), getattr(project, f)] for f in changed},
        )
    return project
