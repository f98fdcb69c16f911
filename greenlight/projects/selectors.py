"""Reads of projects for pages, the API and exports; always through `visible_to`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from greenlight.accounts import regions
from greenlight.approvals.choices import PENDING_STATUSES
from greenlight.approvals.models import Approval
from greenlight.catalog.choices import Stage
from greenlight.kernel.memo import Memo

from .models import Project


@dataclass(frozen=True)
class ProjectFilter:
    """The filters of the project list, shared by the page and the API."""

    q: str = ""
    stage: str = ""
    category: str = ""
    subdistrict: int | None = None
    major: bool | None = None
    department: int | None = None  # projects with pending approvals at this department
    region: str = ""  # a division code: the projects of that district (or city) and below


def project_list(*, user, filters: ProjectFilter) -> QuerySet[Project]:
    """The projects `user` may see, filtered, with what the list shows joined in."""
    qs = Project.objects.visible_to(user).select_related(
        "owner", "subdistrict", "region", "template"
    )
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.subdistrict:
        qs = qs.filter(subdistrict_id=filters.subdistrict)
    if filters.region:
        qs = qs.filter(regions.within_q("region", filters.region))
    if filters.major is not None:
        qs = qs.filter(is_major=filters.major)
    if filters.department:
        pending = Approval.objects.filter(
            project=OuterRef("pk"), department_id=filters.department, status__in=PENDING_STATUSES
        )
        qs = qs.filter(Exists(pending))
    return qs.order_by("-is_major", "-id")


def _visible_project(*, user, project_id: int) -> QuerySet[Project]:
    return Project.objects.visible_to(user).filter(pk=project_id)


VISIBLE_PROJECT = Memo(_visible_project, slots=("project_id",))  # one project, as a detail


def visible_project_values(*, user, project_id: int, fields: list[str]) -> dict | None:
    """The project's `.values(*fields)` when `user` may see it, else None."""
    rows = VISIBLE_PROJECT.rows(user=user, values=fields, project_id=project_id)
    return rows[0] if rows else None


def with_pending_counts(projects) -> list[Project]:
    """The given projects (one page of a list) with `pending_count`, their approvals not yet
    decided, counted in one query for these ids only (never over every visible project)."""
    projects = list(projects)
    counts = dict(
        Approval.objects.filter(
            project_id__in=[p.pk for p in projects], status__in=PENDING_STATUSES
        )
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    for p in projects:
        p.pending_count = counts.get(p.pk, 0)
    return projects


STAGE_ORDER = {value: i for i, value in enumerate(Stage.values)}


def _approvals_of(*, user, project_id: int) -> QuerySet[Approval]:
    """The project's approvals `user` may see (unordered: the callers sort by `_plan_order`)."""
    return Approval.objects.visible_to(user).filter(project_id=project_id)


def project_approvals(*, project: Project, user) -> list[Approval]:
    """A project's approvals with matter and department, in national stage order, then plan."""
    rows = _approvals_of(user=user, project_id=project.pk).select_related("matter", "department")
    return sorted(rows, key=lambda a: _plan_order(a.matter.stage, a.planned_start, a.matter.code))


APPROVALS_OF = Memo(_approvals_of, slots=("project_id",))  # compiled once per user scope


def project_approval_values(*, project_id: int, user, fields: list[str]) -> list[dict]:
    """`project_approvals` as `.values(*fields)` rows, in the same order, for answers that need
    no model instances (making them was a third of the API's project detail)."""
    order = ["matter__stage", "planned_start", "matter__code"]
    rows = APPROVALS_OF.rows(
        user=user, values=list(dict.fromkeys([*fields, *order])), project_id=project_id
    )
    return sorted(
        rows, key=lambda a: _plan_order(a["matter__stage"], a["planned_start"], a["matter__code"])
    )


def _plan_order(stage: str, planned_start: date | None, code: str) -> tuple:
    """National stage order, then the plan's start, then the matter's code."""
    return STAGE_ORDER[stage], planned_start or date.max, code
