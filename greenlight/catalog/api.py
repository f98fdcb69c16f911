"""API for the approval catalog: matters (read for all, write for administrators)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from greenlight.kernel import validation
from greenlight.kernel.errors import NotPermitted

from . import permissions, services
from .choices import Stage, Unit
from .models import Matter

router = Router(tags=["catalog"])


class MatterOut(Schema):
    id: int
    code: str
    name: str
    department_kind: str
    stage: str
    statutory_limit: int
    statutory_unit: str
    statutory_source: str
    committed_limit: int
    committed_unit: str
    committed_source: str
    accept_with_gaps: bool
    commitment_based: bool
    materials: list[str]
    prerequisites: list[str]

    @staticmethod
    def resolve_prerequisites(obj) -> list[str]:
        return [m.code for m in obj.prerequisites.all()]


class MatterIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    department: str
    stage: Stage
    statutory_limit: int = Field(..., ge=0, le=validation.LIMIT_MAX)
    statutory_unit: Unit
    statutory_source: str = Field("", max_length=300)
    committed_limit: int = Field(..., ge=0, le=validation.LIMIT_MAX)
    committed_unit: Unit
    committed_source: str = Field("", max_length=300)
    accept_with_gaps: bool = False
    commitment_based: bool = False
    materials: list[str] = []
    prerequisites: list[str] = []


@router.get("/matters", response=list[MatterOut])
def list_matters(request, stage: Stage | None = None, department: str | None = None):
    """The catalog of approval matters, optionally by stage or department kind."""
    qs = Matter.objects.visible_to(request.user).prefetch_related("prerequisites")
    if stage:
        qs = qs.filter(stage=stage)
    if department:
        qs = qs.filter(department_kind=department)
    return qs


def _matter_data(payload: MatterIn) -> dict:
    data = payload.dict(exclude={"prerequisites", "department"})
    data["department_kind"] = payload.department
    return data


@router.post("/matters", response={201: MatterOut})
def create_matter(request, payload: MatterIn):
    """Add a matter to the catalog (administrators)."""
    if not permissions.can_edit_catalog(request.user):
        raise NotPermitted(_("Only administrators change the catalog."))
    if Matter.objects.filter(code=payload.code).exists():
        from greenlight.kernel.errors import DomainError

        raise DomainError(_("a matter with this code exists already"), field="code")
    matter = services.save_matter(
        data=_matter_data(payload), prerequisites=payload.prerequisites, actor=request.user
    )
    return Status(201, matter)


@router.put("/matters/{code}", response=MatterOut)
def update_matter(request, code: str, payload: MatterIn):
    """Replace a matter's fields and prerequisites (administrators)."""
    if not permissions.can_edit_catalog(request.user):
        raise NotPermitted(_("Only administrators change the catalog."))
    matter = get_object_or_404(Matter, code=code)
    return services.save_matter(
        data=_matter_data(payload),
        prerequisites=payload.prerequisites,
        actor=request.user,
        matter=matter,
    )
