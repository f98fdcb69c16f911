"""API of project plans: the plan (engine format) with its schedule, 拿地即开工, custom versions."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from greenlight.accounts.models import shown_with
from greenlight.engine import planfile, report
from greenlight.kernel.api_input import found_first
from greenlight.kernel.errors import Conflict, NotPermitted
from greenlight.projects.models import Project

from . import charting, exports, services, views
from .models import PlanVersion

router = Router(tags=["plans"])


class PlanVersionOut(Schema):
    number: int
    note: str
    restored_from: int | None
    matters: int
    finish: date | None
    serial_days: int
    parallel_days: int
    saved_days: int
    created_by: str | None = None
    created_by_name: str | None = None  # 姓名 · 部门, for display
    created_at: datetime

    @staticmethod
    def resolve_created_by(obj) -> str | None:
        return obj.created_by.username if obj.created_by_id else None

    @staticmethod
    def resolve_created_by_name(obj) -> str | None:
        return obj.created_by.display_name if obj.created_by_id else None


class PlanVersionIn(Schema):
    document: dict
    note: str = Field("", max_length=200)


def _project(request, project_id: int) -> Project:
    return get_object_or_404(Project.objects.visible_to(request.user), pk=project_id)


def _plan_json(request, project: Project, land: date | None) -> dict:
    data = charting.project_data(project, user=request.user, today=timezone.localdate(), land=land)
    if data is None:  # a project without matters: say what to do, as the pages do
        raise Conflict(_("No approval matters yet: add matters."), field="matters",
                       code="no_matters")  # fmt: skip
    document = exports.plan_document(project, data)
    result = report.to_json(planfile.from_dict(document), data.result)
    if data.result.target is not None:  # the verdict may follow the forecast (see charting.py)
        t = data.result.target
        result["target"] = {"task": t.task, "by": t.by.isoformat(), "feasible": t.feasible,
                            "days_late": t.days_late}  # fmt: skip
    return {"plan": document, "result": result}


@router.get("/projects/{project_id}/plan")
def get_plan(request, project_id: int):
    """The plan in force (plan-file format, `greenlight plan` reads it) and its schedule."""
    project = _project(request, project_id)
    return _plan_json(request, project, project.land_acquired_on)


@router.get("/projects/{project_id}/plan/backward")
def get_backward_plan(request, project_id: int, land: date):
    """拿地即开工: the plan planned back from `land`, with the verdict under result.target."""
    return _plan_json(request, _project(request, project_id), land)


@router.get("/projects/{project_id}/plan/versions", response=list[PlanVersionOut])
def list_versions(request, project_id: int):
    """Saved versions of the project's custom plan, newest first."""
    project = _project(request, project_id)
    return (
        PlanVersion.objects.visible_to(request.user)
        .filter(project=project)
        .select_related(*shown_with("created_by"))
    )


def _editable(request, project_id: int) -> Project:
    project = _project(request, project_id)
    if not views.can_edit_plan(request.user, project):
        raise NotPermitted(_("Only coordinators edit the plans of major projects."))
    return project


@router.post("/projects/{project_id}/plan/versions", response={201: PlanVersionOut})
@found_first(_editable)
def save_version(request, project_id: int, payload: PlanVersionIn):
    """Save a custom plan (plan-file document) as the next version; cycles are refused."""
    project = _editable(request, project_id)
    version = services.save_version(
        project=project, document=payload.document, actor=request.user, note=payload.note
    )
    return Status(201, version)


@router.post(
    "/projects/{project_id}/plan/versions/{number}/restore", response={201: PlanVersionOut}
)
def restore_version(request, project_id: int, number: int):
    """Make an earlier version the plan in force again (as a new version)."""
    project = _editable(request, project_id)
    return Status(201, services.restore_version(project=project, number=number, actor=request.user))
