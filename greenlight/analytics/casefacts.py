"""The per-case fact table (`CaseFact`): written in bulk from `facts.facts`, read by the
bottleneck analysis as one aggregate.

* `refresh(project_ids=...)` recomputes the facts of every decided case of those projects (a
  case's idle time depends on its siblings' decisions, so a project is the unit of refresh) and
  deletes facts of cases that are no longer decided; `refresh_all()` rebuilds the table.
* `refresh_changed(now=)` is the `greenlight tick` job: the projects with approval events since
  the last run (a high-water mark on the event id in `FactsState`), plus decided cases without a
  fact (bulk loads), plus the critical flag the planner sets without an event. Idempotent.
* `catch_up()` runs before every read: the events since the tick's mark, so a decision shows at
  once; a case written without any event (a bulk load) waits for the tick or `refresh --all`.
* `stats()` aggregates the visible facts of a period: one statement with percentile_cont on
  PostgreSQL, the Python percentiles of `facts.aggregate` elsewhere.

Facts can lag behind a change that writes no approval event (a project moved to another
region does not matter: visibility is read from the projects themselves) until the next tick;
a changed holiday calendar needs `greenlight analytics refresh --all`.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Max, Min

from greenlight.approvals.models import Approval, ApprovalEvent
from greenlight.projects.models import Project

from . import facts as F
from .models import CaseFact, FactsState

STATE_KEY = "casefacts"
UPDATE_FIELDS = [
    f.name for f in CaseFact._meta.concrete_fields if not f.primary_key and f.name != "computed_at"
] + ["computed_at"]


def decided():
    """The approvals that have a fact: decided after an acceptance."""
    return Approval.objects.filter(
        status__in=F.DECIDED, accepted_at__isnull=False, decided_at__isnull=False
    )


def _span_period(qs) -> F.Period | None:
    span = qs.aggregate(lo=Min("decided_at"), hi=Max("decided_at"))
    if span["lo"] is None:
        return None
    lo, hi = F._local_day(span["lo"]), F._local_day(span["hi"])
    return F.Period(lo, hi + timedelta(days=1))


def _rows(project_ids: list[int], period: F.Period, graph) -> list[CaseFact]:
    qs = F.annotated(decided().filter(project_id__in=project_ids)).order_by()
    items = F.facts(qs, period=period, graph=graph)
    if not items:
        return []
    meta = dict(
        Project.objects.filter(pk__in=project_ids).values_list("pk", "region_id").order_by()
    )
    extra = {
        aid: (dec, ver)
        for aid, dec, ver in decided()
        .filter(project_id__in=project_ids)
        .values_list("id", "decided_at", "version")
        .order_by()
    }
    out = []
    for f in items:
        dec, ver = extra[f.id]
        out.append(
            CaseFact(
                approval_id=f.id,
                project_id=f.project_id,
                region_id=meta[f.project_id],
                matter_id=f.matter_id,
                department_id=f.department_id,
                stage=f.stage,
                decided_at=dec,
                month=f.month,
                unit=f.unit,
                committed_limit=f.committed_limit,
                statutory_limit=f.statutory_limit,
                handling=f.handling,
                handling_statutory=f.handling_statutory,
                idle=f.idle,
                overdue=f.handling > f.committed_limit,
                overdue_statutory=f.handling_statutory > f.statutory_limit,
                supplements=f.supplements,
                critical=f.critical,
                delay=f.delay,
                version=ver,
            )
        )
    return out


def refresh(*, project_ids, progress=None, chunk: int = 1000, upsert: bool = True) -> int:
    """Recompute the facts of the decided cases of `project_ids`; returns the facts written."""
    from greenlight.plans import planning

    project_ids = sorted(set(project_ids))
    if not project_ids:
        return 0
    period = _span_period(decided().filter(project_id__in=project_ids))
    graph = planning.CatalogGraph.load()
    written = 0
    for i in range(0, len(project_ids), chunk):
        part = project_ids[i : i + chunk]
        objs = _rows(part, period, graph) if period else []
        with transaction.atomic():
            if upsert:
                CaseFact.objects.filter(project_id__in=part).exclude(
                    approval_id__in=[o.approval_id for o in objs]
                ).delete()
                CaseFact.objects.bulk_create(
                    objs,
                    batch_size=2000,
                    update_conflicts=True,
                    unique_fields=["approval"],
                    update_fields=UPDATE_FIELDS,
                )
            else:
                CaseFact.objects.bulk_create(objs, batch_size=5000)
        written += len(objs)
        if progress:
            progress.advance(len(part))
    return written


def refresh_all(*, progress_factory=None) -> dict:
    """Rebuild the whole table; the tick then continues from the latest event."""
    top = ApprovalEvent.objects.aggregate(m=Max("id"))["m"] or 0
    project_ids = list(decided().values_list("project_id", flat=True).distinct().order_by())
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {CaseFact._meta.db_table}")
    else:
        CaseFact.objects.all().delete()
    progress = progress_factory(len(project_ids)) if progress_factory else None
    n = refresh(project_ids=project_ids, progress=progress, chunk=2000, upsert=False)
    if progress:
        progress.finish()
    _mark(top)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {CaseFact._meta.db_table}")
    return {"facts": n, "projects": len(project_ids)}


def _mark(top: int) -> None:
    from django.utils import timezone

    FactsState.objects.update_or_create(
        key=STATE_KEY, defaults={"last_event_id": top, "refreshed_at": timezone.now()}
    )


def refresh_changed(*, now=None, missing: bool = True) -> dict:
    """The tick job: fold approvals decided or changed since the last run into the facts.

    `missing` also looks for decided cases without a fact (written without an event, e.g. by a
    bulk load): an anti-join over every decided case, about 1.5 s at province scale."""
    state = FactsState.objects.filter(key=STATE_KEY).first()
    last = state.last_event_id if state else 0
    top = ApprovalEvent.objects.aggregate(m=Max("id"))["m"] or 0
    projects = set(
        ApprovalEvent.objects.filter(id__gt=last, id__lte=top)
        .values_list("approval__project_id", flat=True)
        .distinct()
        .order_by()
    )
    if missing:
        projects |= set(
            decided()
            .filter(fact__isnull=True)
            .values_list("project_id", flat=True)
            .distinct()
            .order_by()
        )
    n = refresh(project_ids=projects)
    # the planner sets the critical flag without an event
    critical = CaseFact.objects.filter(critical=False, approval__critical=True).update(
        critical=True
    ) + CaseFact.objects.filter(critical=True, approval__critical=False).update(critical=False)
    if top != last or not state:
        _mark(top)
    return {"projects": len(projects), "facts": n, "critical": critical}


def catch_up() -> dict | None:
    """Before a read: fold the approval events the tick has not seen yet (two index lookups
    when there are none); the first read of a fresh table builds it."""
    state = FactsState.objects.filter(key=STATE_KEY).first()
    if state is None:
        return refresh_changed()
    top = ApprovalEvent.objects.aggregate(m=Max("id"))["m"] or 0
    if top > state.last_event_id:
        return refresh_changed(missing=False)
    return None


def visible(*, user, period: F.Period, matter=None, department=None, stage=None, ids=None):
    """The facts of the decided cases of `period` that `user` may see."""
    start, end = period.bounds()
    qs = CaseFact.objects.visible_to(user).filter(
        decided_at__gte=start,
        decided_at__lt=end,
    )
    if matter:
        qs = qs.filter(matter_id=matter)
    if department:
        qs = qs.filter(department_id=department)
    if stage:
        qs = qs.filter(stage=stage)
    if ids is not None:
        qs = qs.filter(approval_id__in=ids)
    return qs.order_by()


FACT_FIELDS = (
    "approval_id",
    "project_id",
    "matter_id",
    "department_id",
    "stage",
    "month",
    "unit",
    "committed_limit",
    "statutory_limit",
    "handling",
    "handling_statutory",
    "supplements",
    "idle",
    "critical",
)


def stats(*, user, period: F.Period, by: str, **filters) -> dict:
    """Figures per group from the fact table (the same dict as `facts.live_stats`)."""
    catch_up()
    qs = visible(user=user, period=period, **filters)
    if connection.vendor == "postgresql":
        from . import facts_pg

        return facts_pg.stats_from_facts(qs, by=by)
    items = [F.Fact(*row) for row in qs.values_list(*FACT_FIELDS)]
    return F.aggregate(items, by=by)
