"""API for departments, organizations and the caller's own account."""

from ninja import Field, Router, Schema

from .models import Department, Organization

router = Router(tags=["accounts"])


class DepartmentOut(Schema):
    id: int
    kind: str
    name: str
    short_name: str
    region_code: str = Field(alias="region.code")


class OrganizationOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str


class MeOut(Schema):
    username: str
    role: str
    region_code: str | None = Field(None, alias="region.code")
    department_id: int | None
    organization_id: int | None


@router.get("/departments", response=list[DepartmentOut])
def list_departments(request):
    """Departments of the caller's region (all regions for province-level users)."""
    return Department.objects.visible_to(request.user).select_related("region")


@router.get("/organizations", response=list[OrganizationOut])
def list_organizations(request):
    """Project owners the caller may see (a company: itself)."""
    return Organization.objects.visible_to(request.user)[:1000]


@router.get("/me", response=MeOut)
def me(request):
    """The caller's account and role."""
    return request.user
