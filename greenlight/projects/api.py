"""API for projects: list with filters, detail, create and update."""

from datetime import date, datetime
from decimal import Decimal
from functools import partial
from types import SimpleNamespace

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema, Status

from greenlight.catalog import calendars
from greenlight.catalog.choices import Category
from greenlight.kernel import sm4
from greenlight.kernel.api_input import found_first
from greenlight.kernel.errors import NotPermitted
from greenlight.kernel.memo import Memo
from greenlight.kernel.rows import Rows, json_response, paged

from . import permissions, selectors, services
from .choices import ConstructionNature, FundingSource, Industry, Lifecycle
from .models import Project

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    region_code: str = Field(alias="region.code")
    region_name: str = Field(alias="region.name")
    subdistrict: str | None = Field(None, alias="subdistrict.name")
    category: str
    industry: str
    location: str
    construction_nature: str
    scale_content: str
    funding_source: str
    contact_name: str
    contact_phone: str
    template: str | None = Field(None, alias="template.code")
    total_investment: Decimal
    land_area: Decimal | None
    stage: str
    is_major: bool
    land_acquired_on: date | None
    planned_start: date | None
    actual_start: date | None
    completed_on: date | None
    forecast_start: date | None
    stage_override_reason: str

    @staticmethod
    def resolve_contact_phone(obj, context) -> str:
        """Masked for roles without need (permissions.can_see_contact)."""
        request = (context or {}).get("request")
        user = getattr(request, "user", None)
        if user is None:
            return sm4.mask(obj.contact_phone)
        return permissions.contact_phone_for(user, obj)


class ApprovalOut(Schema):
    id: int
    matter_code: str = Field(alias="matter.code")
    matter_name: str = Field(alias="matter.name")
    stage: str = Field(alias="matter.stage")
    department: str = Field(alias="department.name")
    status: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    decided_at: datetime | None
    due_at: datetime | None
    planned_start: date | None
    planned_finish: date | None
    critical: bool
    version: int


class ProjectDetailOut(ProjectOut):
    description: str
    approvals: list[ApprovalOut]
    provisional_years: list[int] = Field(
        description="years of the plan's dates whose calendar is provisional (no notice yet)"
    )
    calendar_warnings: list[str]

    @staticmethod
    def resolve_approvals(obj) -> list:
        return obj.approvals_list


class ProjectFilterIn(FilterSchema):
    q: str = ""
    stage: Lifecycle | None = None
    category: Category | None = None
    subdistrict: int | None = None
    major: bool | None = None
    department: int | None = None
    region: str = Field(
        "", pattern=r"^(\d{6})?$", description="a division code (GB/T 2260): that district or city"
    )


class ProjectIn(Schema):
    code: str = Field(..., max_length=24)
    name: str = Field(..., min_length=1, max_length=200)
    owner: int | None = None
    subdistrict: int | None = None
    category: Category
    industry: Industry
    location: str = Field(..., min_length=1, max_length=200)
    construction_nature: ConstructionNature
    scale_content: str = Field(..., min_length=1, max_length=4000)
    funding_source: FundingSource
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=30)
    total_investment: Decimal
    land_area: Decimal | None = None
    stage: Lifecycle = Lifecycle.PLANNING
    is_major: bool = False
    land_acquired_on: date | None = None
    planned_start: date | None = None
    actual_start: date | None = None
    completed_on: date | None = None
    description: str = ""
    stage_override_reason: str = Field("", max_length=2000)
    optional_matters: list[str] = Field(
        default_factory=list,
        description="codes of the template's optional matters to open as well (e.g. TR-02)",
    )
    plan_start: date | None = None


class ProjectPatch(Schema):
    code: str | None = Field(None, max_length=24)
    name: str | None = Field(None, min_length=1, max_length=200)
    owner: int | None = None
    subdistrict: int | None = None
    category: Category | None = None
    industry: Industry | None = None
    location: str | None = Field(None, max_length=200)
    construction_nature: ConstructionNature | None = None
    scale_content: str | None = Field(None, max_length=4000)
    funding_source: FundingSource | None = None
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=30)
    total_investment: Decimal | None = None
    land_area: Decimal | None = None
    stage: Lifecycle | None = None
    is_major: bool | None = None
    land_acquired_on: date | None = None
    planned_start: date | None = None
    actual_start: date | None = None
    completed_on: date | None = None
    description: str | None = None
    stage_override_reason: str | None = Field(None, max_length=2000)


def _filters(f: ProjectFilterIn) -> selectors.ProjectFilter:
    return selectors.ProjectFilter(
        q=f.q.strip(),
        stage=f.stage or "",
        category=f.category or "",
        subdistrict=f.subdistrict,
        major=f.major,
        department=f.department,
        region=f.region,
    )


LIST_ROWS = Rows(ProjectOut, computed=("contact_phone",))
LIST = Memo(selectors.project_list)  # its statements compiled once per filters and user scope


@router.get("/projects", response=list[ProjectOut])
@paged(50)
def list_projects(request, filters: Query[ProjectFilterIn]):
    """Projects the caller may see, filtered; a company sees only its own."""
    user = request.user

    def row(values: dict) -> dict:
        phone = permissions.contact_phone_for(user, SimpleNamespace(**values))
        return LIST_ROWS.from_values(values, contact_phone=phone)

    return LIST.source(
        user=user,
        filters=_filters(filters),
        values=LIST_ROWS.lookups() + ["contact_phone"],
        row=row,
    )


@router.get("/projects/{project_id}", response=ProjectDetailOut)
def get_project(request, project_id: int):
    """One project with its approvals; 404 when the caller may not see it."""
    user = request.user
    project = selectors.visible_project_values(
        user=user, project_id=project_id, fields=[*DETAIL_ROWS.lookups(), "contact_phone"]
    )
    if project is None:
        raise Http404
    approvals = selectors.project_approval_values(
        project_id=project_id, user=user, fields=APPROVAL_ROWS.lookups() + ["forecast_finish"]
    )
    shown = SimpleNamespace(**project)  # what the phone's rule and the calendar read
    _with_calendar(shown, [_plan_dates(a.__getitem__) for a in approvals])
    return json_response(
        DETAIL_ROWS.from_values(
            project,
            contact_phone=permissions.contact_phone_for(user, shown),
            approvals=[APPROVAL_ROWS.from_values(a) for a in approvals],
            provisional_years=shown.provisional_years,
            calendar_warnings=shown.calendar_warnings,
        )
    )


# The detail read from the project's and its approvals' `.values()` rows (kernel/rows.py; their
# statements compiled once per user scope, kernel/memo.py), not model instances validated field
# by field through ninja's getters: the same bytes (tests pin them) for a third of the CPU.
DETAIL_ROWS = Rows(
    ProjectDetailOut,
    computed=("contact_phone", "approvals", "provisional_years", "calendar_warnings"),
)
APPROVAL_ROWS = Rows(ApprovalOut)


def _detail(project: Project, user) -> Project:
    """The project with what ProjectDetailOut shows: its approvals and the calendar's warnings."""
    project.approvals_list = list(selectors.project_approvals(project=project, user=user))
    _with_calendar(project, [_plan_dates(partial(getattr, a)) for a in project.approvals_list])
    return project


def _plan_dates(read) -> list:
    """An approval's planned and forecast days and its due day (`read(name)` gives a field)."""
    due = read("due_at")
    return [
        read("planned_start"),
        read("planned_finish"),
        read("forecast_finish"),
        timezone.localtime(due).date() if due else None,
    ]


def _with_calendar(project, approval_dates: list[list]) -> None:
    """The provisional calendar years the project's plan and clocks reach into, and their
    warnings, from the project's days and its approvals' (in memory)."""
    days = [project.forecast_start, project.planned_start]
    for dates in approval_dates:
        days += dates
    days = [d for d in days if d is not None]
    project.provisional_years = calendars.provisional_span(min(days), max(days)) if days else []
    project.calendar_warnings = calendars.warnings(project.provisional_years)


@router.post("/projects", response={201: ProjectDetailOut})
def create_project(request, payload: ProjectIn):
    """Register a project (coordinator: any owner of the region; company: itself): its template's
    approvals open at once (with the optional matters named) and it is planned; the answer lists
    them with their planned dates."""
    if not permissions.can_create_project(request.user):
        raise NotPermitted(_("Your role may not register projects."))
    project = services.create_project(data=payload.dict(), actor=request.user)
    return Status(201, _detail(project, request.user))


class ProjectMatterIn(Schema):
    matter: str = Field(..., min_length=1, max_length=40, description="catalog matter code")
    reason: str = Field(..., min_length=1, max_length=300)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


def _project(request, project_id: int) -> Project:
    return get_object_or_404(Project.objects.visible_to(request.user), pk=project_id)


def _project_matter(request, project_id: int, code: str) -> tuple[Project, object]:
    project = _project(request, project_id)
    return project, get_object_or_404(project.approvals.select_related("matter"), matter__code=code)


@router.post("/projects/{project_id}/matters", response={201: ApprovalOut})
@found_first(_project)
def add_matter(request, project_id: int, payload: ProjectMatterIn):
    """Open one more approval matter on the project (coordinators, with a reason); replanned."""
    project = _project(request, project_id)
    approval = services.add_matter(
        project=project, matter=payload.matter, reason=payload.reason, actor=request.user
    )
    approval.refresh_from_db()
    return Status(201, approval)


@router.post("/projects/{project_id}/matters/{code}/remove", response={204: None})
@found_first(_project_matter)
def remove_matter(request, project_id: int, code: str, payload: ReasonIn):
    """Remove a matter not yet started from the project (coordinators, with a reason)."""
    project, approval = _project_matter(request, project_id, code)
    services.remove_matter(
        project=project, approval=approval, reason=payload.reason, actor=request.user
    )
    return Status(204, None)


@router.patch("/projects/{project_id}", response=ProjectOut)
def update_project(request, project_id: int, payload: ProjectPatch):
    """Change some fields of a project."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=project_id)
    if not permissions.can_edit_project(request.user, project):
        raise NotPermitted(_("Your role may not change this project."))
    data = payload.dict(exclude_unset=True)
    return services.update_project(project=project, data=data, actor=request.user)
