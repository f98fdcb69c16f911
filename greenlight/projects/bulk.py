"""Bulk writes of projects, for a simulation at district scale (the demo) or an import: the rows
`services.create_project` and the lifecycle would have written, in a few statements, each with
its audit row. The same checks as the single service: a valid project code, unique in the batch,
and the model's own validation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from greenlight.audit import services as audit
from greenlight.kernel.errors import InvalidInput

from . import lifecycle, totals
from .models import InvestmentReport, Project

# What a simulated history sets on a project after registration (the stage it reached too).
HISTORY_FIELDS = frozenset(
    {"plan_start", "actual_start", "completed_on", "planned_start", "land_acquired_on", "stage"}
)


def register_many(projects: list[Project], *, actor=None) -> list[Project]:
    """Create the projects (all or nothing), audited as `project_created`."""
    seen = set()
    for i, p in enumerate(projects):
        if p.code in seen:
            raise InvalidInput(_("duplicate project code %(c)s") % {"c": p.code}, field=f"rows.{i}")
        seen.add(p.code)
        try:
            p.full_clean(exclude=["template", "owner", "region", "subdistrict"])
        except ValidationError as exc:
            field = next(iter(exc.message_dict), "project")
            raise InvalidInput(
                f"{p.code}: {exc.message_dict[field][0]}", field=f"rows.{i}.{field}"
            ) from None
    with transaction.atomic():
        rows = Project.objects.bulk_create(projects, batch_size=500)
        audit.record_many(
            [
                {
                    "obj": p,
                    "action": "project_created",
                    "actor": actor,
                    "region": p.region,
                    "changes": {"code": p.code, "name": p.name, "stage": p.stage},
                }
                for p in rows
            ]  # fmt: skip
        )
    return rows


def record_history(projects: list[Project], *, at=None, actor=None) -> int:
    """Store the dates a simulated history gave the projects (planned and actual starts, land,
    completion), each start on or after the plan start, audited as `project_updated`."""
    for i, p in enumerate(projects):
        if p.actual_start and p.completed_on and p.completed_on < p.actual_start:
            raise InvalidInput(_("completed before it started"), field=f"rows.{i}.completed_on")
        # the lifecycle gate's dates: no stage without its facts
        missing = lifecycle.missing_dates(p, p.stage)
        if missing:
            raise InvalidInput(lifecycle.explain(p.stage, missing), field=f"rows.{i}.stage")
    fields = sorted(HISTORY_FIELDS)
    with transaction.atomic():
        Project.objects.bulk_update(projects, fields, batch_size=500)
        audit.record_many(
            [
                {
                    "obj": p,
                    "action": "project_updated",
                    "actor": actor,
                    "region": p.region,
                    "at": at,
                    "changes": {f: getattr(p, f) for f in fields if getattr(p, f)},
                }
                for p in projects
            ]  # fmt: skip
        )
    return len(projects)


def record_reports(rows: list[InvestmentReport], *, actor=None) -> int:
    """Monthly investment reports (报数) of started projects, with their monthly totals; a
    month reported twice is kept as first reported. Audited per project; returns how many
    reports were stored."""
    for i, r in enumerate(rows):
        if r.amount is None or r.amount < 0:
            raise InvalidInput(_("must not be negative"), field=f"rows.{i}.amount")
    with transaction.atomic():
        where = totals.lock({r.project_id for r in rows})
        for i, r in enumerate(rows):
            if r.project_id not in where:
                raise InvalidInput(_("unknown project"), field=f"rows.{i}.project")
        fresh = _unreported(rows)
        InvestmentReport.objects.bulk_create(fresh, batch_size=2000)
        totals.add(where, [(r.project_id, r.month, r.amount, 1) for r in fresh])
        per_project: dict[int, list] = {}
        for r in rows:
            per_project.setdefault(r.project_id, []).append(r.month.isoformat())
        projects = Project.objects.select_related("region").in_bulk(list(per_project))
        audit.record_many(
            [
                {
                    "obj": projects[pid],
                    "action": "investment_reported",
                    "actor": actor,
                    "changes": {"months": months},
                }
                for pid, months in per_project.items()
            ]  # fmt: skip
        )
    return len(fresh)


def _unreported(rows: list[InvestmentReport]) -> list[InvestmentReport]:
    """The first row of each project and month not reported yet (the projects are locked)."""
    ids = sorted({r.project_id for r in rows})
    seen = set()
    for i in range(0, len(ids), 500):
        seen.update(
            InvestmentReport.objects.filter(project_id__in=ids[i : i + 500]).values_list(
                "project_id", "month"
            )
        )
    fresh = []
    for r in rows:
        if (r.project_id, r.month) not in seen:
            seen.add((r.project_id, r.month))
            fresh.append(r)
    return fresh
